"""Count answers ("how many trials are recruiting?"): every matching trial, counted and listed."""

from __future__ import annotations

from index.qa.context import Context
from index.qa.matching import Matching
from index.results import Answer, TrialAnswer


def count_answer(ctx: Context, q: str, answers: list[TrialAnswer], m: Matching) -> Answer:
    n = len(answers)
    if not answers:
        return m.no_match(ctx, q, "count", n)
    return Answer(
        question=q,
        trials=tuple(answers),
        no_answer=False,
        kind="count",
        elapsed_ms=ctx.ms(),
        message=f"{n} trial{'s' if n != 1 else ''} match {m.understood}{m.note}.",
        count=n,
        constraints=m.constraints,
        left_out=m.left_out,
    )
