"""Structured filters inside Milvus: each trial's facts as scalar fields of ``NAME_trials``
(`trial_fields`) and each constraint (`index.facts.constraint`) as a filter expression on
them (`clause`), mirroring `index.facts.check` exactly.

A clause has two expressions: ``true``, the trials the constraint holds for, and ``stated``,
those whose record states the fact (the others are left out, not failed). Most clauses are
exact, so Milvus alone finds the matching trials and counts those left out; a clause that is
not exact (a condition, a concept matched through MeSH and entry terms; a route or cell
source with LIKE's own characters; a place list too long for the array field) gives a superset,
and the trials it finds are checked against their facts as the embedded backend checks them."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from index.facts.check import CHECKS, allocation
from index.facts.constraint import Constraint
from index.facts.extract import TrialFacts
from index.facts.places import region_cities
from index.facts.vocabulary import country_keys
from index.text.tokenize import tokenize

MAX_ITEMS = 4096  # Milvus's largest ARRAY capacity
MAX_ITEM = 512  # longest array element (characters; a longer place is not stored: the list overflows)
MAX_TEXT = 65535
EVERY = "trial >= 0"  # (every trial has a number in index order)  # an expression every trial satisfies
_OPS = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "=": "=="}
_PLAIN = re.compile(r"[^%_\\\n\"]*")  # what a LIKE pattern may hold between its wildcards


@dataclass(frozen=True)
class Clause:
    true: str | None  # the trials it holds for (a superset when not exact; None: any trial)
    stated: str | None  # the trials whose record states the fact (None: every record does)
    exact: bool = True

    @property
    def possible(self) -> str | None:
        """Trials for which the constraint holds or is not stated (None: any trial)."""
        if self.true is None:
            return None
        return self.true if self.stated is None else f"({self.true} or not ({self.stated}))"


def trial_fields(i: int, f: TrialFacts) -> tuple[dict[str, Any], bool]:
    """The scalar fields of trial ``i`` (index order) from its facts, and whether its place
    lists fit the array fields (else a country or city clause is checked against the facts)."""
    t = f.trial
    lo, hi = t.min_age_years, t.max_age_years
    allocated = allocation(f)[0]
    countries, c_fit = _items(f.countries)
    cities, ci_fit = _items(f.cities)
    words = {w for line in f.cite("conditions") for w in tokenize(line.snippet)}
    words |= {w for x in t.conditions for w in tokenize(x)}
    terms, w_fit = _items(words)
    return {
        "trial": i,
        "nct_id": t.nct_id,
        "status": t.status or "",
        "has_status": t.status is not None,
        "phases": list(t.phases)[:MAX_ITEMS],
        "has_phases": bool(t.phases),
        "sex": t.sex or "",
        "has_sex": t.sex is not None,
        "allocation": allocated or "",
        "has_allocation": allocated is not None,
        "masking": t.masking or "",
        "has_masking": t.masking is not None,
        "study_type": (t.study_type or "").lower(),
        "has_study_type": t.study_type is not None,
        "enrollment": float(t.enrollment) if t.enrollment is not None else 0.0,
        "has_enrollment": t.enrollment is not None,
        "min_age": float(lo) if lo is not None else 0.0,
        "has_min_age": lo is not None,
        "max_age": float(hi) if hi is not None else 0.0,
        "has_max_age": hi is not None,
        "has_placebo": f.placebo is not None,
        "has_arms": bool(f.has_arms),
        "countries": countries,
        "has_countries": bool(f.countries),
        "has_locations": bool(t.locations),
        "cities": cities,
        "has_cities": bool(f.cities),
        "routes": _joined(f.routes),
        "sources": _joined(f.sources),
        "condition_words": terms,
        "has_conditions": bool(t.conditions),
    }, (c_fit and ci_fit and w_fit and len(_joined(f.routes)) < MAX_TEXT and len(_joined(f.sources)) < MAX_TEXT)


def _items(keys: Any) -> tuple[list[str], bool]:
    items = sorted(k for k in keys if len(k) <= MAX_ITEM)
    fit = len(items) == len(keys) and len(items) <= MAX_ITEMS
    return items[:MAX_ITEMS], fit


def _joined(keys: Any) -> str:
    """Route or source names one a line, so a LIKE ``%word%`` matches within one name only."""
    return "\n".join(keys)[: MAX_TEXT - 1]


def lit(value: Any) -> str:
    """A Milvus literal: a string in double quotes, a number, a list of them."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(lit(v) for v in sorted(value, key=str)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value))
    return json.dumps(str(value), ensure_ascii=False)


def _simple(field: str, ok: str) -> Clause:
    return Clause(f"(has_{field} and {ok})", f"has_{field}")


def clause(c: Constraint, places_fit: bool = True) -> Clause:
    """The constraint as Milvus expressions (see `Clause`). ``places_fit``: every trial's
    countries and cities are in its array fields."""
    if c.key not in CHECKS:
        raise ValueError(f"unknown constraint {c.key!r}")
    v = c.value
    if c.key in ("status", "sex", "allocation"):
        return _simple(c.key, f"{c.key} == {lit(v)}")
    if c.key == "masking":
        return _simple("masking", f"masking in {lit(list(v))}")
    if c.key in ("model", "control", "child_pugh", "follow_up", "dose_count"):
        # no field of its own: the candidates' facts decide
        return Clause(None, None, exact=False)
    if c.key == "study_type":
        return _simple("study_type", f"study_type == {lit(str(v).lower())}")
    if c.key == "phase":
        return _simple("phases", f"array_contains_all(phases, {lit(list(v))})" if v else "has_phases")
    if c.key == "enrollment":
        if c.op == "between":
            return _simple("enrollment", f"(enrollment >= {lit(float(v[0]))} and enrollment <= {lit(float(v[1]))})")
        return _simple("enrollment", f"enrollment {_OPS[c.op]} {lit(float(v))}")
    if c.key in ("age", "max_age", "min_age"):
        return _age(c)
    if c.key == "placebo":
        true = "has_placebo" if v else "(has_placebo == false and has_arms)"
        return Clause(true, "(has_placebo or has_arms)")
    if c.key in ("country", "city"):
        return _place(c, places_fit)
    if c.key in ("route", "source"):
        if c.op == "not":  # every stated route another: the candidates' facts decide
            return Clause(None, None, exact=False)
        return _named_in(c.key + "s", str(v).lower())
    return _condition(str(v))


def _age(c: Constraint) -> Clause:
    stated = "(has_min_age or has_max_age)"
    v = lit(float(c.value))
    if c.key == "max_age":
        ok = f"(has_max_age and max_age {_OPS[c.op]} {v})"
    elif c.key == "min_age":  # no stated minimum: below any age, above none
        none = "has_min_age == false or " if c.op in ("<", "<=") else ""
        ok = f"({none}(has_min_age and min_age {_OPS[c.op]} {v}))"
    elif c.op in (">", ">="):  # the maximum is above N, or there is none
        ok = f"(has_max_age == false or max_age {c.op} {v})"
    elif c.op in ("<", "<="):  # the minimum is below N, or there is none
        ok = f"(has_min_age == false or min_age {c.op} {v})"
    else:
        ok = f"((has_min_age == false or min_age <= {v}) and (has_max_age == false or max_age >= {v}))"
    return Clause(f"({stated} and {ok})", stated)


def _place(c: Constraint, fit: bool) -> Clause:
    if c.key == "country":
        keys = lit(sorted(country_keys(str(c.value))))
        stated = "(has_countries or has_locations)"
        ok = f"(array_contains_any(countries, {keys}) or array_contains_any(cities, {keys}))"
    else:  # a record without locations may be placed by a sponsor line that names the city
        stated = "(has_cities or has_countries)"  # ("Beijing 302 Hospital"): checked against its facts
        names = lit(sorted({str(c.value).lower(), *region_cities(str(c.value))}))  # "Hainan": Haikou too
        ok = f"(array_contains_any(cities, {names}) or (has_cities == false and has_countries))"
        return Clause(f"({stated} and {ok})", stated, exact=False)
    return Clause(f"({stated} and {ok})", stated, exact=fit)


def _named_in(field: str, word: str) -> Clause:
    """A route or source whose name contains the word (every record states these: a trial
    without one fails)."""
    if not word or not _PLAIN.fullmatch(word):
        return Clause(None, None, exact=False)
    return Clause(f"{field} like {lit('%' + word + '%')}", None)


def _condition(value: str) -> Clause:
    """A trial that states conditions (a superset): a condition is a concept matched through
    MeSH terms, their ancestors and the concept table's entry terms (`index.facts.conditions`),
    which no word filter can mirror, so the facts decide."""
    del value
    return Clause("has_conditions", "has_conditions", exact=False)


def both(exprs: Sequence[str | None]) -> str:
    """The conjunction of the expressions (None: no condition)."""
    parts = [e for e in exprs if e is not None]
    return " and ".join(f"({e})" for e in parts) if parts else EVERY
