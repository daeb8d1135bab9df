"""ClinicalTrials.gov JSON: API v2 studies and pages, and the retired API v1 wrapper.

Accepted shapes: one study (``{"protocolSection": ...}``), a v2 page
(``{"studies": [...], "nextPageToken": ...}``) and the v1 ``{"FullStudiesResponse":
{"FullStudies": [{"Study": {"ProtocolSection": ...}}]}}`` whose modules carry capitalised,
partly different names (``ArmGroupList/ArmGroup/ArmGroupLabel``). Every path in `LAYOUT` is
a (v2, v1) pair relative to the protocol section; names match case-insensitively. Section
fields are RFC 6901 JSON Pointers into the whole file.

The record itself is read by `index.corpus.readers.ctgov`, shared with the classic XML and
study-fields readers, so the three formats give the same section names, headings and order.
"""

from __future__ import annotations

import re

from index.corpus.readers.ctgov.jsondoc import json_kind, key, listed, member, wrapped
from index.corpus.readers.ctgov.record import Found, Node
from index.corpus.readers.ctgov.trial import build_trial, collect
from index.corpus.readers.locate import load_json, pointer
from index.errors import CorpusError
from index.model import Trial

FORMAT = "ctgov-v2"

Spec = tuple[str, str]  # (API v2 path, API v1 path)

_SNIFF = re.compile(r'"(?:protocolSection|FullStudiesResponse|studies)"\s*:', re.I)
_I, _I1 = "identificationModule/", "IdentificationModule/"
_S, _S1 = "statusModule/", "StatusModule/"
_D, _D1 = "designModule/designInfo/", "DesignModule/DesignInfo/"
_E, _E1 = "eligibilityModule/", "EligibilityModule/"
_A, _A1 = "armsInterventionsModule/", "ArmsInterventionsModule/"
_C, _C1 = "contactsLocationsModule/", "ContactsLocationsModule/"
_SC, _SC1 = "sponsorCollaboratorsModule/", "SponsorCollaboratorsModule/"


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def _pre(v2: str, v1_prefix: str, base: Spec = ("", "")) -> Spec:
    """A v1 name is often the v2 name behind a prefix: maskingInfo/masking ->
    DesignMaskingInfo/DesignMasking."""
    return base[0] + v2, base[1] + "/".join(v1_prefix + _cap(p) for p in v2.split("/"))


def _list(base: Spec, v2: str, v1_item: str) -> Spec:
    """v2 ``armGroups`` is v1 ``ArmGroupList/ArmGroup``."""
    return base[0] + v2, f"{base[1]}{v1_item}List/{v1_item}"


def _date(stem: str) -> Spec:
    return f"{_S}{stem}DateStruct/date", f"{_S1}{_cap(stem)}DateStruct/{_cap(stem)}Date"


LAYOUT: dict[str, Spec] = {
    "nct_id": (_I + "nctId", _I1 + "NCTId"),
    "aliases": _list((_I, _I1), "nctIdAliases", "NCTIdAlias"),
    "acronym": (_I + "acronym", _I1 + "Acronym"),
    "org_study_id": (_I + "orgStudyIdInfo/id", _I1 + "OrgStudyIdInfo/OrgStudyId"),
    "brief_title": (_I + "briefTitle", _I1 + "BriefTitle"),
    "official_title": (_I + "officialTitle", _I1 + "OfficialTitle"),
    "summary": ("descriptionModule/briefSummary", "DescriptionModule/BriefSummary"),
    "description": ("descriptionModule/detailedDescription", "DescriptionModule/DetailedDescription"),
    "conditions": _list(("conditionsModule/", "ConditionsModule/"), "conditions", "Condition"),
    "keywords": _list(("conditionsModule/", "ConditionsModule/"), "keywords", "Keyword"),
    "interventions": _list((_A, _A1), "interventions", "Intervention"),
    "iv_type": _pre("type", "Intervention"),
    "iv_name": _pre("name", "Intervention"),
    "iv_description": _pre("description", "Intervention"),
    "iv_other_names": _list(("", ""), "otherNames", "InterventionOtherName"),
    "arms": _list((_A, _A1), "armGroups", "ArmGroup"),
    "arm_label": _pre("label", "ArmGroup"),
    "arm_description": _pre("description", "ArmGroup"),
    "criteria": (_E + "eligibilityCriteria", _E1 + "EligibilityCriteria"),
    "study_population": (_E + "studyPopulation", _E1 + "StudyPopulation"),
    "sex": (_E + "sex", _E1 + "Gender"),
    "min_age": (_E + "minimumAge", _E1 + "MinimumAge"),
    "max_age": (_E + "maximumAge", _E1 + "MaximumAge"),
    "study_type": ("designModule/studyType", "DesignModule/StudyType"),
    "allocation": _pre("allocation", "Design", (_D, _D1)),
    "model": _pre("interventionModel", "Design", (_D, _D1)),
    "model_description": _pre("interventionModelDescription", "Design", (_D, _D1)),
    "purpose": _pre("primaryPurpose", "Design", (_D, _D1)),
    "masking": _pre("maskingInfo/masking", "Design", (_D, _D1)),
    "masking_description": _pre("maskingInfo/maskingDescription", "Design", (_D, _D1)),
    "observational_model": _pre("observationalModel", "Design", (_D, _D1)),
    "time_perspective": _pre("timePerspective", "Design", (_D, _D1)),
    **{
        f"{k.lower()}_outcomes": _list(("outcomesModule/", "OutcomesModule/"), f"{k.lower()}Outcomes", f"{k}Outcome")
        for k in ("Primary", "Secondary", "Other")
    },
    **{
        f"{k.lower()}_{field}": _pre(field, f"{k}Outcome")
        for k in ("Primary", "Secondary", "Other")
        for field in ("measure", "description")
    },
    **{f"{k.lower()}_time_frame": _pre("timeFrame", f"{k}Outcome") for k in ("Primary", "Secondary", "Other")},
    "enrollment": ("designModule/enrollmentInfo/count", "DesignModule/EnrollmentInfo/EnrollmentCount"),
    "status": (_S + "overallStatus", _S1 + "OverallStatus"),
    "last_known_status": (_S + "lastKnownStatus", _S1 + "LastKnownStatus"),
    "why_stopped": (_S + "whyStopped", _S1 + "WhyStopped"),
    "phases": ("designModule/phases", "DesignModule/PhaseList/Phase"),
    "sponsor": (_SC + "leadSponsor/name", _SC1 + "LeadSponsor/LeadSponsorName"),
    "collaborators": _list((_SC, _SC1), "collaborators", "Collaborator"),
    "collaborator_name": _pre("name", "Collaborator"),
    "locations": _list((_C, _C1), "locations", "Location"),
    **{part: _pre(part, "Location") for part in ("facility", "city", "state", "country")},
    "officials": _list((_C, _C1), "overallOfficials", "OverallOfficial"),
    "official_name": _pre("name", "OverallOfficial"),
    "official_affiliation": _pre("affiliation", "OverallOfficial"),
    "central_contacts": _list((_C, _C1), "centralContacts", "CentralContact"),
    "central_contact_name": _pre("name", "CentralContact"),
    "start_date": _date("start"),
    "primary_completion_date": _date("primaryCompletion"),
    "completion_date": _date("completion"),
    "first_posted": _date("studyFirstPost"),
    "last_update": _date("lastUpdatePost"),
    "references": _list(("referencesModule/", "ReferencesModule/"), "references", "Reference"),
    "citation": _pre("citation", "Reference"),
    # MeSH terms and ancestors: in the study's derived section, beside the protocol section
    # ("/" starts at the study; "*" is each item of a list).
    **{
        f"{kind}_{part}": (
            f"/derivedSection/{kind}BrowseModule/{v2}/*/term",
            f"/DerivedSection/{_cap(kind)}BrowseModule/{_cap(kind)}{v1}List/{_cap(kind)}{v1}/*/{_cap(kind)}{v1}Term",
        )
        for kind in ("condition", "intervention")
        for part, v2, v1 in (("mesh", "meshes", "Mesh"), ("ancestor", "ancestors", "Ancestor"))
    },
}


def sniff(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("["):  # a bare list of v2 studies
        return re.search(r'"protocolSection"\s*:', head, re.I) is not None
    return head.startswith("{") and _SNIFF.search(head) is not None


def parse(text: str, source: str) -> list[Trial]:
    def make(study: object, ptr: str, single: bool) -> Trial:
        ps = key(study, "protocolSection")
        if ps is None or not isinstance(study, dict) or not isinstance(study[ps], dict):
            raise CorpusError(source, "no protocolSection object in study record")
        acc = _Study(study[ps], pointer(ptr, ps), v1=ps != "protocolSection", study=(study, ptr))
        return build_trial(acc, LAYOUT, source, FORMAT, single)

    return collect(source, studies(load_json(text, source), source), make)


def studies(doc: object, source: str) -> list[Node]:
    """The study records of a parsed file, each with its pointer: a bare list, a v1
    ``FullStudiesResponse``, a v2 page, a ``{"Study": ...}`` wrapper or one study."""
    if isinstance(doc, list) and doc:
        return listed(doc)
    if not isinstance(doc, dict):
        raise CorpusError(source, f"expected a JSON object at the top, found {json_kind(doc)}")
    ps = key(doc, "protocolSection")
    if (wrapper := key(doc, "FullStudiesResponse")) is not None:
        items = wrapped(doc, wrapper, "FullStudies", source, "API v1 FullStudiesResponse wrapper with no studies")
        return [member(item, "Study") or item for item in items]
    if (page := key(doc, "studies")) is not None and ps is None:
        found = doc[page]
        if not isinstance(found, list):
            raise CorpusError(source, f"'studies' is {json_kind(found)}, not a list of studies")
        if not found:
            raise CorpusError(source, "API v2 page with no studies")
        return listed(found, pointer("", page))
    if (study := key(doc, "Study")) is not None and ps is None:
        return [(doc[study], pointer("", study))]
    return [(doc, "")]


class _Study:
    """One study's protocol section, read through (v2, v1) path pairs; a path starting with
    "/" is read from the study itself (its derived section)."""

    def __init__(self, ps: object, ptr: str, v1: bool, study: Node | None = None) -> None:
        self.root: Node = (ps, ptr)
        self.study: Node = study or self.root
        self.v1 = v1

    def node(self, spec: Spec, base: Node | None = None) -> Node | None:
        for path in (spec[1], spec[0]) if self.v1 else spec:
            found: Node | None = base or (self.study if path.startswith("/") else self.root)
            for name in path.strip("/").split("/"):
                found = member(found, name) if found else None
            if found is not None:
                return found
        return None

    def text(self, spec: Spec, base: Node | None = None) -> Found | None:
        found = self.node(spec, base)
        return (found[0], found[1]) if found and isinstance(found[0], str) else None

    def items(self, spec: Spec, base: Node | None = None) -> list[Node]:
        found = self.node(spec, base)
        if found is None:
            return []
        if not isinstance(found[0], list):
            return [found]  # a lone value where a list is usual
        return listed(found[0], found[1])

    def texts(self, spec: Spec, base: Node | None = None) -> list[Found]:
        if "/*/" in spec[0]:  # a member of each item of a list: "meshes/*/term"
            (v2, v2_name), (v1, v1_name) = (p.split("/*/") for p in spec)
            found = [member(item, v1_name if self.v1 else v2_name) for item in self.items((v2, v1), base)]
            return [(v, p) for v, p in (f for f in found if f) if isinstance(v, str)]
        return [(v, p) for v, p in self.items(spec, base) if isinstance(v, str)]
