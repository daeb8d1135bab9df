"""Line-oriented helpers for page-text readers: every line keeps its offsets in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.corpus.readers.headings import heading_name
from index.corpus.readers.normalize import parse_int
from index.model import NCT_RE, Section

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


def parse_age_range(value: str) -> tuple[float | None, float | None]:
    """'18 to 65 years old', '18+ years old', 'Up to 65 years old', 'Aged between 20 and 60'."""
    v = value.lower()
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:-|to|and)\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)?", v)
    if m:
        div = _unit_div(m.group(3))
        return float(m.group(1)) / div, float(m.group(2)) / div
    m = re.search(r"(\d+(?:\.\d+)?)\s*\+?\s*(year|month|week|day)?s?\s*(?:old\s*)?(?:and\s+(?:older|over|above))?", v)
    if m and ("+" in v or "older" in v or "over" in v or "above" in v) and "up to" not in v:
        return float(m.group(1)) / _unit_div(m.group(2)), None
    m = re.search(r"(?:up to|under|below|younger than)\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)?", v)
    if m:
        return None, float(m.group(1)) / _unit_div(m.group(2))
    return None, None


def _unit_div(unit: str | None) -> float:
    return {"month": 12.0, "week": 52.1775, "day": 365.25}.get(unit or "year", 1.0)


def enrollment_of(value: str) -> int | None:
    return parse_int(value)


def first_nct(text: str) -> str | None:
    """The first NCT ID in the text, or None."""
    m = NCT_RE.search(text)
    return m.group(0) if m else None
