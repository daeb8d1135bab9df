"""Ages in months, weeks or days, "only children" and "newborns" in fact questions."""

from __future__ import annotations

import pytest

from index.facts.ages import years
from index.facts.constraints import parse
from index.text.numbers import words_to_digits


def read(question: str) -> list[tuple[str, str, float, str]]:
    cs, _ = parse(words_to_digits(question))
    return [(c.key, c.op, round(c.value, 4), c.label) for c in cs]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which trials only take babies younger than one month?", [("max_age", "<", 0.0833, "maximum age < 1 month")]),
        ("only patients under 6 months old", [("max_age", "<", 0.5, "maximum age < 6 months")]),
        ("only kids younger than 12 years", [("max_age", "<", 12.0, "maximum age < 12")]),
        ("trials for children under 6 months", [("age", "<", 0.5, "age < 6 months")]),
        ("trials accepting babies older than 28 days", [("age", ">", 0.0767, "age > 28 days")]),
        ("neonates under 7 days", [("age", "<", 0.0192, "age < 7 days")]),
        ("Which trials enrol only children?", [("max_age", "<", 18.0, "maximum age < 18")]),
        ("paediatric-only studies", [("max_age", "<", 18.0, "maximum age < 18")]),
        ("which trials treat neonates?", [("max_age", "<=", 0.0833, "maximum age <= 1 month")]),
        (
            "Which trials are for newborns in their first weeks of life?",
            [("max_age", "<=", 0.0833, "maximum age <= 1 month")],
        ),
        ("Which trials enroll children?", [("age", "<", 18.0, "age < 18")]),  # a child can join: not only children
        ("which trials only enrol patients under 60?", [("max_age", "<", 60.0, "maximum age < 60")]),
        ("trials with follow-up under 6 months", [("follow_up", "<", 182.625, "follow-up < 6 months")]),
        ("patients treated for less than 6 months", []),  # a duration, not an age
        ("which trials exclude newborns", []),  # a criterion to search
        ("72F - which trials is she young enough for?", [("age", "=", 72.0, "age: 72")]),  # a chart's age and sex
        ("45M, alcoholic cirrhosis", [("age", "=", 45.0, "age: 45")]),
        ("Which trials accept a pt who's 19?", [("age", "=", 19.0, "age: 19")]),
        ("Which trials accept members over 70, e.g. 72?", [("age", ">", 70.0, "age > 70")]),
        ("Which studies cap enrolment age below 66?", [("max_age", "<", 66.0, "maximum age < 66")]),
        ("Which study caps enrolment at 60 years of age?", [("max_age", "=", 60.0, "maximum age: 60")]),
        ("cells taken from newborns' umbilical cords", []),  # where cells come from, not who is treated
        ("cells that come from a newborn babys cord", []),
        ("a 5M cell dose", []),  # a capital after a number is a sex only before a comma, dash or "with"
        ("Which studies have a minimum age of 18 years?", [("min_age", "=", 18.0, "minimum age: 18")]),
        ("Lower age limit of 18 yrs: which studies?", [("min_age", "=", 18.0, "minimum age: 18")]),
        ("Which study has a minimum age higher than 18?", [("min_age", ">", 18.0, "minimum age > 18")]),
        ("Is there one where you have to be at least twenty to join?", [("min_age", "=", 20.0, "minimum age: 20")]),
        ("minimum age >= 20", [("min_age", ">=", 20.0, "minimum age >= 20")]),
        ("maximum age <= 65", [("max_age", "<=", 65.0, "maximum age <= 65")]),
        ("a maximum age of at least 70", [("max_age", ">=", 70.0, "maximum age >= 70")]),
        ("Pts aged >70: which studies allow them?", [("age", ">", 70.0, "age > 70")]),
    ],
)
def test_ages_in_other_units_and_kinds_of_patient(question: str, expected: list[tuple[str, str, float, str]]) -> None:
    assert read(question) == expected


def test_the_rest_of_the_question_keeps_what_is_not_the_age() -> None:
    _, rest = parse("Which trials are for newborns in their first weeks of life?")
    assert rest == "Which trials are for ?"


def test_units_in_years() -> None:
    assert years("1", "month") == pytest.approx(1 / 12)
    assert years("28", "days") == pytest.approx(28 / 365.25)
    assert years("26", "weeks") == pytest.approx(182 / 365.25)
