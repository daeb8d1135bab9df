"""Casual wording made plain before a question's terms are read."""

from __future__ import annotations

import pytest

from index.qa.wording import plain_wording


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("people who can't get a transplant", "people who cannot get a transplant"),
        ("pts who arent LT candidates", "pts who are not LT candidates"),
        ("he didnt respond", "he did not respond"),
        ("trials that cant take her", "trials that cannot take her"),
        ("people who've already tried it", "people who have already tried it"),
        ("they're on UDCA", "they are on UDCA"),
        ("patients who want a transplant", "patients who want a transplant"),  # no negation in "want"
        ("one party, i.e. single-blind", "one party,   single-blind"),
        ("trials that co-administer G-CSF", "trials that coadminister G-CSF"),
    ],
)
def test_contractions_and_asides(text: str, plain: str) -> None:
    assert plain_wording(text) == plain


def test_hedges_and_how_far_something_has_gone_are_no_terms() -> None:
    assert plain_wording("'Decompensated', I think the doctors call it.").split() == ["'Decompensated',", "."]
    assert plain_wording("what doctors call varices").split() == ["varices"]
    assert plain_wording("it's called HE").split() == ["HE"]
    assert plain_wording("cirrhosis that has got to the point where the liver fails").split() == [
        "cirrhosis",
        "that",
        "has",
        "the",
        "liver",
        "fails",
    ]
    assert plain_wording("who should I call about the trial") == "who should I call about the trial"  # a contact
    assert plain_wording("My sister's doctors say her liver is failing").split() == ["her", "liver", "is", "failing"]
    assert plain_wording("our site population skews elderly").split() == ["population", "skews", "elderly"]
    assert plain_wording("is my hospital a site").split() == ["is", "my", "hospital", "a", "site"]
    assert plain_wording("could I end up getting the placebo").split() == ["could", "I", "getting", "the", "placebo"]
