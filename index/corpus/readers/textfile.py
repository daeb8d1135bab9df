"""Fallback reader: plain text or Markdown notes, one section per heading.

Headings are Markdown ATX headings ("## Eligibility"), or short lines ending with ':'
or known heading words standing alone. The trial is named by the first NCT ID in the
text; notes that name none are refused, since every answer is keyed by NCT ID.
"""

from __future__ import annotations

import re

from index.corpus.readers import lines as L
from index.corpus.readers.headings import guess_name, heading_name
from index.errors import CorpusError
from index.model import NCT_RE, Section, Trial

FORMAT = "text"

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)$")


def sniff(text: str) -> bool:
    return True


def parse(text: str, source: str) -> list[Trial]:
    if text.lstrip("\ufeff \t\r\n").startswith(("{", "[", "<?xml", "<")) and not NCT_RE.search(text):
        raise CorpusError(source, "looks like JSON or XML but is not a trial record in a known format")
    nct = NCT_RE.search(text)
    if nct is None:
        raise CorpusError(source, "no NCT ID (NCT followed by 8 digits) found in this text file")
    lines = L.split(text)
    heads = headings(lines)
    title: str | None = heads[0][1] if heads and heads[0][0] <= 1 else None
    if title is None:
        first = next((ln for ln in lines if ln.text), None)
        title = first.text if first else nct.group(0)
    return [
        Trial(
            nct_id=nct.group(0),
            title=title,
            source=source,
            format=FORMAT,
            sections=tuple(_sections(text, lines, heads, title)),
        )
    ]


def headings(lines: list[L.Line]) -> list[tuple[int, str]]:
    """(line index, heading text) of every heading line: ATX, setext, 'Known heading:' or
    a known heading standing alone after a blank line."""
    heads: list[tuple[int, str]] = []
    for i, ln in enumerate(lines):
        m = _ATX.match(ln.text)
        if m:
            heads.append((i, m.group(2)))
        elif i + 1 < len(lines) and _SETEXT.match(lines[i + 1].text) and ln.text and not _SETEXT.match(ln.text):
            heads.append((i, ln.text))
        elif ln.text.endswith(":") and 0 < len(ln.text) <= 60 and heading_name(ln.text):
            heads.append((i, ln.text.rstrip(":")))
        elif heading_name(ln.text) and (i == 0 or lines[i - 1].blank):
            heads.append((i, ln.text))
    return heads


def _sections(text: str, lines: list[L.Line], heads: list[tuple[int, str]], title: str) -> list[Section]:
    """The text before the first heading ('Notes'), then one section per heading."""
    if heads:
        before = L.block_section("summary", "Notes", text, lines[: heads[0][0]])
    else:
        before = L.block_section("notes", "Notes", text, lines)
    sections: list[Section] = [before] if before else []
    for k, (i, heading) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        body = [ln for ln in lines[i + 1 : end] if not _SETEXT.match(ln.text)]
        if k == 0 and heading == title:
            ln = lines[i]
            at = ln.text.find(title)
            sections.append(Section("title", "Title", title, ln.start + at, ln.start + at + len(title)))
        sec = L.block_section(guess_name(heading), heading, text, body)
        if sec:
            sections.append(sec)
    return sections
