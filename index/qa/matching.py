"""The trials that satisfy a question's constraints, with the citations that decide each,
and how the answer says what it understood."""

from __future__ import annotations

from dataclasses import dataclass

from index.facts.check import check_all
from index.facts.constraint import Constraint
from index.facts.stored import FactIndex
from index.qa.context import Context
from index.qa.question import Mode
from index.results import Answer, Citation


@dataclass(frozen=True)
class Matching:
    constraints: tuple[str, ...]  # each constraint as the answer states it ("age > 65")
    trials: dict[str, list[Citation]]  # the trials that satisfy every constraint, in index order
    left_out: int  # trials whose record does not state a fact a constraint is on
    unstated: str = ""  # what the answer says of such trials when they are not left out

    @property
    def understood(self) -> str:
        return " · ".join(self.constraints)

    @property
    def note(self) -> str:
        """What the answer adds about trials left out ("" when none is)."""
        if not self.left_out:
            return self.unstated
        plural = "s" if self.left_out != 1 else ""
        return f" ({self.left_out} trial{plural} left out: the record does not state it)"

    def no_match(self, ctx: Context, q: str, mode: Mode, count: int | None) -> Answer:
        """No trial matches (among those the text search kept)."""
        return Answer(
            question=q,
            trials=(),
            no_answer=True,
            kind=mode,
            elapsed_ms=ctx.ms(),
            count=count,
            message=f"No trial in the corpus matches {self.understood or 'this'}{self.note}.",
            constraints=self.constraints,
            left_out=self.left_out,
        )


def match(trials: list[str], facts: FactIndex, constraints: list[Constraint], left_out: int = 0) -> Matching:
    """Check every trial against every constraint. ``left_out``: trials already known to be
    left out (a backend's own filter counted them; they are not in ``trials``)."""
    matched: dict[str, list[Citation]] = {}
    for nct in trials:
        ok, cites = check_all(constraints, facts[nct])
        if ok:
            matched[nct] = cites
        elif ok is None:
            left_out += 1
    return Matching(tuple(c.label for c in constraints), matched, left_out)
