"""Comparisons ("compare the cell doses"): one fact of each trial in a table, each value
cited where the record states it."""

from __future__ import annotations

import re

from index.facts.extract import TrialFacts
from index.qa.context import Context, fact_trial
from index.qa.matching import Matching
from index.results import Answer, Citation, CompareRow, TrialAnswer

# The facts a comparison can tabulate, each with the words that ask for it, in the order tried.
_ASKED_BY = {
    "dose": r"\bdos(?:e|es|age|ing)\b|\bhow (?:much|many cells)\b",
    "age": r"\bages?\b|\bage ranges?\b",
    "enrollment": r"\benrol|\bsizes?\b|\bnumber of (?:patients|participants)\b",
    "status": r"\bstatus(?:es)?\b",
    "phase": r"\bphases?\b",
    "masking": r"\bmasking\b|\bblind",
    "allocation": r"\ballocation\b|\brandomi",
    "route": r"\broutes?\b|\bdeliver|\badminist",
    "source": r"\bsources?\b|\bcell types?\b",
}
COMPARE_FIELDS = tuple((name, re.compile(rx, re.I)) for name, rx in _ASKED_BY.items())
Value = tuple[str | None, list[Citation]]


def compared_field(q: str) -> str | None:
    """The fact a comparison asks for (the first the question names)."""
    return next((name for name, rx in COMPARE_FIELDS if rx.search(q)), None)


def compare(ctx: Context, q: str, trials: list[str], m: Matching) -> Answer:
    """The field the question names for each of ``trials`` that states it."""
    field = compared_field(q)
    if field is None:
        names = ", ".join(n for n, _ in COMPARE_FIELDS)
        return ctx.none(q, f'Say what to compare: one of {names} (e.g. "compare the cell doses").')
    rows: list[CompareRow] = []
    answers: list[TrialAnswer] = []
    for nct in trials:
        f = ctx.identity.facts[nct]
        value, cites = compare_value(f, field)
        if value is not None:
            rows.append(CompareRow(nct, f.trial.title, value, cites[0] if cites else None))
            answers.append(fact_trial(f.trial, cites))
    missing = len(trials) - len(rows)
    n = len(rows)
    message = f"{field.capitalize()} of {n} trial{'s' if n != 1 else ''}" + (
        f"; {missing} do not state it." if missing else "."
    )
    return Answer(
        question=q,
        trials=tuple(answers),
        no_answer=not rows,
        kind="compare",
        elapsed_ms=ctx.ms(),
        message=message if rows else f"No trial in the corpus states its {field}.",
        constraints=m.constraints,
        left_out=m.left_out,
        table=tuple(rows),
        compared=field,
        not_stated=missing,
    )


def compare_value(f: TrialFacts, field: str) -> Value:
    """The trial's value of ``field`` as the table shows it, with its citations (None: not stated)."""
    if field == "dose":
        return _dose(f)
    if field == "age":
        return _age(f)
    if field in ("route", "source"):
        found = f.routes if field == "route" else f.sources
        return (", ".join(found), list(found.values())) if found else (None, [])
    t = f.trial
    value = {
        "enrollment": t.enrollment,
        "status": t.status,
        "phase": ", ".join(t.phases) or None,
        "masking": t.masking,
        "allocation": t.allocation,
    }[field]
    if value is None:
        return None, []
    return str(value), f.cite(field)


def _dose(f: TrialFacts) -> Value:
    """The longest dose an arm or intervention states (else the longest stated anywhere)."""
    if not f.doses:
        return None, []
    ranked = sorted(f.doses, key=lambda d: (d[1].name not in ("arms", "interventions"), -len(d[0])))
    return ranked[0][0], [ranked[0][1]]


def _age(f: TrialFacts) -> Value:
    t = f.trial
    if t.min_age_years is None and t.max_age_years is None:
        return None, []
    lo = f"{t.min_age_years:g}" if t.min_age_years is not None else "any"
    hi = f"{t.max_age_years:g}" if t.max_age_years is not None else "no maximum"
    return f"{lo} to {hi} years", f.cite("age")
