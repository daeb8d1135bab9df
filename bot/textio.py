"""Terminal text in and out: stdin read leniently, and record or question text made harmless
before it is printed (a record or a question holding an escape sequence, a bell or a
bidirectional override cannot change the terminal or reorder what is shown)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import replace

from index.results import Answer, Citation, CompareRow, TrialAnswer

# C0 controls (but tab and newline), DEL, C1 controls, bidirectional overrides and isolates,
# lone surrogates (undecodable input that could not be printed).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_ECHO = 200  # characters of a question repeated back in plain text (as `trialqa chat` does)


def safe(text: str) -> str:
    """`text` with each unsafe character replaced by one space (offsets into it stay valid)."""
    return _UNSAFE.sub(" ", text)


def echo(question: str, limit: int = MAX_ECHO) -> str:
    """A question as repeated back: safe, on one line, at most `limit` characters."""
    q = " ".join(safe(question).split())
    return q if len(q) <= limit else q[: limit - 1] + "…"


def printable(a: Answer) -> Answer:
    """The answer with every text a terminal would show made safe and the question shortened."""

    def cite(c: Citation) -> Citation:
        return replace(c, section=safe(c.section), snippet=safe(c.snippet))

    def trial(t: TrialAnswer) -> TrialAnswer:
        return replace(t, title=safe(t.title), url=safe(t.url), citations=tuple(cite(c) for c in t.citations))

    table = tuple(_safe_row(r) for r in a.table) if a.table else a.table
    return replace(
        a,
        question=echo(a.question),
        message=safe(a.message) if a.message else a.message,
        trials=tuple(trial(t) for t in a.trials),
        more=tuple(trial(t) for t in a.more),
        table=table,
    )


def _safe_row(row: CompareRow) -> CompareRow:
    c = row.citation
    citation = replace(c, section=safe(c.section), snippet=safe(c.snippet)) if c else None
    return replace(row, nct_id=safe(row.nct_id), title=safe(row.title), value=safe(row.value), citation=citation)


def stdin_lines() -> Iterator[str]:
    """Lines of standard input without their line ends; bytes that are not UTF-8 become
    U+FFFD rather than stopping the run with a decoding error."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # a text stream put in place of stdin
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    for data in raw:
        yield data.decode("utf-8", errors="replace").rstrip("\r\n")
