"""The cue patterns built from followups.json, and the text steps a follow-up is read with."""

from __future__ import annotations

import re

import pytest

from index.qa.followups import Cues, cues, cut, narrowed, quoted, without


@pytest.fixture(scope="module")
def c() -> Cues:
    return cues()


def first(rx: re.Pattern[str], text: str, group: int = 0) -> str | None:
    m = rx.search(text)
    return m.group(group) if m else None


def test_narrowing_phrases_become_what_followups_json_says(c: Cues) -> None:
    assert c.narrow["which of them"] == "which trials"
    assert c.narrow["of them"] == ""
    assert narrowed("which of them use the hepatic artery?", c) == (
        "which trials use the hepatic artery?",
        ["which of them"],
    )
    assert narrowed("Which  ONES are in China?", c) == ("which trials are in China?", ["which ones"])
    assert narrowed("and in Iran?", c) == ("and in Iran?", [])


def test_plural_pronouns_except_before_a_qualifier(c: Cues) -> None:
    assert first(c.plural_rx, "are those recruiting") == "those"
    assert first(c.plural_rx, "what is their phase?") == "their"
    assert first(c.plural_rx, "which trials exclude those with diabetes") is None  # "with" follows


def test_single_trial_cues(c: Cues) -> None:
    assert first(c.single_strong_rx, "what is the dose of that trial?") == "that trial"
    assert first(c.single_weak_rx, "is it randomized?") == "it"
    assert first(c.single_weak_rx, "is the item listed?") is None  # whole words only
    assert first(c.subject_rx, "which studies use it") == "studies"


def test_ordinals_numbers_other_and_named(c: Cues) -> None:
    assert first(c.ordinal_rx, "what about the second one?", 1) == "second"
    assert first(c.ordinal_rx, "the LAST trial", 1) == "LAST"
    assert (c.ordinals["second"], c.ordinals["2nd"], c.ordinals["last"], c.ordinals["former"]) == (2, 2, -1, 1)
    assert first(c.numbered_rx, "show number 2", 1) == "2"
    assert first(c.numbered_rx, "#3 please", 1) == "3"
    assert first(c.other_rx, "and the other one?") == "the other one"
    assert first(c.named_rx, "tell me about the Royan trial", 1) == "Royan"
    assert first(c.lead_rx, "And what about   the other one?") == "And what about   "
    assert first(c.lead_rx, "Andrew's trial") is None


def test_fact_cues(c: Cues) -> None:
    assert [name for name, _ in c.facts] == [
        "dose", "route", "enrollment", "age", "status", "phase", "masking", "allocation", "source",
    ]  # fmt: skip

    def asked(q: str) -> list[str]:
        return [name for name, rx in c.facts if rx.search(q)]

    assert asked("what is the dose of that trial?") == ["dose"]
    assert asked("how was it administered?") == ["route"]
    assert asked("how many patients did the second one enroll?") == ["enrollment"]
    assert asked("is it open-label and randomised?") == ["masking", "allocation"]
    assert asked("where is it?") == []


def test_text_steps() -> None:
    assert cut("what about the second one?", (11, 25)) == "what about?"
    assert cut("which of them are in Iran", (6, 13), "trials") == "which trials are in Iran"
    assert without("and what about Iran?", cues().lead_rx) == "Iran?"
    assert quoted(" hepatic   artery ") == "“hepatic artery”"
