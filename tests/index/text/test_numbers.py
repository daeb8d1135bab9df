"""Numbers and units in other forms: words, durations, cell doses."""

from __future__ import annotations

import pytest

from index.text.numbers import (
    administration_counts,
    administration_tokens,
    amount_as_level,
    canonical_tokens,
    comparator_words,
    duration_token,
    durations,
    normalize_question,
    quantities,
    quantity_token,
    recency_tokens,
    rough_tokens,
    words_to_digits,
)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("two hundred millilitres", "200 millilitres"),
        ("twenty-four weeks", "24 weeks"),
        ("over a hundred participants", "over 100 participants"),
        ("one hundred and fifty", "150"),
        ("half a million cells", "500000 cells"),
        ("five million cells", "5000000 cells"),
        ("2.5 million", "2500000"),
        ("half a year", "0.5 year"),
        ("phase two", "phase 2"),
        ("nine or more", "9 or more"),
        ("only one arm", "only one arm"),  # a lone "one" is left alone
        ("a year and a half", "1.5 year"),
        ("two and a half years", "2.5 years"),
        ("3 months and a half", "3.5 months"),
        ("one and a half", "one and a half"),  # no unit: left alone
        ("phase one-two", "phase 1-2"),  # two numbers, not their sum
        ("phases one and two", "phases 1 and 2"),
        ("between five and six months", "between 5 and 6 months"),
        ("one hundred and two", "102"),
        ("sixty-five", "65"),
        ("longer than one yr", "longer than 1 yr"),  # a unit's short form
        ("one wk", "1 wk"),
    ],
)
def test_words_to_digits(text: str, digits: str) -> None:
    assert words_to_digits(text) == digits


@pytest.mark.parametrize(
    ("text", "days", "token"),
    [
        ("6 months", 182.625, "d182"),
        ("six months", 182.625, "d182"),
        ("26 weeks", 182.0, "d182"),
        ("half a year", 182.625, "d182"),
        ("2 doses (apart from 24weeks)", 168.0, "d168"),
        ("within 3 weeks prior to clinical registration", 21.0, "d21"),
        ("in the past 21 days", 21.0, "d21"),
        ("during the 2-year follow up", 730.5, "d728"),
    ],
)
def test_durations(text: str, days: float, token: str) -> None:
    assert [q.values for q in durations(text)] == [(days,)]
    assert canonical_tokens(text) == {token}


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1x10E6 cells/kg body weight", (1e6,)),
        ("5.0×106 cells", (5e6,)),  # the superscript was lost
        ("1\\*10\\^8 cells/dose", (1e8,)),
        ("0.5-1.0×106 cells/kg", (5e5, 1e6)),
        ("5x10^5 cells/kg", (5e5,)),
        ("1*10^8", (1e8,)),
        ("10^6/kg", (1e6,)),
        ("5 million", (5e6,)),
        ("5,000,000 cells", (5e6,)),
        ("1e6 cells", (1e6,)),
        ("1.5 x 10^7", (1.5e7,)),
    ],
)
def test_cell_doses(text: str, values: tuple[float, ...]) -> None:
    assert [q.values for q in quantities(text)] == [values]


@pytest.mark.parametrize("text", ["2 X to 3X normal value", "240 estimated patients", "a 2 x 10 cm lesion", "100"])
def test_small_numbers_are_not_quantities(text: str) -> None:
    assert quantities(text) == []


def test_tokens_are_the_same_for_every_form_of_a_value() -> None:
    assert quantity_token(5e5) == quantity_token(500000) == "q5e5"
    assert quantity_token(1.5e7) == "q15e6"
    assert duration_token(21) == "d21" and duration_token(7 * 26) == duration_token(182.625) == "d182"
    forms = ["five million cells", "5×10^6 cells", "5x10E6", "5.0×106", "5,000,000"]
    assert {frozenset(canonical_tokens(f)) for f in forms} == {frozenset({"q5e6"})}


def test_normalize_question() -> None:
    assert normalize_question("Which trials give two doses 24 weeks apart?") == "Which trials give x2 d168 apart?"
    assert normalize_question("Which trials give half a million cells per kilogram?") == (
        "Which trials give q5e5 cells per kilogram?"
    )
    assert normalize_question("Which trials use 0.5-1.0×106 cells/kg?") == "Which trials use q5e5 q1e6 cells/kg?"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("INR>2", "greater more higher high above over exceeding exceeds elevated raised increased"),
        ("bilirubin ≥ 3 mg/dl", "greater more higher high above over exceeding elevated raised increased"),
        ("creatinine >= 1.5", "greater more higher high above over exceeding elevated raised increased"),
        ("Age <18 years", "less lower low below under fewer smaller reduced decreased"),
        (
            "platelets ≤50×10^9/L and INR > 1.5",
            "greater more higher high above over exceeding exceeds elevated raised increased "
            "less lower low below under fewer reduced decreased",
        ),
        ("Child-Pugh score 9-15", ""),
        ("<strong>bold</strong>", ""),  # a sign before no number says nothing
    ],
)
def test_comparison_signs_say_their_words(text: str, words: str) -> None:
    assert comparator_words(text) == words


@pytest.mark.parametrize(
    ("question", "normalized"),
    [
        ("treated for at least half a year", "treated for d182"),
        ("symptoms for longer than 4 weeks", "symptoms for d28"),
        ("no more than two years of disease", "d728 of disease"),
        ("a score of at least 9", "a score of at least 9"),  # not a duration: its words stay
        ("INR greater than 2", "INR greater than 2"),
    ],
)
def test_words_comparing_a_duration_are_dropped(question: str, normalized: str) -> None:
    assert normalize_question(question) == normalized


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("visits every week for a month", {"d7", "d28"}),
        ("once a week during the first year", {"d7", "d364"}),
        ("each day for 2 weeks", {"d1", "d14"}),
        ("a dose of cells", set()),  # "a" before no unit stays a word
    ],
)
def test_one_of_a_unit_is_a_duration(text: str, tokens: set[str]) -> None:
    assert canonical_tokens(text) == tokens


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("UC-MSC infusion by intravenus, 1\\*10\\^8 cells/dose, 2 doses (apart from 24weeks)", {2}),
        ("Three times of MSC infusion (1x10E6 cells/kg body weight) via peripheral vein", {3}),
        ("1x10E6 MSCs/kg body weight administered via peripheral vein at week 0, 4, 8.", {3}),
        ("cells given at weeks 0 and 12", {2}),
        ("infused twice", {2}),
        ("a single intravenous infusion", {1}),
        ("two further injections", {2}),
        # a bound, not givings
        ("gamma globulin of more than 2 times of upper limit of normal, and ALT > 3 times normal", set()),
        ("once in 4 weeks", set()),
    ],
)
def test_administration_counts(text: str, counts: set[int]) -> None:
    assert administration_counts(text) == counts


def test_administration_tokens_and_questions() -> None:
    assert administration_tokens("2 doses (apart from 24weeks)") == {"x2", "x2plus"}
    assert administration_tokens("a single infusion") == {"x1"}
    assert normalize_question("which trials give two doses of stem cells") == "which trials give x2 of stem cells"
    assert (
        normalize_question("which trials give more than one infusion of cells?") == "which trials give x2plus of cells?"
    )
    assert normalize_question("cells several times, not once") == "cells x2plus, not once"
    assert normalize_question("multiple MSC infusions") == "x2plus"
    assert normalize_question("infuse the cells twice") == "infuse the cells x2"
    assert (
        normalize_question("how many times do patients get MSCs") == "how many times do patients get MSCs"
    )  # a lookup


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("bleeding events occurred within 4 weeks before clinical registration", {"recent"}),
        ("Use of human serum albumin within 21 days", {"recent"}),
        ("antiviral therapy in the past three months", {"recent"}),
        ("surgery 2 weeks before enrolment", {"recent"}),
        ("followed for 4 weeks", set()),
        ("a course of more than 5 years", set()),
    ],
)
def test_a_window_before_entry_says_recent(text: str, tokens: set[str]) -> None:
    assert recency_tokens(text) == tokens


def test_a_question_s_time_ago_is_recent() -> None:
    assert normalize_question("a bleed from the gullet 2 weeks ago") == "a bleed from the gullet recent"
    assert normalize_question("albumin a week ago?") == "albumin recent?"
    assert normalize_question("bleeding within 4 weeks") == "bleeding within d28"  # the record's own words stay


def test_a_rough_duration_matches_a_record_s_within_a_tenth() -> None:
    assert normalize_question("measures its results about a year and a half after the start") == (
        "measures its results approxd546 after the start"
    )
    assert normalize_question("around 18 months") == "approxd546"
    assert normalize_question("for 18 months") == "for d546"  # not rough: the exact token
    week72 = rough_tokens("Changes from baseline to 72 weeks")
    assert {"approxd504", "approxd546", "approxd455", "approxd553"} <= week72
    assert not {"approxd448", "approxd560", "d504"} & week72
    assert len(week72) == 15
    assert rough_tokens("a dose of cells") == set()


def test_more_than_a_hundred_is_no_count_of_givings() -> None:
    assert normalize_question("which trials plan to enrol more than 100 patients") == (
        "which trials plan to enrol more than 100 patients"
    )
    assert normalize_question("more than 1 infusion") == "x2plus"


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("the amount of albumin in the serum", "albumin level"),
        ("how much bilirubin is in their blood?", "bilirubin level?"),
        ("how much hepatitis B virus is left in the blood", "hepatitis B viral load"),
        ("how much virus is still in the bloodstream", "viral load"),
        ("how much blood is taken", "how much blood is taken"),  # no amount in the blood
    ],
)
def test_an_amount_in_the_blood_is_a_level(question: str, read: str) -> None:
    assert amount_as_level(question) == read
