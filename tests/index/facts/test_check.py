"""The checker table: one check per constraint key, each True, False or None (not stated)
on hand-made facts, with the citations that decide it."""

from dataclasses import replace
from typing import get_args

import pytest

from index.facts.check import CHECKS, check, check_all
from index.facts.constraint import Constraint, ConstraintKey, make
from index.facts.dose_count import Count
from index.facts.extract import TrialFacts
from index.model import Age, Trial
from index.results import Citation


def _cite(name: str, snippet: str) -> Citation:
    return Citation(section=name.title(), name=name, snippet=snippet, source="t.txt", field=None, start=0, end=1)


AGE = _cite("eligibility", "18 to 75 years")
ENROLLED = _cite("enrollment", "120 participants")
SEX = _cite("eligibility", "Female")
STATUS = [_cite("status", "Recruiting"), _cite("status", "Recruiting since 2020")]
PHASE = _cite("phase", "Phase 2/Phase 3")
ALLOCATION = _cite("design", "Randomized")
MASKING = _cite("design", "Double")
STUDY_TYPE = _cite("design", "Interventional")
MODEL = _cite("design", "Parallel Assignment")
PLACEBO = _cite("arms", "Placebo: saline")
CHINA = _cite("locations", "Xi'an, Shaanxi, China")
BEIJING = _cite("locations", "Beijing, China")
ROUTE = _cite("arms", "infused via the hepatic artery")
SOURCE = _cite("arms", "umbilical cord MSCs")
CONDITION = _cite("conditions", "Liver Cirrhosis")
CHILD_PUGH = _cite("eligibility_inclusion", "Child-Pugh class B or C")
CHILD_PUGH_OUT = _cite("eligibility_exclusion", "Child-Pugh score above 12")
FOLLOW_UP = _cite("arms", "Participants will then be followed until 2 years study visit")
TWO_DOSES = _cite("arms", "1*10^8 cells/dose, 2 doses (apart from 24weeks)")
REPEATED = _cite("summary", "multiple infusions of UC-MSC")

FULL = TrialFacts(
    Trial(
        nct_id="NCT00000001",
        title="A full record",
        source="t.txt",
        format="text",
        status="Recruiting",
        phases=("Phase 2", "Phase 3"),
        study_type="Interventional",
        conditions=("Liver Cirrhosis",),
        enrollment=120,
        sex="Female",
        min_age=Age(18, "years"),
        max_age=Age(75, "years"),
        allocation="Randomized",
        masking="Double",
        intervention_model="Parallel",
        locations=("Xi'an, Shaanxi, China",),
    ),
    citations={
        "age": [AGE],
        "enrollment": [ENROLLED],
        "sex": [SEX],
        "status": STATUS,
        "phase": [PHASE],
        "allocation": [ALLOCATION],
        "masking": [MASKING],
        "study_type": [STUDY_TYPE],
        "intervention_model": [MODEL],
        "conditions": [CONDITION],
        "child_pugh": [CHILD_PUGH],
        "child_pugh_excluded": [CHILD_PUGH_OUT],
    },
    routes={"hepatic artery": ROUTE},
    sources={"umbilical cord": SOURCE},
    placebo=PLACEBO,
    has_arms=True,
    countries={"china": CHINA},
    cities={"xi'an": CHINA, "beijing": BEIJING, "china": CHINA},
    follow_up=(730.5, FOLLOW_UP),
    dose_counts=[(Count(2, 2), TWO_DOSES), (Count(2, None), REPEATED)],
)
EMPTY = TrialFacts(Trial(nct_id="NCT00000002", title="An empty record", source="e.txt", format="text"))

# (constraint, verdict on FULL, verdict on EMPTY); each key is tested true and false.
CASES: list[tuple[Constraint, tuple[bool | None, list[Citation]], tuple[bool | None, list[Citation]]]] = [
    (make("age", ">", 65.0), (True, [AGE]), (None, [])),
    (make("age", ">", 80.0), (False, [AGE]), (None, [])),
    (make("age", "<", 18.0), (False, [AGE]), (None, [])),
    (make("age", "=", 30.0), (True, [AGE]), (None, [])),
    (make("max_age", "<", 80.0), (True, [AGE]), (None, [])),
    (make("max_age", "<", 75.0), (False, [AGE]), (None, [])),
    (make("max_age", "<=", 75.0), (True, [AGE]), (None, [])),
    (make("max_age", ">=", 70.0), (True, [AGE]), (None, [])),
    (make("max_age", ">", 75.0), (False, [AGE]), (None, [])),
    (make("min_age", "=", 18.0), (True, [AGE]), (None, [])),
    (make("min_age", ">", 18.0), (False, [AGE]), (None, [])),
    (make("enrollment", ">", 100), (True, [ENROLLED]), (None, [])),
    (make("enrollment", "<=", 100), (False, [ENROLLED]), (None, [])),
    (make("sex", "=", "Female"), (True, [SEX]), (None, [])),
    (make("sex", "=", "Male"), (False, [SEX]), (None, [])),
    (make("status", "=", "Recruiting"), (True, STATUS[:1]), (None, [])),
    (make("status", "=", "Completed"), (False, STATUS[:1]), (None, [])),
    (make("phase", "has", ("Phase 2",)), (True, [PHASE]), (None, [])),
    (make("phase", "has", ("Phase 1", "Phase 2")), (False, [PHASE]), (None, [])),
    (make("allocation", "=", "Randomized"), (True, [ALLOCATION]), (None, [])),
    (make("allocation", "=", "Non-Randomized"), (False, [ALLOCATION]), (None, [])),
    (make("masking", "in", frozenset({"Double", "Triple"})), (True, [MASKING]), (None, [])),
    (make("masking", "in", frozenset({"None (Open Label)"})), (False, [MASKING]), (None, [])),
    (make("model", "=", "parallel"), (True, [MODEL]), (None, [])),
    (make("model", "=", "Single group"), (False, [MODEL]), (None, [])),
    (make("model", "!=", "Single group"), (True, [MODEL]), (None, [])),
    (make("study_type", "=", "interventional"), (True, [STUDY_TYPE]), (None, [])),
    (make("study_type", "=", "Observational"), (False, [STUDY_TYPE]), (None, [])),
    (make("placebo", "has", True), (True, [PLACEBO]), (None, [])),
    (make("placebo", "has", False), (False, [PLACEBO]), (None, [])),
    (make("control", "has", True), (True, [PLACEBO]), (None, [])),  # a placebo arm is a control
    (make("control", "has", False), (False, [PLACEBO]), (None, [])),
    (make("country", "=", "China"), (True, [CHINA]), (None, [])),
    (make("country", "=", "United States"), (False, []), (None, [])),
    (make("city", "=", "Beijing"), (True, [BEIJING]), (None, [])),
    (make("city", "=", "Shanghai"), (False, []), (None, [])),
    (make("route", "=", "hepatic"), (True, [ROUTE]), (False, [])),
    (make("route", "=", "portal vein"), (False, []), (False, [])),
    (make("source", "=", "umbilical"), (True, [SOURCE]), (False, [])),
    (make("source", "=", "adipose"), (False, []), (False, [])),
    (make("condition", "=", "liver cirrhosis"), (True, [CONDITION]), (None, [])),
    (make("condition", "=", "hepatitis B"), (False, []), (None, [])),
    (make("child_pugh", "has", "stated"), (True, [CHILD_PUGH, CHILD_PUGH_OUT]), (False, [])),
    (make("child_pugh", "=", 12.0), (True, [CHILD_PUGH, CHILD_PUGH_OUT]), (None, [])),
    (make("child_pugh", "=", 13.0), (False, [CHILD_PUGH, CHILD_PUGH_OUT]), (None, [])),
    (make("child_pugh", "=", 6.0), (False, [CHILD_PUGH, CHILD_PUGH_OUT]), (None, [])),
    (make("follow_up", ">", 365.25), (True, [FOLLOW_UP]), (None, [])),
    (make("follow_up", "=", 728.0), (True, [FOLLOW_UP]), (None, [])),  # 104 weeks: 2 years
    (make("follow_up", ">=", 730.5), (True, [FOLLOW_UP]), (None, [])),
    (make("follow_up", ">", 730.5), (False, [FOLLOW_UP]), (None, [])),
    (make("follow_up", "<=", 182.625), (False, [FOLLOW_UP]), (None, [])),
    (make("follow_up", "=", 504.0), (False, [FOLLOW_UP]), (None, [])),
    (make("dose_count", ">", 1), (True, [TWO_DOSES]), (None, [])),
    (make("dose_count", "=", 2), (True, [TWO_DOSES]), (None, [])),
    (make("dose_count", ">=", 3), (False, [TWO_DOSES, REPEATED]), (None, [])),
    (make("dose_count", "=", 1), (False, [TWO_DOSES, REPEATED]), (None, [])),
    (make("dose_count", "<", 2), (False, [TWO_DOSES, REPEATED]), (None, [])),
    (make("dose_count", "in", (2, 3)), (True, [TWO_DOSES]), (None, [])),
    (make("dose_count", "in", (3, 4)), (False, [TWO_DOSES, REPEATED]), (None, [])),
]


def test_every_constraint_key_has_one_check() -> None:
    assert set(CHECKS) == set(get_args(ConstraintKey))
    assert {c.key for c, _, _ in CASES} == set(CHECKS)


@pytest.mark.parametrize(("constraint", "full", "empty"), CASES, ids=[c.label for c, _, _ in CASES])
def test_each_check_on_hand_made_facts(
    constraint: Constraint, full: tuple[bool | None, list[Citation]], empty: tuple[bool | None, list[Citation]]
) -> None:
    assert check(constraint, FULL) == full
    assert check(constraint, EMPTY) == empty


def test_no_placebo_is_known_only_from_a_record_with_arms() -> None:
    arms_only = TrialFacts(EMPTY.trial, has_arms=True)
    assert check(make("placebo", "has", False), arms_only) == (True, [])
    assert check(make("placebo", "has", True), arms_only) == (False, [])


def test_a_country_named_only_as_a_city_part_still_matches() -> None:
    boston = _cite("locations", "Boston, United States")
    trial = replace(EMPTY.trial, locations=("Boston, United States",))
    f = TrialFacts(trial, cities={"boston": boston, "united states": boston})
    assert check(make("country", "=", "USA"), f) == (True, [boston])
    assert check(make("country", "=", "Canada"), f) == (False, [])


def test_a_city_is_in_its_province() -> None:
    haikou = _cite("locations", "Haikou, China")
    f = TrialFacts(replace(EMPTY.trial, locations=("Haikou, China",)), cities={"haikou": haikou, "china": haikou})
    assert check(make("city", "=", "Hainan"), f) == (True, [haikou])  # places.tsv: Haikou lies in Hainan
    assert check(make("city", "=", "Guangdong"), f) == (False, [])


def test_a_condition_set_against_the_need_holds_where_the_trial_lacks_it() -> None:
    cirrhosis = _cite("conditions", "Liver Cirrhosis")
    f = TrialFacts(replace(EMPTY.trial, conditions=("Liver Cirrhosis",)), citations={"conditions": [cirrhosis]})
    assert check(make("condition", "not", "liver cirrhosis"), f) == (False, [])
    assert check(make("condition", "not", "liver failure"), f) == (True, [])


def test_no_upper_age_limit_is_above_any_age_and_below_none() -> None:
    adults = replace(EMPTY.trial, min_age=Age(18, "years"))
    f = TrialFacts(adults, citations={"age": [AGE]})
    assert check(make("max_age", ">=", 70.0), f) == (True, [AGE])
    assert check(make("max_age", "<", 70.0), f) == (False, [AGE])


def test_a_route_a_trial_does_not_use() -> None:
    iv = _cite("arms", "stem cells via peripheral vein")
    f = TrialFacts(EMPTY.trial, routes={"peripheral vein / intravenous": iv})
    assert check(make("route", "not", "artery"), f) == (True, [iv])
    assert check(make("route", "not", "intravenous"), f) == (False, [iv])
    assert check(make("route", "not", "artery"), EMPTY) == (None, [])


def test_no_lower_age_limit_is_below_any_age_and_above_none() -> None:
    seniors = replace(EMPTY.trial, max_age=Age(80, "years"))
    f = TrialFacts(seniors, citations={"age": [AGE]})
    assert check(make("min_age", "<", 18.0), f) == (True, [AGE])
    assert check(make("min_age", "=", 18.0), f) == (False, [AGE])


def test_a_city_of_a_record_without_locations_from_the_line_that_placed_it() -> None:
    sponsor = _cite("sponsor", "Beijing 302 Hospital")
    f = TrialFacts(EMPTY.trial, countries={"china": sponsor})
    assert check(make("city", "=", "Beijing"), f) == (True, [sponsor])
    assert check(make("city", "=", "Shanghai"), f) == (False, [])
    assert check(make("city", "=", "Beijing"), EMPTY) == (None, [])


def test_an_unknown_key_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown constraint 'colour'"):
        check(Constraint("colour", "=", "x", "colour: x"), FULL)  # type: ignore[arg-type]


def test_check_all_fails_on_any_false_and_is_unknown_on_any_unstated() -> None:
    ok, cites = check_all([make("status", "=", "Recruiting"), make("age", ">", 65.0)], FULL)
    assert (ok, cites) == (True, [STATUS[0], AGE])
    assert check_all([make("status", "=", "Recruiting"), make("sex", "=", "Male")], FULL) == (False, [])
    partial = TrialFacts(FULL.trial, citations=FULL.citations)  # no placebo, no arms: placebo unknown
    assert check_all([make("status", "=", "Recruiting"), make("placebo", "has", True)], partial) == (
        None,
        [STATUS[0]],
    )
    assert check_all([], FULL) == (True, [])


def test_a_single_group_trial_without_an_allocation_is_not_randomized() -> None:
    one_arm = TrialFacts(
        Trial(nct_id="NCT00000003", title="One arm", source="o.txt", format="text", intervention_model="Single group"),
        citations={"intervention_model": [MODEL]},
    )
    assert check(make("allocation", "=", "Non-Randomized"), one_arm) == (True, [MODEL])
    assert check(make("allocation", "=", "Randomized"), one_arm) == (False, [MODEL])


def test_a_control_arm_from_arm_types_and_the_model() -> None:
    comparator, experimental = _cite("arms", "Active Comparator group"), _cite("arms", "Experimental group")
    typed = TrialFacts(EMPTY.trial, citations={"control_arm": [comparator], "experimental_arm": [experimental]})
    assert check(make("control", "has", True), typed) == (True, [comparator])
    two_cell_types = TrialFacts(EMPTY.trial, citations={"experimental_arm": [experimental]})
    assert check(make("control", "has", False), two_cell_types) == (True, [experimental])
    one_arm = TrialFacts(
        replace(EMPTY.trial, intervention_model="Single group"), citations={"intervention_model": [MODEL]}
    )
    assert check(make("control", "has", False), one_arm) == (True, [MODEL])
    untyped = TrialFacts(replace(EMPTY.trial, intervention_model="Parallel"), citations={"intervention_model": [MODEL]})
    assert check(make("control", "has", True), untyped) == (True, [MODEL])  # a parallel design compares arms
    assert check(make("control", "has", False), untyped) == (None, [])  # its arms may all be experimental
