"""The retired ClinicalTrials.gov study-fields API: flat records, every value a list.

A record is ``{"NCTId": ["NCT01218464"], "BriefTitle": ["..."], "Condition": [...], ...}``;
a file holds one record, a list of them, or ``{"StudyFieldsResponse": {"StudyFields":
[...]}}``. Repeated things (interventions, arms, outcomes, locations) are parallel lists
(``InterventionName[i]`` / ``InterventionDescription[i]``): a list pairs with the group's
first list only when their lengths agree, otherwise its values stand alone. Section fields
are JSON Pointers such as ``/EligibilityCriteria/0``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from index.corpus.readers.ctgov.jsondoc import json_kind, key, listed, wrapped
from index.corpus.readers.ctgov.record import Found, Node
from index.corpus.readers.ctgov.trial import build_trial, collect
from index.corpus.readers.locate import load_json, pointer
from index.errors import CorpusError
from index.model import Trial

FORMAT = "studyfields"

_SNIFF = re.compile(r'"NCTId"\s*:\s*\[|"StudyFieldsResponse"\s*:', re.I)


def _group(*names: str) -> tuple[str, ...]:
    return names


_OUTCOMES = {
    kind: _group(f"{kind}OutcomeMeasure", f"{kind}OutcomeDescription", f"{kind}OutcomeTimeFrame")
    for kind in ("Primary", "Secondary", "Other")
}

# Field names ("a|b": a, or b when a is absent); tuples are groups of parallel lists.
LAYOUT: dict[str, str | tuple[str, ...]] = {
    "nct_id": "NCTId",
    "aliases": "NCTIdAlias",
    "acronym": "Acronym",
    "org_study_id": "OrgStudyId",
    "brief_title": "BriefTitle",
    "official_title": "OfficialTitle",
    "summary": "BriefSummary",
    "description": "DetailedDescription",
    "conditions": "Condition",
    "keywords": "Keyword",
    "interventions": _group("InterventionName", "InterventionType", "InterventionDescription", "InterventionOtherName"),
    "iv_type": "InterventionType",
    "iv_name": "InterventionName",
    "iv_description": "InterventionDescription",
    "iv_other_names": "InterventionOtherName",
    "arms": _group("ArmGroupLabel", "ArmGroupDescription"),
    "arm_label": "ArmGroupLabel",
    "arm_description": "ArmGroupDescription",
    "criteria": "EligibilityCriteria",
    "study_population": "StudyPopulation",
    "sex": "Gender|Sex",
    "min_age": "MinimumAge",
    "max_age": "MaximumAge",
    "study_type": "StudyType",
    "allocation": "DesignAllocation",
    "model": "DesignInterventionModel",
    "model_description": "DesignInterventionModelDescription",
    "purpose": "DesignPrimaryPurpose",
    "masking": "DesignMasking",
    "masking_description": "DesignMaskingDescription",
    "observational_model": "DesignObservationalModel",
    "time_perspective": "DesignTimePerspective",
    **{f"{kind.lower()}_outcomes": group for kind, group in _OUTCOMES.items()},
    **{
        f"{kind.lower()}_{field}": name
        for kind, group in _OUTCOMES.items()
        for field, name in zip(("measure", "description", "time_frame"), group, strict=True)
    },
    "enrollment": "EnrollmentCount",
    "status": "OverallStatus",
    "last_known_status": "LastKnownStatus",
    "why_stopped": "WhyStopped",
    "phases": "Phase",
    "sponsor": "LeadSponsorName",
    "collaborators": _group("CollaboratorName"),
    "collaborator_name": "CollaboratorName",
    "locations": _group("LocationCity", "LocationFacility", "LocationState", "LocationCountry"),
    "facility": "LocationFacility",
    "city": "LocationCity",
    "state": "LocationState",
    "country": "LocationCountry",
    "officials": _group("OverallOfficialName", "OverallOfficialAffiliation"),
    "official_name": "OverallOfficialName",
    "official_affiliation": "OverallOfficialAffiliation",
    "central_contacts": _group("CentralContactName"),
    "central_contact_name": "CentralContactName",
    "start_date": "StartDate",
    "primary_completion_date": "PrimaryCompletionDate",
    "completion_date": "CompletionDate",
    "first_posted": "StudyFirstPostDate",
    "last_update": "LastUpdatePostDate",
    "references": _group("ReferenceCitation"),
    "citation": "ReferenceCitation",
    "condition_mesh": "ConditionMeshTerm",
    "condition_ancestor": "ConditionAncestorTerm",
    "intervention_mesh": "InterventionMeshTerm",
    "intervention_ancestor": "InterventionAncestorTerm",
}


def sniff(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")
    return head.startswith(("{", "[")) and _SNIFF.search(head) is not None


def parse(text: str, source: str) -> list[Trial]:
    def make(record: object, ptr: str, single: bool) -> Trial:
        if not isinstance(record, dict):
            raise CorpusError(source, f"study record is {json_kind(record)}, not an object")
        return build_trial(_Fields(record, ptr), LAYOUT, source, FORMAT, single)

    return collect(source, _records(load_json(text, source), source), make)


def _records(doc: object, source: str) -> list[Node]:
    if isinstance(doc, dict) and (wrapper := key(doc, "StudyFieldsResponse")) is not None:
        return wrapped(doc, wrapper, "StudyFields", source, "StudyFieldsResponse wrapper with no studies")
    if isinstance(doc, list):
        if not doc:
            raise CorpusError(source, "empty list: no study records")
        return listed(doc)
    if isinstance(doc, dict):
        return [(doc, "")]
    raise CorpusError(source, f"expected a JSON object or list at the top, found {json_kind(doc)}")


class _Item(NamedTuple):
    """Position ``pos`` in a group of parallel lists whose first list has ``size`` values;
    ``alone`` names the one list read when that list does not pair with the first."""

    pos: int
    size: int
    alone: str | None


class _Fields:
    """Reads a flat study-fields record: each field is a list of strings."""

    def __init__(self, record: dict[str, object], ptr: str) -> None:
        self.record, self.ptr = record, ptr
        self.columns: dict[str, list[Found | None]] = {}

    def column(self, name: str) -> list[Found | None]:
        if name not in self.columns:
            self.columns[name] = self._column(name)
        return self.columns[name]

    def _column(self, name: str) -> list[Found | None]:
        k = key(self.record, name)
        if k is None:
            return []
        value, ptr = self.record[k], pointer(self.ptr, k)
        if isinstance(value, str):
            return [(value, ptr)]
        if not isinstance(value, list):
            return []
        return [(v, pointer(ptr, i)) if isinstance(v, str) else None for i, v in enumerate(value)]

    def texts(self, path: str, base: _Item | None = None) -> list[Found]:
        for name in path.split("|"):
            column = self.column(name)
            if base is not None:
                paired = base.alone is None and len(column) == base.size
                if paired or (base.alone or "").lower() == name.lower():
                    found = column[base.pos] if base.pos < len(column) else None
                    return [found] if found else []
                return []
            if found_all := [f for f in column if f]:
                return found_all
        return []

    def text(self, path: str, base: _Item | None = None) -> Found | None:
        found = self.texts(path, base)
        return found[0] if found else None

    def node(self, path: str, base: _Item | None = None) -> Found | None:
        return self.text(path, base)

    def items(self, group: tuple[str, ...], base: None = None) -> list[_Item]:
        size = len(self.column(group[0]))
        out = [_Item(i, size, None) for i in range(size)]
        for name in group[1:]:
            column = self.column(name)
            if column and len(column) != size:
                out.extend(_Item(i, size, name) for i in range(len(column)))
        return out
