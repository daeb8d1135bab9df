"""A ClinicalTrials.gov record into a `Trial`: identity checks, sections and facts.

`build_trial` takes any format's `Accessor` and layout; `collect` builds every record of a
file that holds several, skipping the bad ones with a warning on the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from index.corpus.readers.ctgov.record import Accessor, Node, RecordView
from index.corpus.readers.ctgov.sections import LOCATION_PARTS, intervention_label, record_sections
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
from index.errors import CorpusError
from index.model import MESH_NAMES, NCT_RE, Section, Trial


def build_trial(acc: Accessor, layout: Mapping[str, Any], source: str, fmt: str, single: bool) -> Trial:
    """One record into a `Trial`; raises CorpusError when the record is unusable.
    ``single``: the file holds this record only (its name is checked against the NCT ID)."""
    r = RecordView(acc, layout)
    nct_id = record_nct_id(r, source)
    refuse_cut_short(r, nct_id, source)
    sections = record_sections(r)
    design = r.value("study_design")
    title = r.value("brief_title") or r.value("official_title") or ""
    return Trial(
        nct_id=nct_id,
        title=title,
        source=source,
        format=fmt,
        sections=tuple(sections),
        sponsor=r.value("sponsor"),
        status=norm_status(r.value("status")),
        phases=norm_phases([p for p, _ in r.texts("phases")]),
        study_type=norm_enum(r.value("study_type")),
        conditions=tuple(v for c, _ in r.texts("conditions") if (v := c.strip())),
        interventions=tuple(intervention_names(r)),
        enrollment=enrollment(r),
        sex=norm_sex(r.value("sex")),
        min_age=parse_age(r.value("min_age")),
        max_age=parse_age(r.value("max_age")),
        allocation=norm_allocation(r.value("allocation") or design_fact(design, "Allocation")),
        masking=norm_masking(r.value("masking") or design_fact(design, "Masking")),
        intervention_model=norm_enum(r.value("model") or design_fact(design, "Intervention Model")),
        locations=tuple(location_names(r)),
        last_update=r.value("last_update"),
        mesh=tuple(mesh_terms(r)),
        warnings=tuple(warnings(r, nct_id, title, source, single)),
    )


def record_nct_id(r: RecordView, source: str) -> str:
    """The record's NCT ID; CorpusError when it is missing or malformed."""
    nct_id = r.value("nct_id")
    if nct_id is None:
        raise CorpusError(source, "no NCT ID in record")
    if not NCT_RE.fullmatch(nct_id):
        raise CorpusError(source, f"NCT ID {nct_id[:40]!r} is not of the form NCT########")
    return nct_id


def refuse_cut_short(r: RecordView, nct_id: str, source: str) -> None:
    """CorpusError for a truncated export: titles ending in '...' and no overall status."""
    cut = [
        f[1].rsplit("/", 1)[-1]
        for f in (r.text("brief_title"), r.text("official_title"))
        if f and f[0].rstrip().endswith(("...", "…"))
    ]
    if cut and r.value("status") is None:
        raise CorpusError(
            source, f"record {nct_id} is cut short: placeholder '...' values ({', '.join(cut)}) and no overall status"
        )


def warnings(r: RecordView, nct_id: str, title: str, source: str, single: bool) -> list[str]:
    out = []
    if not title:
        out.append(f"record {nct_id} has no title")
    aliases = [a.strip() for a, _ in r.texts("aliases")]
    if single and (warning := file_id_warning(source, nct_id, aliases)):
        out.append(warning)
    return out


def intervention_names(r: RecordView) -> list[str]:
    """'Type: name' of every intervention that has a name."""
    out = []
    for item in r.items("interventions"):
        _, name, label = intervention_label(r, item)
        if name:
            out.append(label)
    return out


def mesh_terms(r: RecordView) -> list[Section]:
    """The record's MeSH terms and ancestors (`MESH_NAMES`), each located like a section."""
    out = []
    for name, heading in MESH_NAMES.items():
        for value, where in r.texts(name):
            text = value.strip()
            if text:
                start = len(value) - len(value.lstrip())
                out.append(Section(name, heading, text, start, start + len(text), where))
    return out


def location_names(r: RecordView) -> list[str]:
    """'Facility, City, State, Country' of every location with a facility or a city."""
    out = []
    for item in r.items("locations"):
        if r.text("facility", item) or r.text("city", item):
            out.append(", ".join(v for v in (r.value(p, item) for p in LOCATION_PARTS) if v))
    return out


def enrollment(r: RecordView) -> int | None:
    """The enrollment count, from a string or (in JSON) a number."""
    found: Node | None = r.text("enrollment") or r.node("enrollment")
    if found is None:
        return None
    try:
        return parse_int(found[0])
    except ValueError:  # an absurdly long digit string
        return None


def design_fact(design: str | None, label: str) -> str | None:
    """'Allocation: Randomized, ..., Masking: Double Blind (Subject)' -> 'Randomized'."""
    m = re.search(label + r":\s*([^,(]+)", design or "", re.I)
    return m.group(1).strip() if m else None


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
