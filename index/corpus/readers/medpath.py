"""MedPath trial pages saved as text.

Headings stand on their own lines with no blank line after them; the page's tables
arrive with their cells run together ("NameTimeMethod" / "Ishak Fibrosis ScoreChanges
from baseline to 72 weeks"). Rows are split back into cells at case boundaries where the
header says how many columns there are; each recovered cell becomes its own section with
exact offsets, and the whole row stays citable where the cells cannot be told apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.corpus.readers import lines as L
from index.corpus.readers.headings import heading_name
from index.corpus.readers.normalize import (
    STATUSES,
    norm_allocation,
    norm_enum,
    norm_masking,
    norm_phase,
    norm_sex,
    norm_status,
    parse_int,
)
from index.errors import CorpusError
from index.model import NCT_RE, Section, Trial

FORMAT = "medpath"

_FOOTER = re.compile(r"^(©|\(c\) copyright|copyright ©)", re.I)
_HEADER_CELLS = re.compile(r"[A-Z][a-z]+")
# A cell boundary inside run-together text: lower/digit/closing bracket then a capital,
# or an acronym's last capital followed by a capitalised word ("DNAChanges").
_BOUNDARY = re.compile(r"(?<=[a-z0-9)\]%])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")
_NOT_AVAILABLE = {"not available", "n/a", "none", ""}
_LOCATIONS_COUNT = re.compile(r"^locations\s*\(\d+\)$", re.I)
_STATUS_WORDS = {s.lower() for s in STATUSES}
_WHOLE_BLOCKS = {"eligibility_inclusion", "eligibility_exclusion", "conditions", "interventions"}


def sniff(text: str) -> bool:
    head = text.lstrip("\ufeff \n")[:40].lower()
    return head.startswith("medpath") or ("registration number" in text.lower() and "lead sponsor" in text.lower())


def parse(text: str, source: str) -> list[Trial]:
    lines = [ln for ln in L.before(L.split(text), _FOOTER) if not ln.blank]
    if not lines:
        raise CorpusError(source, "MedPath page with no content")
    start = 1 if lines[0].text.lower() == "medpath" else 0
    if start >= len(lines):
        raise CorpusError(source, "MedPath page with no title")
    title = lines[start]
    first = next((i for i in range(start + 1, len(lines)) if heading_name(lines[i].text)), len(lines))
    badges = _badges(lines[start + 1 : first])
    blocks = L.blocks(lines[first:])
    values: Values = {}
    for heading, content in blocks:
        values.setdefault(heading.text.lower(), content)
    sections = [
        Section("title", "Title", title.text, title.start, title.end),
        *badges.sections,
        *(sec for heading, content in blocks for sec in _block_sections(heading, content, text)),
    ]
    nct = next((m for ln in values.get("registration number", []) for m in NCT_RE.findall(ln.text)), None)
    nct = nct or L.first_nct(text)
    if nct is None:
        raise CorpusError(source, "MedPath page without an NCT ID")
    return [_trial(nct, title.text, source, sections, values, badges)]


Values = dict[str, list[L.Line]]  # lower-cased heading -> the lines under its first block


@dataclass(frozen=True)
class _Badges:
    """The phase and status lines between the title and the first heading."""

    sections: list[Section]
    phases: list[str]
    status: str | None


def _badges(lines: list[L.Line]) -> _Badges:
    sections: list[Section] = []
    phases: list[str] = []
    status: str | None = None
    for ln in lines:
        if phase := norm_phase(ln.text):
            phases.append(phase)
            sections.append(Section("phase", "Phase", ln.text, ln.start, ln.end))
        elif ln.text.lower() in _STATUS_WORDS or ln.text.lower().replace("_", " ") in _STATUS_WORDS:
            status = norm_status(ln.text)
            sections.append(Section("status", "Status", ln.text, ln.start, ln.end))
    return _Badges(sections, phases, status)


def _block_sections(heading: L.Line, content: list[L.Line], text: str) -> list[Section]:
    """A block's sections: a table's cells, one section for a list block, else one per line."""
    name = heading_name(heading.text) or "notes"
    if not content or (content[0].text.lower() in _NOT_AVAILABLE and len(content) == 1):
        return []
    if _is_table_header(content[0].text):
        return _table(name, heading.text, text, content)
    if name in _WHOLE_BLOCKS:
        sec = L.block_section(name, heading.text, text, content)
        return [sec] if sec else []
    return [
        Section(name, heading.text, ln.text, ln.start, ln.end)
        for ln in content
        if not _LOCATIONS_COUNT.match(ln.text) and any(c.isalnum() for c in ln.text)
    ]


def _trial(nct: str, title: str, source: str, sections: list[Section], values: Values, badges: _Badges) -> Trial:
    def val(key: str) -> str | None:
        got = values.get(key)
        return got[0].text if got else None

    interventions = tuple(s.text for s in sections if s.name == "interventions" and s.heading.endswith("Intervention"))
    ages = _ages(values)
    locs = [ln.text for ln in values.get("trial locations", []) if not _LOCATIONS_COUNT.match(ln.text)]
    return Trial(
        nct_id=nct,
        title=title,
        source=source,
        format=FORMAT,
        sections=tuple(sections),
        sponsor=val("lead sponsor"),
        status=norm_status(val("status")) or badges.status,
        phases=tuple(p for p in badges.phases if p),
        study_type=norm_enum(val("study type")),
        conditions=tuple(ln.text for ln in values.get("conditions", [])),
        interventions=interventions,
        enrollment=parse_int(val("target recruitment") or "") if val("target recruitment") else None,
        sex=norm_sex(val("sex")),
        min_age=ages[0],
        max_age=ages[1],
        intervention_model=norm_enum(val("intervention model") or val("interventional model") or val("study design")),
        allocation=norm_allocation(val("allocation")),
        masking=norm_masking(val("masking")),
        locations=tuple(x for x in locs if any(c.isalnum() for c in x)),
    )


def _is_table_header(value: str) -> bool:
    cells = _HEADER_CELLS.findall(value)
    return " " not in value and len(cells) >= 2 and "".join(cells) == value


def _table(name: str, heading: str, text: str, rows: list[L.Line]) -> list[Section]:
    columns = _HEADER_CELLS.findall(rows[0].text)
    out: list[Section] = []
    for row in rows[1:]:
        cells = split_row(row.text, len(columns))
        if cells is None:
            out.append(Section(name, heading, row.text, row.start, row.end))
            continue
        label = row.text[cells[0][0] : cells[0][1]]
        for col, (s, e) in zip(columns, cells, strict=False):
            if s >= e:
                continue
            cname, cheading = _cell_name(name, heading, col, label)
            out.append(Section(cname, cheading, row.text[s:e], row.start + s, row.start + e))
    return out


def _cell_name(name: str, heading: str, column: str, label: str) -> tuple[str, str]:
    if name == "arms":
        if column == "Intervention":
            return "interventions", f"{heading}: Intervention"
        if column == "Group":
            return "arms", f"{heading}: Group"
        return "arms", f"{heading}: {column} ({label})"
    if column == "Name":
        return name, heading
    return name, f"{heading}: {column} ({label})"


def split_row(row: str, ncols: int) -> list[tuple[int, int]] | None:
    """Cells of a run-together table row as (start, end) pairs, or None when unsure.

    Cells with the same text repeated back to back (a group named like its intervention)
    are preferred; otherwise the first ncols-1 case boundaries split the row and any
    missing trailing cells are empty.
    """
    cuts = [m.start() for m in _BOUNDARY.finditer(row)]
    if ncols <= 1:
        return [(0, len(row))]
    for c in cuts:  # repeated leading cell: "UC-MSC infusionUC-MSC infusion..."
        head = row[:c]
        if len(head) >= 3 and row.startswith(head * 2) and ncols >= 3:
            rest = 2 * c
            return [(0, c), (c, 2 * c), (rest, len(row))] + [(len(row), len(row))] * (ncols - 3)
    if not cuts:
        return None
    chosen = cuts[: ncols - 1]
    bounds = [0, *chosen, len(row)]
    cells = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    cells += [(len(row), len(row))] * (ncols - len(cells))
    return cells


def _ages(values: dict[str, list[L.Line]]) -> L.AgeBounds:
    """From an "Ages"/"Age" block, else from an inclusion line about age or years."""
    for key in ("ages", "age", "inclusion criteria"):
        for ln in values.get(key, []):
            if key != "inclusion criteria" or re.search(r"\bage|\byears?\b", ln.text, re.I):
                lo, hi = L.parse_age_bounds(ln.text)
                if lo is not None or hi is not None:
                    return lo, hi
    return None, None
