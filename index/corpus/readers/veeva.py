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
from index.model import NCT_RE, Section, Trial

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
    body = [
        L.Line("", ln.start, ln.start) if ln.text.lower() in _CHROME else ln for ln in L.before(L.split(text), _FOOTER)
    ]
    first_heading = next((i for i, ln in enumerate(body) if heading_name(ln.text)), None)
    if first_heading is None:
        raise CorpusError(source, "Veeva page without any section headings")
    preamble = [ln for ln in body[:first_heading] if not ln.blank]
    title_ln = preamble[0] if preamble else None
    sponsor_ln = _sponsor_line(preamble)
    page = _Page(text)
    if title_ln is not None:
        page.sections.append(Section("title", "Title", title_ln.text, title_ln.start, title_ln.end))
    if sponsor_ln is not None:
        page.sections.append(Section("sponsor", "Sponsor", sponsor_ln.text, sponsor_ln.start, sponsor_ln.end))
    for heading, content in L.blocks(body[first_heading:], after_blank=True):
        page.add_block(heading, content)
    nct = _first(NCT_RE.findall(" ".join(page.values.get("identifiers", [])))) or L.first_nct(text)
    if nct is None:
        raise CorpusError(source, "Veeva page without an NCT ID")
    return [page.trial(nct, source, title_ln.text if title_ln else None, sponsor_ln.text if sponsor_ln else None)]


class _Page:
    """A Veeva page's sections and the values under its headings, block by block."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sections: list[Section] = []
        self.values: dict[str, list[str]] = {}  # lower-cased heading -> its non-blank lines
        self.locations: list[str] = []

    def add_block(self, heading: L.Line, content: list[L.Line]) -> None:
        key = heading.text.rstrip(":").strip().lower()
        self.values[key] = [ln.text for ln in content if not ln.blank]
        if key in _GROUPS:
            return
        name = heading_name(heading.text) or "notes"
        if name == "locations":
            # A site count ("1") comes first; the list itself is loaded by script on the live page.
            content = [ln for ln in content if not ln.text.isdigit()]
            self.values[key] = [ln.text for ln in content if not ln.blank]
            self.locations.extend(self.values[key])
        sec = L.block_section(name, heading.text.rstrip(":"), self.text, content)
        if sec is not None:
            self.sections.append(sec)

    def first(self, *keys: str) -> str | None:
        """The first line under the first of ``keys`` that the page has."""
        return _first(next((self.values[k] for k in keys if k in self.values), []))

    def trial(self, nct: str, source: str, title: str | None, sponsor: str | None) -> Trial:
        values = self.values
        status_lines = values.get("status and phase") or values.get("status") or []
        lo, hi = L.parse_age_bounds(" ".join(values.get("ages", [])))
        arms_key = next((k for k in values if heading_name(k) == "arms"), None)
        return Trial(
            nct_id=nct,
            title=title or nct,
            source=source,
            format=FORMAT,
            sections=tuple(self.sections),
            sponsor=sponsor,
            status=norm_status(status_lines[0]) if status_lines else None,
            phases=norm_phases(status_lines[1:] + values.get("phase", [])),
            study_type=norm_enum(self.first("study type")),
            conditions=tuple(values.get("conditions", [])),
            interventions=tuple(values.get("treatments", values.get("interventions", []))),
            enrollment=L.enrollment_of(" ".join(values.get("enrollment", [])))
            or (L.enrollment_of(arms_key) if arms_key else None),
            sex=norm_sex(self.first("sex")),
            min_age=lo,
            max_age=hi,
            allocation=norm_allocation(self.first("allocation")),
            masking=norm_masking(self.first("masking")),
            intervention_model=norm_enum(self.first("interventional model", "intervention model")),
            locations=tuple(self.locations),
            warnings=() if title is not None else ("no title found",),
        )


def _sponsor_line(preamble: list[L.Line]) -> L.Line | None:
    rest = preamble[1:]
    if rest and len(rest[0].text) == 1 and rest[0].text.isalpha():
        rest = rest[1:]  # the avatar initial
    return rest[0] if rest else None


def _first(values: list[str]) -> str | None:
    return values[0] if values else None
