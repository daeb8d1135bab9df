"""A yes/no question about one named trial's facts ("Is the Royan trial still recruiting?",
"Does NCT03209986 use a placebo?"): that trial's record decides it, cited, instead of a list of
the trials that match."""

from __future__ import annotations

from index.facts.check import check
from index.facts.constraint import Constraint
from index.qa.context import Context, fact_trial
from index.results import Answer, Citation


def named_fact_answer(ctx: Context, q: str, nct: str, constraints: list[Constraint]) -> Answer:
    """Whether the named trial satisfies every constraint, citing the lines of its record that
    decide each (what it states when it does not match); the record not stating a fact is said so."""
    facts = ctx.identity.facts[nct]
    cites: list[Citation] = []
    failed: list[str] = []
    unknown: list[str] = []
    for c in constraints:
        ok, cc = check(c, facts)
        if ok is None:
            unknown.append(c.label)
            continue
        if ok is False:
            failed.append(c.label)
        cites.extend(x for x in (cc or facts.cite(c.key)) if x not in cites)
    labels = tuple(c.label for c in constraints)
    if failed and cites:
        message = f"No: the record of {nct} does not match {' · '.join(failed)}."
    elif failed:  # nothing to cite: the record does not mention it ("placebo")
        message = f"The record of {nct} does not state {' · '.join(failed)}."
    elif unknown:
        message = f"The record of {nct} does not state {' · '.join(unknown)}."
    else:
        message = f"Yes: the record of {nct} matches {' · '.join(labels)}."
    if not cites:
        return Answer(
            question=q,
            trials=(),
            no_answer=True,
            kind="lookup",
            elapsed_ms=ctx.ms(),
            message=message,
            constraints=labels,
        )
    return Answer(
        question=q,
        trials=(fact_trial(facts.trial, cites),),
        no_answer=False,
        kind="lookup",
        elapsed_ms=ctx.ms(),
        message=message,
        constraints=labels,
    )
