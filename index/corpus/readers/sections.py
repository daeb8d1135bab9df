"""Helpers shared by readers: trimmed sections, and eligibility text split at its headings."""

from __future__ import annotations

import re

from index.model import Section

_INCL = re.compile(r"^[ \t]*(?:key\s+)?inclusion\s+criteria\s*:?[ \t]*$", re.I | re.M)
_EXCL = re.compile(r"^[ \t]*(?:key\s+)?exclusion\s+criteria\s*:?[ \t]*$", re.I | re.M)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def section(
    name: str,
    heading: str,
    text: str,
    start: int = 0,
    end: int | None = None,
    field: str | None = None,
) -> Section | None:
    """A Section over text[start:end] trimmed of white space, or None when nothing is left."""
    s, e = trimmed(text, start, len(text) if end is None else end)
    if s >= e:
        return None
    return Section(name=name, heading=heading, text=text[s:e], start=s, end=e, field=field)


def eligibility_sections(text: str, field: str | None, base: int = 0) -> list[Section]:
    """Split a criteria block at its 'Inclusion Criteria:' / 'Exclusion Criteria:' lines.

    ``base`` is added to offsets (for text sources where the block sits inside a file).
    The heading lines themselves are not part of the section text.
    """
    marks: list[tuple[int, int, str, str]] = []
    for rx, name in ((_INCL, "eligibility_inclusion"), (_EXCL, "eligibility_exclusion")):
        for m in rx.finditer(text):
            marks.append((m.start(), m.end(), name, m.group(0).strip()))
    marks.sort()
    out: list[Section] = []
    if not marks:
        sec = section("eligibility", "Eligibility Criteria", text, 0, len(text), field)
        return [_shift(sec, base)] if sec else []
    if text[: marks[0][0]].strip():
        sec = section("eligibility", "Eligibility Criteria", text, 0, marks[0][0], field)
        if sec:
            out.append(_shift(sec, base))
    for i, (_, hend, name, heading) in enumerate(marks):
        nxt = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        sec = section(name, heading.rstrip(":"), text, hend, nxt, field)
        if sec:
            out.append(_shift(sec, base))
    return out


def _shift(sec: Section, base: int) -> Section:
    if not base:
        return sec
    return Section(sec.name, sec.heading, sec.text, sec.start + base, sec.end + base, sec.field)
