"""Comparisons ("compare the cell doses"): one fact of each trial in a table, each value
cited where the record states it."""

from __future__ import annotations

import re

from index.facts.dose_count import Count
from index.facts.extract import TrialFacts
from index.qa.context import Context, fact_trial
from index.qa.matching import Matching
from index.results import Answer, Citation, CompareRow, TrialAnswer

# The facts a comparison can tabulate, each with the words that ask for it, in the order tried.
_ASKED_BY = {
    "number of doses": r"\b(?:number|count) of (?:doses|infusions|injections|administrations)\b"
    r"|\bhow many (?:doses|infusions|injections|times)\b",
    "follow-up": r"\bfollow(?:[\s-]*ups?|ed)\b|\bf/u\b",
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
    if field == "follow-up":
        return (length(f.follow_up[0]), [f.follow_up[1]]) if f.follow_up else (None, [])
    if field == "number of doses":
        counts = [(_times(n), where) for n, where in f.dose_counts]
        return (", ".join(c for c, _ in counts), [w for _, w in counts]) if counts else (None, [])
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


def length(days: float) -> str:
    """A length of time as a table shows it: in the largest whole unit (730.5 days: "2 years",
    504: "72 weeks", 182.625: "6 months"), else in days."""
    for unit, per in (("year", 365.25), ("month", 30.4375), ("week", 7.0)):
        n = days / per
        if n >= 1 and abs(n - round(n)) < 0.01:
            return f"{round(n)} {unit}{'s' if round(n) != 1 else ''}"
    return f"{days:g} days"


def _times(n: Count) -> str:
    return str(n.low) if n.high == n.low else f"{n.low} or more" if n.high is None else f"{n.low} to {n.high}"


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
