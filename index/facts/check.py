"""Does a trial satisfy a constraint? True, False or None (its record does not say), with
the citations that decide it: one small check per constraint key (`CHECKS`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from index.facts.conditions import has_condition
from index.facts.constraint import Constraint, ConstraintKey
from index.facts.extract import TrialFacts
from index.facts.follow_up import same_length
from index.facts.places import in_region, names_place
from index.facts.scores import accepted_range
from index.facts.vocabulary import country_keys
from index.results import Citation
from index.text.numbers import ROUGH

Verdict = tuple[bool | None, list[Citation]]
Check = Callable[[Constraint, TrialFacts], Verdict]


def _cmp(a: float, op: str, b: float) -> bool:
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b, "=": a == b}[op]


def _found(hit: Citation | None) -> Verdict:
    return hit is not None, [hit] if hit else []


def _age(c: Constraint, f: TrialFacts) -> Verdict:
    lo, hi = f.trial.min_age_years, f.trial.max_age_years
    if lo is None and hi is None:
        return None, []
    cite = f.cite("age")
    if c.op in (">", ">="):  # accepts someone older than N: the maximum is above N, or there is none
        return (hi is None or _cmp(hi, c.op, c.value)), cite
    if c.op in ("<", "<="):  # accepts someone younger than N: the minimum is below N, or there is none
        return (lo is None or _cmp(lo, c.op, c.value)), cite
    return (lo is None or lo <= c.value) and (hi is None or c.value <= hi), cite


def _max_age(c: Constraint, f: TrialFacts) -> Verdict:
    """Every patient is younger than N: the stated maximum age is below N (a minimum with no
    maximum states that there is no upper limit, so it fails)."""
    lo, hi = f.trial.min_age_years, f.trial.max_age_years
    if lo is None and hi is None:
        return None, []
    if hi is None:  # no upper limit: above any age ("an upper age limit >= 70"), below none
        return (lo is not None and c.op in {">", ">="}), f.cite("age")
    return _cmp(hi, c.op, c.value), f.cite("age")


def _min_age(c: Constraint, f: TrialFacts) -> Verdict:
    """The youngest a patient may be: the stated minimum age against N (a maximum with no minimum
    states that there is no lower limit: below any age, above none)."""
    lo, hi = f.trial.min_age_years, f.trial.max_age_years
    if lo is None and hi is None:
        return None, []
    if lo is None:
        return c.op in {"<", "<="}, f.cite("age")
    return _cmp(lo, c.op, c.value), f.cite("age")


def _enrollment(c: Constraint, f: TrialFacts) -> Verdict:
    if f.trial.enrollment is None:
        return None, []
    n = float(f.trial.enrollment)
    if c.op == "between":  # "a sample size between 50 and 250": both ends included
        return c.value[0] <= n <= c.value[1], f.cite("enrollment")
    return _cmp(n, c.op, float(c.value)), f.cite("enrollment")


def _stated(value: object, ok: bool, cites: list[Citation]) -> Verdict:
    """``(ok, cites)`` when the record states ``value``; unknown otherwise."""
    return (None, []) if value is None else (ok, cites)


def _sex(c: Constraint, f: TrialFacts) -> Verdict:
    return _stated(f.trial.sex, f.trial.sex == c.value, f.cite("sex"))


def _status(c: Constraint, f: TrialFacts) -> Verdict:
    return _stated(f.trial.status, f.trial.status == c.value, f.cite("status")[:1])


def _phase(c: Constraint, f: TrialFacts) -> Verdict:
    phases = f.trial.phases
    return _stated(phases or None, all(p in phases for p in c.value), f.cite("phase"))


def _single_group(f: TrialFacts) -> bool:
    return (f.trial.intervention_model or "").lower() == "single group"


def allocation(f: TrialFacts) -> tuple[str | None, list[Citation]]:
    """The trial's allocation and the lines that state it; a single-group trial that states no
    allocation (the registry's "N/A") allocates nobody at random: Non-Randomized, by its model."""
    if f.trial.allocation is None and _single_group(f):
        return "Non-Randomized", f.cite("intervention_model")
    return f.trial.allocation, f.cite("allocation")


def _allocation(c: Constraint, f: TrialFacts) -> Verdict:
    value, cites = allocation(f)
    return _stated(value, value == c.value, cites)


def _masking(c: Constraint, f: TrialFacts) -> Verdict:
    return _stated(f.trial.masking, f.trial.masking in c.value, f.cite("masking"))


def _model(c: Constraint, f: TrialFacts) -> Verdict:
    """The intervention model ("Single group", "Parallel", "Crossover"); "!=": any other."""
    m = f.trial.intervention_model
    same = (m or "").lower() == str(c.value).lower()
    return _stated(m, not same if c.op == "!=" else same, f.cite("intervention_model"))


def _control(c: Constraint, f: TrialFacts) -> Verdict:
    """Whether the trial has a control arm: an arm the record types as a comparator, placebo,
    sham or no intervention, or a placebo arm (records type some "Experimental"); none when its
    arms are all experimental or it is a single group. A record that types no arm: a parallel or
    crossover design has one (cited by its model)."""
    if controls := f.cite("control_arm"):
        return bool(c.value), controls
    if f.placebo is not None:
        return bool(c.value), [f.placebo]
    if experimental := f.cite("experimental_arm"):
        return not c.value, experimental
    if _single_group(f):
        return not c.value, f.cite("intervention_model")
    if f.trial.intervention_model and c.value:
        return True, f.cite("intervention_model")
    return None, []


def _study_type(c: Constraint, f: TrialFacts) -> Verdict:
    st = f.trial.study_type
    return _stated(st, (st or "").lower() == str(c.value).lower(), f.cite("study_type"))


def _placebo(c: Constraint, f: TrialFacts) -> Verdict:
    if f.placebo is not None:
        return bool(c.value), [f.placebo]
    if not f.has_arms:
        return None, []
    return not c.value, []


def _country(c: Constraint, f: TrialFacts) -> Verdict:
    if not f.countries and not f.trial.locations:
        return None, []
    keys = country_keys(str(c.value))
    hit = next((f.countries[k] for k in keys if k in f.countries), None)
    if hit is None:
        hit = next((f.cities[k] for k in keys if k in f.cities), None)
    return _found(hit)


def _city(c: Constraint, f: TrialFacts) -> Verdict:
    """A location line's city; a record that lists no locations: the sponsor or site line that
    placed it in a country by a name (`index.facts.places`) when that line names the city
    ("Beijing 302 Hospital")."""
    if f.cities:
        want = str(c.value).lower()
        hit = f.cities.get(want) or next((v for k, v in f.cities.items() if in_region(k, want)), None)
        return _found(hit)
    if not f.countries:
        return None, []
    return _found(next((hit for hit in f.countries.values() if names_place(hit.snippet, str(c.value))), None))


def _named_in(found: Mapping[str, Citation], c: Constraint) -> Verdict:
    return _found(next((v for k, v in found.items() if str(c.value).lower() in k), None))


def _route(c: Constraint, f: TrialFacts) -> Verdict:
    if c.op == "not":  # "do not give the cells through a vein": every route it states is another
        if not f.routes:
            return None, []
        return all(str(c.value).lower() not in k for k in f.routes), list(f.routes.values())
    return _named_in(f.routes, c)


def _source(c: Constraint, f: TrialFacts) -> Verdict:
    return _named_in(f.sources, c)


def _child_pugh(c: Constraint, f: TrialFacts) -> Verdict:
    """A patient with this Child-Pugh score is accepted: the range the criteria state holds it;
    a bound (">= 9") is on the range's end: the trial requires a score of at least 9."""
    inc, exc = f.cite("child_pugh"), f.cite("child_pugh_excluded")
    found = accepted_range([x.snippet for x in inc], [x.snippet for x in exc])
    if c.op == "has":  # "Child-Pugh cut-off trials": a trial without a Child-Pugh criterion has none
        return found is not None, (inc + exc) if found else []
    if found is None:
        return None, []
    lo, hi = found
    if c.op == "in":  # a class: the trial accepts some score of it
        low, high = c.value
        return lo <= high and low <= hi, inc + exc
    if c.op in (">", ">="):  # the trial requires at least this score: its lowest accepted one
        return _cmp(lo, c.op, float(c.value)), inc + exc
    if c.op in ("<", "<="):
        return _cmp(hi, c.op, float(c.value)), inc + exc
    return lo <= float(c.value) <= hi, inc + exc


def _follow_up(c: Constraint, f: TrialFacts) -> Verdict:
    """How long the trial follows its patients, against a length in days; lengths that are the
    same whole weeks are equal (104 weeks, 24 months and 2 years)."""
    if f.follow_up is None:
        return None, []
    days, where = f.follow_up
    if c.op == "~":  # "about half a year": 24 weeks is about 26
        return abs(days - float(c.value)) <= ROUGH * float(c.value), [where]
    order = same_length(days, float(c.value))
    ok = {">": order > 0, ">=": order >= 0, "<": order < 0, "<=": order <= 0}.get(c.op, order == 0)
    return ok, [where]


def _dose_count(c: Constraint, f: TrialFacts) -> Verdict:
    """How many times the treatment is given: a trial that states a count that holds matches
    (one arm's two doses answer "more than once"), citing it."""
    if not f.dose_counts:
        return None, []
    value = tuple(c.value) if c.op == "in" else float(c.value)  # "in" (2, 3): two or three times
    hit = next((where for n, where in f.dose_counts if n.holds(c.op, value)), None)
    return hit is not None, [hit] if hit else [where for _, where in f.dose_counts]


def _condition(c: Constraint, f: TrialFacts) -> Verdict:
    ok, cites = has_condition(str(c.value), f)
    if c.op == "not":  # "liver failure rather than cirrhosis": a trial of cirrhosis is not asked for
        return (None if ok is None else not ok), []
    return ok, cites


CHECKS: dict[ConstraintKey, Check] = {
    "age": _age,
    "max_age": _max_age,
    "min_age": _min_age,
    "enrollment": _enrollment,
    "sex": _sex,
    "status": _status,
    "phase": _phase,
    "allocation": _allocation,
    "masking": _masking,
    "model": _model,
    "study_type": _study_type,
    "placebo": _placebo,
    "control": _control,
    "country": _country,
    "city": _city,
    "route": _route,
    "source": _source,
    "condition": _condition,
    "child_pugh": _child_pugh,
    "follow_up": _follow_up,
    "dose_count": _dose_count,
}


def check(c: Constraint, f: TrialFacts) -> Verdict:
    found = CHECKS.get(c.key)
    if found is None:
        raise ValueError(f"unknown constraint {c.key!r}")
    return found(c, f)


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
