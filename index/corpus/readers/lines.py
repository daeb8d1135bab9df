"""Line-oriented helpers for page-text readers: every line keeps its offsets in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.corpus.readers.headings import heading_name
from index.corpus.readers.normalize import parse_int
from index.model import NCT_RE, Age, Section

Block = tuple["Line", list["Line"]]  # a heading line and the lines under it


@dataclass(frozen=True)
class Line:
    text: str  # stripped
    start: int  # offset of the first non-blank character
    end: int  # offset just after the last non-blank character

    @property
    def blank(self) -> bool:
        return not self.text


def split(text: str) -> list[Line]:
    out: list[Line] = []
    for m in re.finditer(r"[^\n]*\n?", text):
        if not m.group(0):
            continue
        raw = m.group(0)
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        s = m.start() + lead
        out.append(Line(stripped, s, s + len(stripped)))
    return out


def before(lines: list[Line], footer: re.Pattern[str]) -> list[Line]:
    """The lines before the first one that ``footer`` matches (a page's footer)."""
    for i, ln in enumerate(lines):
        if footer.match(ln.text):
            return lines[:i]
    return list(lines)


def blocks(lines: list[Line], after_blank: bool = False) -> list[Block]:
    """(heading line, content lines) pairs: a heading is a line `heading_name` knows (with
    ``after_blank``, only one standing after a blank line or at the start); lines before
    the first heading are dropped."""
    out: list[Block] = []
    prev_blank = True
    for ln in lines:
        if heading_name(ln.text) and (prev_blank or not after_blank):
            out.append((ln, []))
        elif out:
            out[-1][1].append(ln)
        prev_blank = ln.blank
    return out


def block_section(name: str, heading: str, text: str, lines: list[Line]) -> Section | None:
    """One section spanning the given lines (from the first to the last non-blank one)."""
    body = [ln for ln in lines if not ln.blank]
    if not body:
        return None
    start, end = body[0].start, body[-1].end
    return Section(name=name, heading=heading, text=text[start:end], start=start, end=end)


_AGE_UNIT = r"(year|month|week|day)?s?"
_AGE_NUM = r"(\d+(?:\.\d+)?)"
_AGE_SPAN = re.compile(_AGE_NUM + r"\s*" + _AGE_UNIT + r"\s*(?:-|–|to|and)\s*" + _AGE_NUM + r"\s*" + _AGE_UNIT)
_AGE_FROM = re.compile(_AGE_NUM + r"\s*\+?\s*" + _AGE_UNIT + r"\s*(?:old\s*)?(?:and\s+(?:older|over|above))?")
_AGE_UPTO = re.compile(r"(?:up to|under|below|younger than)\s*" + _AGE_NUM + r"\s*" + _AGE_UNIT)

AgeBounds = tuple[Age | None, Age | None]


def parse_age_bounds(value: str) -> AgeBounds:
    """Each bound in its own unit: '6 months to 17 years old' -> (6 months, 17 years);
    '6 to 18 months' -> (6 months, 18 months); '28 days and older'; 'Up to 65 years old'.
    A number without a unit is in the range's other unit, else in years."""
    v = value.lower()
    if m := _AGE_SPAN.search(v):
        hi_unit = m.group(4) or "year"
        return _age(m.group(1), m.group(2) or hi_unit), _age(m.group(3), hi_unit)
    m = _AGE_FROM.search(v)
    if m and ("+" in v or "older" in v or "over" in v or "above" in v) and "up to" not in v:
        return _age(m.group(1), m.group(2)), None
    if m := _AGE_UPTO.search(v):
        return None, _age(m.group(1), m.group(2))
    return None, None


def parse_age_range(value: str) -> tuple[float | None, float | None]:
    """The bounds of ``parse_age_bounds`` in years: '18 to 65 years old', '18+ years old',
    'Up to 65 years old', 'Aged between 20 and 60', '6 months to 17 years' -> (0.5, 17.0)."""
    lo, hi = parse_age_bounds(value)
    return (lo.years if lo else None), (hi.years if hi else None)


def _age(number: str, unit: str | None) -> Age:
    return Age(float(number), (unit or "year") + "s")


def enrollment_of(value: str) -> int | None:
    return parse_int(value)


def first_nct(text: str) -> str | None:
    """The first NCT ID in the text, or None."""
    m = NCT_RE.search(text)
    return m.group(0) if m else None
