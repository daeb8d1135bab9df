"""Comparisons: the field a question names, each trial's value and its citation."""

from index import TrialIndex
from index.facts.dose_count import Count
from index.facts.extract import TrialFacts
from index.model import Age, Trial
from index.qa.compare import compare_value, compared_field, length
from index.results import Citation

ARMS = Citation("Arms", "arms", "1x10^6 cells/kg via the portal vein", "t.txt", None, 0, 35)
TEXT = Citation("About", "description", "up to 2x10^8 cells in total", "t.txt", None, 40, 67)
AGE = Citation("Ages", "eligibility_summary", "18 Years and older", "t.txt", None, 70, 88)
FACTS = TrialFacts(
    Trial("NCT00000001", "Hand made", "t.txt", "text", status="Completed", min_age=Age(18, "years"), phases=()),
    citations={"age": [AGE], "status": [AGE]},
    routes={"portal vein": ARMS, "hepatic artery": TEXT},
    doses=[("2x10^8 cells", TEXT), ("1x10^6 cells/kg", ARMS)],
    follow_up=(504.0, TEXT),
    dose_counts=[(Count(3, 3), ARMS), (Count(2, None), TEXT)],
)


def test_the_field_a_question_names() -> None:
    assert compared_field("compare the cell doses") == "dose"
    assert compared_field("compare how many cells") == "dose"
    assert compared_field("tabulate the age ranges") == "age"
    assert compared_field("compare sizes") == "enrollment"
    assert compared_field("compare blinding and phases") == "phase"  # the first in the field order
    assert compared_field("compare the delivery") == "route"
    assert compared_field("compare them") is None
    assert compared_field("compare the follow-up") == "follow-up"
    assert compared_field("compare how long they f/u") == "follow-up"
    assert compared_field("compare how many infusions they give") == "number of doses"
    assert compared_field("compare the number of doses") == "number of doses"


def test_values_as_the_table_shows_them() -> None:
    assert compare_value(FACTS, "dose") == ("1x10^6 cells/kg", [ARMS])  # an arm's dose first
    assert compare_value(FACTS, "age") == ("18 to no maximum years", [AGE])
    assert compare_value(FACTS, "route") == ("portal vein, hepatic artery", [ARMS, TEXT])
    assert compare_value(FACTS, "source") == (None, [])
    assert compare_value(FACTS, "status") == ("Completed", [AGE])
    assert compare_value(FACTS, "phase") == (None, [])
    assert compare_value(FACTS, "enrollment") == (None, [])
    assert compare_value(FACTS, "follow-up") == ("72 weeks", [TEXT])
    assert compare_value(FACTS, "number of doses") == ("3, 2 or more", [ARMS, TEXT])
    assert compare_value(TrialFacts(FACTS.trial), "follow-up") == (None, [])


def test_lengths_in_their_largest_whole_unit() -> None:
    assert [length(d) for d in (730.5, 504.0, 182.625, 365.25, 7.0, 10.0)] == [
        "2 years",
        "72 weeks",
        "6 months",
        "1 year",
        "1 week",
        "10 days",
    ]


def test_compare_rows_on_the_seeds(seed_index: TrialIndex) -> None:
    a = seed_index.ask("compare the phases of randomized trials")
    assert (a.kind, a.no_answer, a.compared, a.not_stated, a.left_out) == ("compare", False, "phase", 1, 0)
    assert a.message == "Phase of 3 trials; 1 do not state it."
    assert a.constraints == ("allocation: Randomized",)
    assert [(r.nct_id, r.value, r.citation.snippet if r.citation else None) for r in a.table or ()] == [
        ("NCT01724697", "Phase 1, Phase 2", "Phase 2"),
        ("NCT00713934", "Phase 1, Phase 2", "Phase 2"),
        ("NCT01218464", "Phase 1, Phase 2", "Phase 2"),
    ]
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT00713934", "NCT01218464"]
    b = seed_index.ask("compare the statuses")
    assert [(r.nct_id, r.value) for r in b.table or ()] == [
        ("NCT01724697", "Unknown"),
        ("NCT03209986", "Unknown"),
        ("NCT00713934", "Completed"),
        ("NCT05106972", "Recruiting"),
        ("NCT01218464", "Unknown"),
    ]
    assert b.message == "Status of 5 trials." and b.constraints == () and b.left_out == 0


def test_compare_what(seed_index: TrialIndex) -> None:
    a = seed_index.ask("compare")
    assert a.no_answer and a.table is None and a.kind == "list"
    assert a.message == (
        "Say what to compare: one of number of doses, follow-up, dose, age, enrollment, status, phase, masking, "
        "allocation, route, source "
        '(e.g. "compare the cell doses").'
    )


def test_compare_follow_up_and_doses_on_the_seeds(seed_index: TrialIndex) -> None:
    a = seed_index.ask("compare the follow-up")
    assert (a.compared, a.message) == ("follow-up", "Follow-up of 3 trials; 2 do not state it.")
    assert [(r.nct_id, r.value) for r in a.table or ()] == [
        ("NCT00713934", "24 weeks"),
        ("NCT05106972", "72 weeks"),
        ("NCT01218464", "2 years"),
    ]
    b = seed_index.ask("compare the number of doses")
    assert [(r.nct_id, r.value) for r in b.table or ()] == [("NCT03209986", "3"), ("NCT05106972", "2")]
