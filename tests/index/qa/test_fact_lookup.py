"""Yes/no fact questions about one named trial: its record decides, cited."""

import pytest

from index import TrialIndex


@pytest.mark.parametrize(
    ("question", "nct", "message", "snippets"),
    [
        (
            "is the Royan study recruiting at the moment? currently recruiting?",
            "NCT00713934",
            "No: the record of NCT00713934 does not match status: Recruiting.",
            ["Completed"],
        ),
        (
            "Is the Beijing 302 trial randomised?",
            "NCT01218464",
            "Yes: the record of NCT01218464 matches allocation: Randomized.",
            ["Randomized"],
        ),
        (
            "does the Haikou study take patients older than 65?",
            "NCT05106972",
            "No: the record of NCT05106972 does not match age > 65.",
            ["Aged between 20 and 60 (male or female)"],
        ),
        (
            "does the Xijing trial give more than one infusion?",
            "NCT03209986",
            "Yes: the record of NCT03209986 matches number of doses > 1.",
            [
                "mesenchymal stem cell transplantation via peripheral vein: 1x10E6 MSCs/kg body weight administered "
                "via peripheral vein at week 0, 4, 8."
            ],
        ),
        (
            "is follow-up longer than a year in the Haikou study?",
            "NCT05106972",
            "Yes: the record of NCT05106972 matches follow-up > 1 year.",
            ["Changes from baseline to 72 weeks"],
        ),
        (  # a search box's words: no list word, one trial named
            "xijing child-pugh 7 or more",
            "NCT03209986",
            "Yes: the record of NCT03209986 matches Child-Pugh score >= 7.",
            ["Child-Pugh score ≥7"],
        ),
    ],
)
def test_the_named_trials_record_decides(
    seed_index: TrialIndex, question: str, nct: str, message: str, snippets: list[str]
) -> None:
    a = seed_index.ask(question)
    assert (a.kind, a.no_answer, a.message) == ("lookup", False, message)
    assert [t.nct_id for t in a.trials] == [nct]
    assert [c.snippet for c in a.trials[0].citations] == snippets


def test_a_fact_the_record_does_not_mention(seed_index: TrialIndex) -> None:
    a = seed_index.ask("does the Xijing trial give a placebo?")
    assert a.no_answer and a.message == "The record of NCT03209986 does not state placebo: yes."


def test_a_follow_up_the_record_does_not_state(seed_index: TrialIndex) -> None:
    a = seed_index.ask("does the Air Force trial follow patients for at least 2 years?")
    assert a.no_answer and a.message == "The record of NCT01724697 does not state follow-up >= 2 years."


def test_without_a_named_trial_the_matching_trials_are_listed(seed_index: TrialIndex) -> None:
    a = seed_index.ask("Is any trial recruiting?")
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]
