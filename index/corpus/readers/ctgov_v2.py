"""ClinicalTrials.gov JSON: API v2 studies and pages, and the retired API v1 wrapper.

Accepted shapes: one study (``{"protocolSection": ...}``), a v2 page
(``{"studies": [...], "nextPageToken": ...}``) and the v1 ``{"FullStudiesResponse":
{"FullStudies": [{"Study": {"ProtocolSection": ...}}]}}`` whose modules carry capitalised,
partly different names (``ArmGroupList/ArmGroup/ArmGroupLabel``). Every path in `LAYOUT` is
a (v2, v1) pair relative to the protocol section; names match case-insensitively. Section
fields are RFC 6901 JSON Pointers into the whole file.

`build_trial` turns any ClinicalTrials.gov record into a `Trial` given an `Accessor` and a
layout of that format's paths; the classic XML and study-fields readers share it, so the
three formats give the same section names, headings and order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from index.corpus.readers.locate import load_json, pointer
from index.corpus.readers.normalize import (
    file_id_warning,
    norm_allocation,
    norm_enum,
    norm_masking,
    norm_phases,
    norm_sex,
    norm_status,
    parse_age,
    parse_int,
)
from index.corpus.readers.sections import eligibility_sections, section
from index.errors import CorpusError
from index.model import NCT_RE, Section, Trial

FORMAT = "ctgov-v2"

Found = tuple[str, str]  # a string value and its address (JSON Pointer or XML path)
Node = tuple[Any, str]  # any value and its address
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
}


def sniff(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("["):  # a bare list of v2 studies
        return re.search(r'"protocolSection"\s*:', head, re.I) is not None
    return head.startswith("{") and _SNIFF.search(head) is not None


def json_kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "null")


def key(obj: object, name: str) -> str | None:
    """The member of ``obj`` called ``name``, matched case-insensitively (exact first)."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return name
    low = name.lower()
    return next((k for k in obj if k.lower() == low), None)


def parse(text: str, source: str) -> list[Trial]:
    def make(study: object, ptr: str, single: bool) -> Trial:
        ps = key(study, "protocolSection")
        if ps is None or not isinstance(study, dict) or not isinstance(study[ps], dict):
            raise CorpusError(source, "no protocolSection object in study record")
        acc = _Study(study[ps], pointer(ptr, ps), v1=ps != "protocolSection")
        return build_trial(acc, LAYOUT, source, FORMAT, single)

    return collect(source, _studies(load_json(text, source), source), make)


def collect(source: str, records: list[Node], make: Callable[[Any, str, bool], Trial]) -> list[Trial]:
    """``make(record, pointer, single)`` for each record. In a file of several records a bad
    one is skipped with a warning on the others; a file of one bad record is rejected."""
    trials: list[Trial] = []
    skipped: list[str] = []
    for i, (record, ptr) in enumerate(records, 1):
        try:
            trials.append(make(record, ptr, len(records) == 1))
        except CorpusError as exc:
            if len(records) == 1:
                raise
            skipped.append(f"skipped record {i} of {len(records)}: {exc.reason}")
    if not trials:
        raise CorpusError(source, f"none of the {len(records)} records is usable ({skipped[0]})")
    return [replace(t, warnings=t.warnings + tuple(skipped)) for t in trials]


def _studies(doc: object, source: str) -> list[Node]:
    if isinstance(doc, list) and doc:
        return [(item, pointer("", i)) for i, item in enumerate(doc)]
    if not isinstance(doc, dict):
        raise CorpusError(source, f"expected a JSON object at the top, found {json_kind(doc)}")
    ps = key(doc, "protocolSection")
    if (wrapper := key(doc, "FullStudiesResponse")) is not None:
        resp = doc[wrapper]
        full = key(resp, "FullStudies")
        items = resp[full] if full is not None else None
        if not isinstance(items, list) or not items:
            raise CorpusError(source, "API v1 FullStudiesResponse wrapper with no studies")
        out: list[Node] = []
        for i, item in enumerate(items):
            base = pointer("", wrapper, full, i)
            study = key(item, "Study")
            out.append((item[study], pointer(base, study)) if study else (item, base))
        return out
    if (page := key(doc, "studies")) is not None and ps is None:
        items = doc[page]
        if not isinstance(items, list):
            raise CorpusError(source, f"'studies' is {json_kind(items)}, not a list of studies")
        if not items:
            raise CorpusError(source, "API v2 page with no studies")
        return [(item, pointer("", page, i)) for i, item in enumerate(items)]
    if (study := key(doc, "Study")) is not None and ps is None:
        return [(doc[study], pointer("", study))]
    return [(doc, "")]


def _member(node: Node, name: str) -> Node | None:
    obj, ptr = node
    k = key(obj, name)
    return (obj[k], pointer(ptr, k)) if k is not None else None


class _Study:
    """One study's protocol section, read through (v2, v1) path pairs."""

    def __init__(self, ps: object, ptr: str, v1: bool) -> None:
        self.root: Node = (ps, ptr)
        self.v1 = v1

    def node(self, spec: Spec, base: Node | None = None) -> Node | None:
        for path in (spec[1], spec[0]) if self.v1 else spec:
            found: Node | None = base or self.root
            for name in path.split("/"):
                found = _member(found, name) if found else None
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
        return [(v, pointer(found[1], i)) for i, v in enumerate(found[0])]

    def texts(self, spec: Spec, base: Node | None = None) -> list[Found]:
        return [(v, p) for v, p in self.items(spec, base) if isinstance(v, str)]


# ---- the shared ClinicalTrials.gov record layout ----------------------------------------


class Accessor(Protocol):
    """Reads one record through a format's paths; ``base`` is an item from ``items``."""

    def text(self, path: Any, base: Any = None) -> Found | None: ...
    def texts(self, path: Any, base: Any = None) -> list[Found]: ...
    def items(self, path: Any, base: Any = None) -> list[Any]: ...
    def node(self, path: Any, base: Any = None) -> Node | None: ...


_Add = Callable[[str, str, "Found | None"], None]  # add(section name, heading, found string)
Row = tuple[str, str, str]  # section name, heading, layout key of one string
_HEAD: list[Row] = [
    ("title", "Brief Title", "brief_title"),
    ("official_title", "Official Title", "official_title"),
    ("summary", "Brief Summary", "summary"),
    ("description", "Detailed Description", "description"),
]
_FACTS: list[Row] = [
    ("eligibility", "Study Population", "study_population"),
    ("eligibility", "Sex", "sex"),
    ("eligibility", "Minimum Age", "min_age"),
    ("eligibility", "Maximum Age", "max_age"),
    ("design", "Study Type", "study_type"),
    ("design", "Study Design", "study_design"),
    ("design", "Allocation", "allocation"),
    ("design", "Intervention Model", "model"),
    ("design", "Intervention Model Description", "model_description"),
    ("design", "Primary Purpose", "purpose"),
    ("design", "Masking", "masking"),
    ("design", "Masking Description", "masking_description"),
    ("design", "Observational Model", "observational_model"),
    ("design", "Time Perspective", "time_perspective"),
]
_STATUS: list[Row] = [
    ("enrollment", "Enrollment", "enrollment"),
    ("status", "Overall Status", "status"),
    ("status", "Last Known Status", "last_known_status"),
    ("status", "Why Stopped", "why_stopped"),
    ("sponsor", "Lead Sponsor", "sponsor"),
]
_TAIL: list[Row] = [
    ("dates", "Start Date", "start_date"),
    ("dates", "Primary Completion Date", "primary_completion_date"),
    ("dates", "Completion Date", "completion_date"),
    ("dates", "First Posted", "first_posted"),
    ("dates", "Last Update Posted", "last_update"),
    ("identifiers", "NCT ID", "nct_id"),
    ("identifiers", "Acronym", "acronym"),
    ("identifiers", "Org Study ID", "org_study_id"),
]
# section name, heading, layout key of the items, layout key of the string in each item
_GROUPS: list[tuple[str, str, str, str]] = [
    ("collaborators", "Collaborator", "collaborators", "collaborator_name"),
    ("contacts", "Overall Official", "officials", "official_name"),
    ("contacts", "Overall Official Affiliation", "officials", "official_affiliation"),
    ("contacts", "Central Contact", "central_contacts", "central_contact_name"),
]


class _Record:
    """An accessor seen through a layout: keys missing from the layout read as absent."""

    def __init__(self, acc: Accessor, layout: Mapping[str, Any]) -> None:
        self.acc, self.layout = acc, layout

    def text(self, k: str, base: Any = None) -> Found | None:
        path = self.layout.get(k)
        return None if path is None else self.acc.text(path, base)

    def texts(self, k: str, base: Any = None) -> list[Found]:
        path = self.layout.get(k)
        return [] if path is None else self.acc.texts(path, base)

    def items(self, k: str) -> list[Any]:
        path = self.layout.get(k)
        return [] if path is None else self.acc.items(path)

    def value(self, k: str, base: Any = None) -> str | None:
        found = self.text(k, base)
        return (found[0].strip() or None) if found else None


def _count(value: object) -> int | None:
    try:
        return parse_int(value)
    except ValueError:  # an absurdly long digit string
        return None


def _design_fact(design: str | None, label: str) -> str | None:
    """'Allocation: Randomized, ..., Masking: Double Blind (Subject)' -> 'Randomized'."""
    m = re.search(label + r":\s*([^,(]+)", design or "", re.I)
    return m.group(1).strip() if m else None


def build_trial(acc: Accessor, layout: Mapping[str, Any], source: str, fmt: str, single: bool) -> Trial:
    """One record into a `Trial`; raises CorpusError when the record is unusable."""
    r = _Record(acc, layout)
    nct_id = r.value("nct_id")
    if nct_id is None:
        raise CorpusError(source, "no NCT ID in record")
    if not NCT_RE.fullmatch(nct_id):
        raise CorpusError(source, f"NCT ID {nct_id[:40]!r} is not of the form NCT########")
    cut = [
        f[1].rsplit("/", 1)[-1]
        for f in (r.text("brief_title"), r.text("official_title"))
        if f and f[0].rstrip().endswith(("...", "…"))
    ]
    if cut and r.value("status") is None:
        raise CorpusError(
            source, f"record {nct_id} is cut short: placeholder '...' values ({', '.join(cut)}) and no overall status"
        )
    secs: list[Section] = []

    def add(name: str, heading: str, found: Found | None) -> None:
        sec = section(name, heading, found[0], field=found[1]) if found else None
        if sec is not None:
            secs.append(sec)

    def rows(table: list[Row]) -> None:
        for name, heading, k in table:
            add(name, heading, r.text(k))

    rows(_HEAD)
    for found in r.texts("conditions"):
        add("conditions", "Condition", found)
    for found in r.texts("keywords"):
        add("keywords", "Keyword", found)
    interventions = _interventions(r, add)
    _arms(r, add)
    if (criteria := r.text("criteria")) is not None:
        secs.extend(eligibility_sections(criteria[0], criteria[1]))
    rows(_FACTS)
    _outcomes(r, add)
    rows(_STATUS)
    for found in r.texts("phases"):
        add("phase", "Phase", found)
    for name, heading, group, k in _GROUPS[:1]:
        for item in r.items(group):
            add(name, heading, r.text(k, item))
    locations = []
    for item in r.items("locations"):
        parts = [r.text(part, item) for part in ("facility", "city", "state", "country")]
        for part in parts:
            add("locations", "Location", part)
        if parts[0] or parts[1]:
            locations.append(
                ", ".join(v for v in (r.value(p, item) for p in ("facility", "city", "state", "country")) if v)
            )
    for name, heading, group, k in _GROUPS[1:]:
        for item in r.items(group):
            add(name, heading, r.text(k, item))
    rows(_TAIL)
    for item in r.items("references"):
        add("references", "Reference", r.text("citation", item))

    design = r.value("study_design")
    count = layout.get("enrollment")
    enrollment = r.text("enrollment") or (acc.node(count) if count is not None else None)
    warnings = []
    title = r.value("brief_title") or r.value("official_title") or ""
    if not title:
        warnings.append(f"record {nct_id} has no title")
    aliases = [a.strip() for a, _ in r.texts("aliases")]
    if single and (warning := file_id_warning(source, nct_id, aliases)):
        warnings.append(warning)
    return Trial(
        nct_id=nct_id,
        title=title,
        source=source,
        format=fmt,
        sections=tuple(secs),
        sponsor=r.value("sponsor"),
        status=norm_status(r.value("status")),
        phases=norm_phases([p for p, _ in r.texts("phases")]),
        study_type=norm_enum(r.value("study_type")),
        conditions=tuple(v for c, _ in r.texts("conditions") if (v := c.strip())),
        interventions=tuple(interventions),
        enrollment=_count(enrollment[0]) if enrollment else None,
        sex=norm_sex(r.value("sex")),
        min_age=parse_age(r.value("min_age")),
        max_age=parse_age(r.value("max_age")),
        allocation=norm_allocation(r.value("allocation") or _design_fact(design, "Allocation")),
        masking=norm_masking(r.value("masking") or _design_fact(design, "Masking")),
        intervention_model=norm_enum(r.value("model") or _design_fact(design, "Intervention Model")),
        locations=tuple(locations),
        last_update=r.value("last_update"),
        warnings=tuple(warnings),
    )


def _interventions(r: _Record, add: _Add) -> list[str]:
    labels = []
    for item in r.items("interventions"):
        kind, name = norm_enum(r.value("iv_type", item)), r.value("iv_name", item)
        label = ": ".join(x for x in (kind, name) if x)
        if name:
            labels.append(label)
        add("interventions", f"Intervention: {kind}" if kind else "Intervention", r.text("iv_name", item))
        heading = f"Intervention: {label}" if label else "Intervention"
        add("interventions", heading, r.text("iv_description", item))
        for found in r.texts("iv_other_names", item):
            add("interventions", f"Other Name: {label}" if label else "Other Name", found)
    return labels


def _arms(r: _Record, add: _Add) -> None:
    for item in r.items("arms"):
        label = r.value("arm_label", item)
        if r.value("arm_description", item):
            add("arms", f"Arm: {label}" if label else "Arm", r.text("arm_description", item))
        else:
            add("arms", "Arm", r.text("arm_label", item))


def _outcomes(r: _Record, add: _Add) -> None:
    for kind in ("Primary", "Secondary", "Other"):
        name, low = f"outcomes_{kind.lower()}", kind.lower()
        for item in r.items(f"{low}_outcomes"):
            measure = r.value(f"{low}_measure", item)
            what = f": {measure}" if measure else ""
            add(name, f"{kind} Outcome", r.text(f"{low}_measure", item))
            add(name, f"{kind} Outcome{what}", r.text(f"{low}_description", item))
            add(name, f"{kind} Outcome Time Frame{what}", r.text(f"{low}_time_frame", item))
