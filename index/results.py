"""What the library returns: retrieved chunks (`Hit`) and cited answers (`Citation`,
`TrialAnswer`, `Answer`), as typed, frozen dataclasses.

`Answer.to_dict()` is the `ask --json` object (a public interface: its keys never change).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.text.chunk import Chunk


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with every score that put it where it is."""

    chunk: Chunk
    row: int
    score: float  # fused
    bm25: float  # raw BM25 score above what a chunk without any query term gets
    dense: float  # cosine similarity of the chunk and the query
    bm25_part: float  # BM25's contribution to `score`
    dense_part: float  # the dense side's contribution to `score`


@dataclass(frozen=True)
class Citation:
    section: str  # the heading as the source shows it
    name: str  # canonical section name
    snippet: str
    source: str
    field: str | None
    start: int
    end: int
    highlights: tuple[tuple[int, int], ...] = ()  # matched words, offsets in snippet

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "snippet": self.snippet,
            "source": self.source,
            "field": self.field,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class TrialAnswer:
    nct_id: str
    title: str
    url: str
    score: float
    citations: tuple[Citation, ...]
    support: float = 0.0
    last_update: str | None = None  # as the record states it; shown in text, not in to_dict()

    def to_dict(self) -> dict[str, Any]:
        return {
            "nct_id": self.nct_id,
            "title": self.title,
            "url": self.url,
            "score": round(self.score, 4),
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass(frozen=True)
class CompareRow:
    """One row of a comparison ("compare the cell doses"): the trial's value and where it is stated."""

    nct_id: str
    title: str
    value: str
    citation: Citation | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "nct_id": self.nct_id,
            "title": self.title,
            "value": self.value,
            "citation": self.citation.to_dict() if self.citation else None,
        }


@dataclass(frozen=True)
class ConversationContext:
    """How a conversation read a question (`index.qa.conversation`): ``scope`` is "all" (a
    question of its own), "previous" (among the trials of the previous answer) or "trial"
    (about one trial of it); ``trials`` are the NCT IDs the answer was restricted to; ``asked``
    the question as it was searched (cue words removed, an elliptical follow-up completed)."""

    scope: str
    trials: tuple[str, ...]
    reason: str
    asked: str

    @property
    def summary(self) -> str | None:
        """The "Understood:" line of a follow-up (None for a question of its own)."""
        if self.scope == "trial" and self.trials:
            return f"Understood: about {self.trials[0]}"
        if self.scope == "previous":
            n = len(self.trials)
            return f"Understood: among the {n} trial{'s' if n != 1 else ''} of the previous answer"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "trials": list(self.trials), "reason": self.reason, "asked": self.asked}


@dataclass(frozen=True)
class Answer:
    """A cited answer. Fact questions fill the optional fields, each serialised under its own
    `ask --json` key only when set: ``constraints`` (what was understood, e.g. ``("age > 65",)``)
    and ``left_out`` (trials whose record does not state the fact); a count question adds
    ``count``; a comparison adds ``table``, ``compared`` (the field) and ``not_stated``. An answer
    given in a conversation adds ``context`` (how the question was read)."""

    question: str
    trials: tuple[TrialAnswer, ...]
    no_answer: bool
    kind: str = "list"  # "list", "lookup", "count" or "compare"
    message: str | None = None
    more: tuple[TrialAnswer, ...] = ()  # further candidates below the listing line
    elapsed_ms: float = 0.0
    constraints: tuple[str, ...] | None = None
    left_out: int | None = None
    count: int | None = None
    table: tuple[CompareRow, ...] | None = None
    compared: str | None = None
    not_stated: int | None = None
    context: ConversationContext | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "no_answer": self.no_answer,
            "trials": [t.to_dict() for t in self.trials],
        }
        if self.message:
            out["message"] = self.message
        if self.constraints is not None:
            out["constraints"] = list(self.constraints)
        if self.left_out is not None:
            out["left_out"] = self.left_out
        if self.count is not None:
            out["count"] = self.count
        if self.table is not None:
            out["table"] = [row.to_dict() for row in self.table]
        if self.compared is not None:
            out["compared"] = self.compared
        if self.not_stated is not None:
            out["not_stated"] = self.not_stated
        if self.context is not None:
            out["context"] = self.context.to_dict()
        return out
