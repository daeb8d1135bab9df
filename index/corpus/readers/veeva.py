"""ClinicalTrials.Veeva trial pages saved as text.

Layout: site chrome ("ClinicalTrials.Veeva", "Menu"), the title, a one-letter avatar, the
sponsor, then blocks introduced by heading lines ("Status and phase", "Conditions", ...,
"Inclusion criteria", "Trial design", "240 participants in 2 patient groups", ...) and a
chrome footer from "Data sourced from clinicaltrials.gov" on.
"""

from __future__ import annotations

import re

from index.corpus.readers import lines as L
from index.corpus.readers.headings import heading_name
from index.corpus.readers.normalize import norm_allocation, norm_enum, norm_masking, norm_phases, norm_sex, norm_status
from index.errors import CorpusError
from index.model import NCT_RE, Age, Section, Trial

FORMAT = "veeva"

_CHROME = {"clinicaltrials.veeva", "menu", "loading...", "loading…"}
_FOOTER = re.compile(r"^(data sourced from clinicaltrials\.gov|©|\(c\) copyright)", re.I)
# Group headings that only introduce other headings.
_GROUPS = {"details and patient eligibility", "trial design"}


def sniff(text: str) -> bool:
    head = text[:400].lower()
    return "clinicaltrials.veeva" in head or (
        "details and patient eligibility" in text.lower() and "identifiers" in text.lower()
    )


def parse(text: str, source: str) -> list[Trial]:
    lines = L.split(text)
    body = _body(lines)
    first_heading = next((i for i, ln in enumerate(body) if heading_name(ln.text)), None)
    if first_heading is None:
        raise CorpusError(source, "Veeva page without any section headings")
    preamble = [ln for ln in body[:first_heading] if not ln.blank]
    blocks = _blocks(body[first_heading:])
    sections: list[Section] = []
    values: dict[str, list[str]] = {}
    locations: list[str] = []
    title_ln = preamble[0] if preamble else None
    if title_ln is not None:
        sections.append(Section("title", "Title", title_ln.text, title_ln.start, title_ln.end))
    sponsor_ln = _sponsor_line(preamble)
    if sponsor_ln is not None:
        sections.append(Section("sponsor", "Sponsor", sponsor_ln.text, sponsor_ln.start, sponsor_ln.end))
    for heading, content in blocks:
        key = heading.text.rstrip(":").strip().lower()
        values[key] = [ln.text for ln in content if not ln.blank]
        if key in _GROUPS:
            continue
        name = heading_name(heading.text) or "notes"
        if name == "locations":
            # A site count ("1") comes first; the list itself is loaded by script on the live page.
            content = [ln for ln in content if not ln.text.isdigit()]
            values[key] = [ln.text for ln in content if not ln.blank]
            locations.extend(values[key])
        sec = L.block_section(name, heading.text.rstrip(":"), text, content)
        if sec is not None:
            sections.append(sec)
    nct = _first(NCT_RE.findall(" ".join(values.get("identifiers", []))))
    if nct is None:
        nct = _first(NCT_RE.findall(text))
    if nct is None:
        raise CorpusError(source, "Veeva page without an NCT ID")
    status_lines = values.get("status and phase") or values.get("status") or []
    phases = norm_phases(status_lines[1:] + values.get("phase", []))
    lo, hi = L.parse_age_range(" ".join(values.get("ages", [])))
    arms_key = next((k for k in values if heading_name(k) == "arms"), None)
    warnings: list[str] = []
    if title_ln is None:
        warnings.append("no title found")
    return [
        Trial(
            nct_id=nct,
            title=title_ln.text if title_ln else nct,
            source=source,
            format=FORMAT,
            sections=tuple(sections),
            sponsor=sponsor_ln.text if sponsor_ln else None,
            status=norm_status(status_lines[0]) if status_lines else None,
            phases=phases,
            study_type=norm_enum(_first(values.get("study type", []))),
            conditions=tuple(values.get("conditions", [])),
            interventions=tuple(values.get("treatments", values.get("interventions", []))),
            enrollment=L.enrollment_of(" ".join(values.get("enrollment", [])))
            or (L.enrollment_of(arms_key) if arms_key else None),
            sex=norm_sex(_first(values.get("sex", []))),
            min_age=Age(lo, "years") if lo is not None else None,
            max_age=Age(hi, "years") if hi is not None else None,
            allocation=norm_allocation(_first(values.get("allocation", []))),
            masking=norm_masking(_first(values.get("masking", []))),
            intervention_model=norm_enum(
                _first(values.get("interventional model", values.get("intervention model", [])))
            ),
            locations=tuple(locations),
            warnings=tuple(warnings),
        )
    ]


def _body(lines: list[L.Line]) -> list[L.Line]:
    """Lines between the top chrome and the footer, chrome lines dropped."""
    out: list[L.Line] = []
    for ln in lines:
        if _FOOTER.match(ln.text):
            break
        if ln.text.lower() in _CHROME:
            out.append(L.Line("", ln.start, ln.start))
            continue
        out.append(ln)
    return out


def _blocks(lines: list[L.Line]) -> list[tuple[L.Line, list[L.Line]]]:
    """(heading line, content lines) pairs. A heading is a known heading line that stands
    alone (after a blank line or at the start)."""
    out: list[tuple[L.Line, list[L.Line]]] = []
    prev_blank = True
    for ln in lines:
        if not ln.blank and prev_blank and heading_name(ln.text):
            out.append((ln, []))
        elif out:
            out[-1][1].append(ln)
        prev_blank = ln.blank
    return out


def _sponsor_line(preamble: list[L.Line]) -> L.Line | None:
    rest = preamble[1:]
    if rest and len(rest[0].text) == 1 and rest[0].text.isalpha():
        rest = rest[1:]  # the avatar initial
    return rest[0] if rest else None


def _first(values: list[str]) -> str | None:
    return values[0] if values else None
