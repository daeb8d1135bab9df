"""Count answers: how many trials match, all listed."""

from index import TrialIndex


def test_count_answers_on_the_seeds(seed_index: TrialIndex) -> None:
    a = seed_index.ask("how many trials are recruiting?", k=1)
    assert (a.kind, a.no_answer, a.count, a.left_out) == ("count", False, 1, 0)
    assert a.message == "1 trial match status: Recruiting."
    assert [t.nct_id for t in a.trials] == ["NCT05106972"] and a.more == ()
    assert [c.snippet for c in a.trials[0].citations] == ["Recruiting"]
    b = seed_index.ask("How many trials are randomized?", k=1)  # a count lists every match, whatever k
    assert b.count == 4 and len(b.trials) == 4 and b.more == ()
    c = seed_index.ask("how many trials are in China?")
    assert c.message == "4 trials match country: China."
    assert c.to_dict()["count"] == 4 and c.to_dict()["left_out"] == 0
    d = seed_index.ask("how many trials are in Brazil?")
    assert d.message == "No trial in the corpus matches country: Brazil."


def test_nothing_to_count(seed_index: TrialIndex) -> None:
    a = seed_index.ask("how many trials are in Peru?")
    assert (a.kind, a.no_answer, a.count, a.constraints, a.left_out) == ("count", True, 0, (), 0)
    assert a.message == "No trial in the corpus matches this."
    assert a.to_dict() == {
        "question": "how many trials are in Peru?",
        "no_answer": True,
        "trials": [],
        "message": "No trial in the corpus matches this.",
        "constraints": [],
        "left_out": 0,
        "count": 0,
    }
