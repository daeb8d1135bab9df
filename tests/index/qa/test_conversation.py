"""Conversations over the seed index: follow-ups narrow the previous answer, pronouns resolve
to the right trial, a question of its own starts afresh; every citation verifies."""

from __future__ import annotations

import json

import pytest

from index import Answer, Conversation, ConversationContext
from index.evaluation.verify import bad_citations
from index.qa.conversation import State, read
from index.qa.followups import cues

# exclude hepatocellular carcinoma: four by name, the Haikou trial as "liver malignant tumor" (the same disease)
HCC = ["NCT01724697", "NCT01218464", "NCT03209986", "NCT00713934", "NCT05106972"]
HIV = ["NCT03209986", "NCT00713934"]  # exclude HIV: the Xijing trial, the Royan trial


def ids(a: Answer) -> list[str]:
    return [t.nct_id for t in a.trials]


def turns(conv: Conversation, questions: list[str]) -> list[Answer]:
    answers = [conv.ask(q) for q in questions]
    assert bad_citations(answers) == []  # every citation of every turn is verbatim at its location
    return answers


def test_narrowing_keeps_only_trials_of_the_previous_answer(seed_index) -> None:
    first, second = turns(
        seed_index.conversation(), ["Which trials exclude hepatocellular carcinoma?", "which of them are double-blind?"]
    )
    assert ids(first) == HCC
    assert first.context == ConversationContext("all", (), "the first question of the conversation", first.question)
    assert ids(second) == ["NCT01218464"]
    assert second.context == ConversationContext(
        "previous",
        tuple(HCC),
        "“which of them” refers to the 5 trials of the previous answer",
        "which trials are double-blind?",
    )
    assert second.question == "which of them are double-blind?"


def test_narrowing_drops_trials_the_whole_corpus_would_list(seed_index) -> None:
    """Stateless, "single-blind" lists NCT03209986 too; it was not among the previous answer's trials."""
    assert sorted(ids(seed_index.ask("which of those have a single-blind design?"))) == ["NCT00713934", "NCT03209986"]
    first, second = turns(
        seed_index.conversation(),
        ["Which trials require a negative pregnancy test?", "which of those have a single-blind design?"],
    )
    assert ids(first) == ["NCT01218464", "NCT00713934"]
    assert ids(second) == ["NCT00713934"]
    assert second.context is not None and second.context.scope == "previous"


def test_only_the_ones_and_and_in(seed_index) -> None:
    conv = seed_index.conversation()
    a1, a2 = turns(conv, ["Which trials are about cirrhosis?", "only the recruiting ones"])
    assert sorted(ids(a1)) == ["NCT00713934", "NCT01724697", "NCT03209986", "NCT05106972"]
    assert ids(a2) == ["NCT05106972"]
    assert a2.context is not None and (a2.context.asked, a2.context.trials) == ("recruiting trials", tuple(ids(a1)))
    (a3,) = turns(conv, ["and in China?"])
    assert ids(a3) == ["NCT05106972"]
    assert a3.context is not None and a3.context.scope == "trial"  # one trial left: "and" goes on about it


def test_pronoun_resolves_to_the_trial_of_a_lookup(seed_index) -> None:
    first, second = turns(
        seed_index.conversation(),
        ["Where is the UC-MSC cirrhosis trial located?", "how many participants will it recruit?"],
    )
    assert ids(first)[0] == "NCT05106972"
    assert ids(second) == ["NCT05106972"]
    assert second.trials[0].citations[0].snippet == "30"
    assert second.message == "Enrollment: 30."
    assert second.context is not None
    assert (second.context.scope, second.context.trials) == ("trial", ("NCT05106972",))
    assert second.context.reason.startswith("“it” is the trial the conversation is about")


def test_pronoun_asks_for_the_trials_follow_up_fact(seed_index) -> None:
    first, second = turns(
        seed_index.conversation(),
        ["Which trials compare stem cells with a dummy treatment?", "how long does it plan to follow patients?"],
    )
    assert ids(first) == ["NCT01218464"]
    assert ids(second) == ["NCT01218464"]
    assert second.trials[0].citations[0].snippet.startswith("During the 2-year follow up")


def test_pronoun_for_a_trial_that_does_not_state_it_is_no_answer(seed_index) -> None:
    first, second = turns(seed_index.conversation(), ["Which trials are open label?", "what dose does it give?"])
    assert ids(first) == ["NCT01724697"]
    assert second.no_answer
    assert second.message == "NCT01724697 does not support this."
    assert second.context is not None and second.context.trials == ("NCT01724697",)


def test_named_other_and_ordinal_references(seed_index) -> None:
    conv = seed_index.conversation()
    a1, a2, a3, a4 = turns(
        conv,
        [
            "Which trials exclude HIV?",
            "what dose does the Royan one give?",
            "and the other one?",
            "the second one: how many patients?",
        ],
    )
    assert ids(a1) == HIV
    assert a2.context is not None and a2.context.trials == ("NCT00713934",)
    assert a2.context.reason == "“the Royan one” is the previous answer's trial named so"
    assert a3.context is not None and a3.context.trials == ("NCT03209986",)  # the other of the two
    assert a3.context.asked == "compare the dose"  # "and the other one?" repeats the previous question
    assert ids(a3) == ["NCT03209986"] and a3.message == "Dose: 1x10E6 MSCs/kg."
    assert a4.context is not None and a4.context.trials == ("NCT00713934",)
    assert (ids(a4), a4.trials[0].citations[0].snippet) == (["NCT00713934"], "7 patients")


def test_a_question_of_its_own_is_not_narrowed(seed_index) -> None:
    conv = seed_index.conversation()
    a1, a2 = turns(conv, ["Which trials exclude HIV?", "Which trials are randomized?"])
    assert a2.context is not None
    assert (a2.context.scope, a2.context.reason) == ("all", "a question of its own: it names its subject")
    assert ids(a2) == ids(seed_index.ask("Which trials are randomized?"))
    assert set(ids(a2)) - set(ids(a1))  # not limited to the HIV answer's trials


def test_state_round_trips_through_json(seed_index) -> None:
    conv = seed_index.conversation()
    conv.ask("Which trials exclude hepatocellular carcinoma?")
    state = json.loads(json.dumps(conv.to_dict()))
    assert state["group"] == HCC and state["shown"] == HCC and state["about"] is None and state["turns"] == 1
    assert len(json.dumps(state)) < 1500
    again = seed_index.conversation(state)
    assert ids(again.ask("which of them are double-blind?")) == ["NCT01218464"]
    conv.reset()
    assert conv.ask("which of them are double-blind?").context.scope == "all"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "bad",
    [
        "state",
        [],
        {"version": 9},
        {"version": 1, "group": ["nope"]},
        {"version": 1, "about": 3},
        {"version": 1, "turns": -1},
    ],
)
def test_bad_state_is_a_value_error(seed_index, bad: object) -> None:
    with pytest.raises(ValueError):
        seed_index.conversation(bad)


def test_ask_without_a_conversation_has_no_context(seed_index) -> None:
    d = seed_index.ask("which trials use the hepatic artery?").to_dict()
    assert list(d) == ["question", "no_answer", "trials"]


def test_within_restricts_an_answer(seed_index) -> None:
    assert ids(seed_index.ask("which trials exclude HIV?", within={"NCT00713934"})) == ["NCT00713934"]
    assert ids(seed_index.ask("which trials exclude HIV?", within=set())) == []
    assert ids(seed_index.ask("which trials are randomized?", within=HIV)) == HIV


# --- reading, without an index ------------------------------------------------------------

TWO = State(group=HIV, shown=HIV, words={"NCT03209986": ["xije"], "NCT00713934": ["royan"]}, query="q", turns=1)


@pytest.mark.parametrize(
    ("question", "scope", "trials", "asked"),
    [
        ("which of them are double-blind?", "previous", HIV, "which trials are double-blind?"),
        ("any of them open-label?", "previous", HIV, "which trials open-label?"),
        ("of these, which have a placebo arm?", "previous", HIV, ", which have a placebo arm?"),
        ("are they recruiting?", "previous", HIV, "are recruiting?"),
        ("and in Iran?", "previous", HIV, "in Iran?"),
        ("what dose does it give?", "trial", ["NCT03209986"], "what dose does give?"),
        ("what dose does the Royan one give?", "trial", ["NCT00713934"], "what dose does give?"),
        ("where is the second trial run?", "trial", ["NCT00713934"], "where is run?"),
        ("the last one?", "trial", ["NCT00713934"], "tell me about it"),
        ("and the other one?", "trial", ["NCT00713934"], "q"),
        ("which trials exclude HIV and those with hepatitis?", "all", [], None),
        ("which trials follow them for a year?", "all", [], None),
        ("what dose does NCT01724697 give?", "all", [], None),
        ("what dose does the Xijing trial give?", "trial", ["NCT03209986"], "what dose does give?"),
    ],
)
def test_reading(question: str, scope: str, trials: list[str], asked: str | None) -> None:
    r = read(question, TWO, set())
    assert (r.scope, list(r.trials), r.asked) == (scope, trials, asked or question)


def test_cues_load_once_from_the_data_file() -> None:
    assert cues() is cues()
    assert cues().narrow["which of them"] == "which trials"
