"""Terminal text in and out: stdin read leniently, and record or question text made harmless
before it is printed (a record or a question holding an escape sequence, a bell or a
bidirectional override cannot change the terminal or reorder what is shown)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from index.answer import Answer, Citation, TrialAnswer

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

    extra = a.extra
    if extra.get("table"):
        extra = dict(extra, table=[_safe_row(r) for r in extra["table"]])
    return replace(
        a,
        question=echo(a.question),
        message=safe(a.message) if a.message else a.message,
        trials=tuple(trial(t) for t in a.trials),
        more=tuple(trial(t) for t in a.more),
        extra=extra,
    )


def _safe_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: safe(v) if isinstance(v, str) else v for k, v in row.items()}
    if isinstance(row.get("citation"), dict):
        out["citation"] = {k: safe(v) if isinstance(v, str) else v for k, v in row["citation"].items()}
    return out


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
