"""Matching trials to constraints, and how an answer says what it understood."""

from index import TrialIndex
from index.facts.constraints import make
from index.qa.matching import Matching, match


def test_match_on_the_seeds(seed_index: TrialIndex) -> None:
    facts = seed_index.identity.facts
    trials = list(seed_index.trials)
    m = match(trials, facts, [make("allocation", "=", "Randomized")])
    assert list(m.trials) == ["NCT01724697", "NCT03209986", "NCT00713934", "NCT01218464"]
    assert [c.snippet for c in m.trials["NCT01724697"]] == ["Randomized"]
    assert (m.constraints, m.left_out) == (("allocation: Randomized",), 0)  # the single-group trial is not randomized
    phase = match(trials, facts, [make("phase", "=", "Phase 4")])
    assert (list(phase.trials), phase.left_out) == ([], 1)  # one record does not state its phase
    everything = match(trials, facts, [])
    assert list(everything.trials) == trials and everything.left_out == 0


def test_what_an_answer_says() -> None:
    one = Matching(("age > 65", "status: Recruiting"), {}, 1)
    assert one.understood == "age > 65 · status: Recruiting"
    assert one.note == " (1 trial left out: the record does not state it)"
    assert Matching((), {}, 3).note == " (3 trials left out: the record does not state it)"
    assert Matching((), {}, 0).note == ""
