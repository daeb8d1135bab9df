"""Does a trial satisfy a constraint? True, False or None (its record does not say), with
the citations that decide it."""

from __future__ import annotations

from index.facts.constraints import Constraint
from index.facts.extract import TrialFacts, country_keys
from index.results import Citation
from index.text.tokenize import tokenize

Verdict = tuple[bool | None, list[Citation]]


def _cmp(a: float, op: str, b: float) -> bool:
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b, "=": a == b}[op]


def check(c: Constraint, f: TrialFacts) -> Verdict:
    t = f.trial
    if c.key == "age":
        lo, hi = t.min_age_years, t.max_age_years
        cite = f.cite("age")
        if lo is None and hi is None:
            return None, []
        if c.op in (">", ">="):  # accepts someone older than N: the maximum is above N, or there is none
            return (hi is None or _cmp(hi, c.op, c.value)), cite
        if c.op in ("<", "<="):  # accepts someone younger than N: the minimum is below N, or there is none
            return (lo is None or _cmp(lo, c.op, c.value)), cite
        return (lo is None or lo <= c.value) and (hi is None or c.value <= hi), cite
    if c.key == "enrollment":
        if t.enrollment is None:
            return None, []
        return _cmp(float(t.enrollment), c.op, float(c.value)), f.cite("enrollment")
    if c.key == "sex":
        if t.sex is None:
            return None, []
        return t.sex == c.value, f.cite("sex")
    if c.key == "status":
        if t.status is None:
            return None, []
        return t.status == c.value, f.cite("status")[:1]
    if c.key == "phase":
        if not t.phases:
            return None, []
        return all(p in t.phases for p in c.value), f.cite("phase")
    if c.key == "allocation":
        if t.allocation is None:
            return None, []
        return t.allocation == c.value, f.cite("allocation")
    if c.key == "masking":
        if t.masking is None:
            return None, []
        return t.masking in c.value, f.cite("masking")
    if c.key == "study_type":
        if t.study_type is None:
            return None, []
        return t.study_type.lower() == str(c.value).lower(), f.cite("study_type")
    if c.key == "placebo":
        if f.placebo is not None:
            return bool(c.value), [f.placebo]
        if not f.has_arms:
            return None, []
        return not c.value, []
    if c.key == "country":
        if not f.countries and not t.locations:
            return None, []
        keys = country_keys(str(c.value))
        hit = next((f.countries[k] for k in keys if k in f.countries), None)
        if hit is None:
            hit = next((f.cities[k] for k in keys if k in f.cities), None)
        return hit is not None, [hit] if hit else []
    if c.key == "city":
        if not f.cities:
            return None, []
        hit = f.cities.get(str(c.value).lower())
        return hit is not None, [hit] if hit else []
    if c.key == "route":
        hit = next((v for k, v in f.routes.items() if str(c.value).lower() in k), None)
        return hit is not None, [hit] if hit else []
    if c.key == "source":
        hit = next((v for k, v in f.sources.items() if str(c.value).lower() in k), None)
        return hit is not None, [hit] if hit else []
    if c.key == "condition":
        want = set(tokenize(str(c.value)))
        if not t.conditions:
            return None, []
        for line in f.cite("conditions"):
            if want <= set(tokenize(line.snippet)):
                return True, [line]
        return any(want <= set(tokenize(x)) for x in t.conditions), []
    raise ValueError(f"unknown constraint {c.key!r}")


def check_all(cs: list[Constraint], f: TrialFacts) -> Verdict:
    """All constraints: False if any fails, None if none fails but one is not stated."""
    cites: list[Citation] = []
    unknown = False
    for c in cs:
        ok, cc = check(c, f)
        if ok is False:
            return False, []
        if ok is None:
            unknown = True
        cites.extend(x for x in cc if x not in cites)
    return (None if unknown else True), cites
