"""Sentence and bullet boundaries, as (start, end) spans, for chunking and snippets."""

from __future__ import annotations

import re

from index.corpus.readers.sections import trimmed

_ABBREV = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "no",
        "nos",
        "approx",
        "al",
        "fig",
        "ca",
        "cf",
        "st",
        "inc",
        "ltd",
        "co",
        "i.v",
        "i.m",
        "s.c",
    ]
)
_END = re.compile(r"[.!?](?=\s+[\"'(\[]?[A-Z0-9•\-*])")
_BULLET = re.compile(r"\s*(?:[-*•·▪◦]|\d{1,3}[.)]|[a-z][.)])\s+")


def spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences and list items of text[start:end]: lines first, then sentence ends
    inside each line. Spans are trimmed of white space and never empty."""
    stop = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:stop]):
        ls, le = start + line.start(), start + line.end()
        cut = ls
        for m in _END.finditer(text, ls, le):
            before = text[cut : m.start()].strip()
            word = re.search(r"([\w.]+)$", before)
            if word and word.group(1).lower().rstrip(".") in _ABBREV:
                continue
            if re.fullmatch(r"[-*•·]?\s*(\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})", before):
                continue  # a list marker ("1.", "a.", "iv."), not a sentence
            out.append((cut, m.end()))
            cut = m.end()
        out.append((cut, le))
    return [t for t in (trimmed(text, s, e) for s, e in out) if t[0] < t[1]]


def strip_bullet(text: str, s: int, e: int) -> int:
    """Offset after a leading list marker ("1. ", "• ") inside text[s:e], or s."""
    m = _BULLET.match(text, s, e)
    return m.end() if m else s
