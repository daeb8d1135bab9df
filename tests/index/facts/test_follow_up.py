"""Follow-up lengths: read from sentences about following patients and from outcome time
frames, in days; lengths compared in whole weeks; the lengths questions ask for."""

import re

import pytest

from index.facts.follow_up import QUESTION, question_op, same_length, stated_days, time_frame_days


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        # the seeds' own sentences
        ("Participants will then be followed until 2 years study visit", 730.5),
        (
            "During the 2-year follow up, the evaluation of safty and efficacy will be undergone to help to "
            "establish innovative cell-based therapies for the treatment of diseases.",
            730.5,
        ),
        (
            "After cell therapy, patients are followed up every week for 4 weeks, and laboratory data are "
            "analyzed for 24 weeks.",
            168.0,
        ),
        ("Anticipated with difficulty of follow-up observation", None),
        # written ones
        ("Thereafter, patients will be followed for twelve months.", 365.25),
        ("Follow-up visits at weeks 4, 12 and 52.", 364.0),
        ("an extended follow-up period up to 104 weeks", 728.0),
        ("Patients are seen every 3 months during follow-up.", None),  # an interval, not a length
        ("Previous studies followed patients for 5 years.", None),  # another study
        ("MSCs are infused 4 weeks following surgery.", None),  # "following" is not follow-up
        ("Infusion at day 0, followed by a second one 4 weeks later.", None),
        ("Patients aged 18-65 years will be followed for 12 months.", 365.25),  # an age is not a length
        ("Children are followed up until the age of 18 years.", None),
        ("It occurs in patients older than 60 years followed for hypertension.", None),
        ("1-year follow-up study of patients (over 18-years-old)", 365.25),
        ("2 years of follow-up", 730.5),
        ("an 18-week Treatment Period, and a 6-week Safety Follow-up Period.", 42.0),
        ("assessed at 6, 12, 24 and 36 months (long-term follow-up phase).", 1095.75),
    ],
)
def test_a_sentence_about_following_patients(sentence: str, days: float | None) -> None:
    assert stated_days(sentence) == days


@pytest.mark.parametrize(
    ("frame", "days"),
    [
        ("Changes from baseline to 72 weeks", 504.0),
        ("Baseline, 6 months, 12 months", 365.25),
        ("up to two years", 730.5),
        ("Day 28", 28.0),
        ("Day 1 - 20", 20.0),
        ("Days 3, 6, 9, 12, 15, and 18", 18.0),
        ("24 hours after infusion", None),
        ("through study completion", None),
    ],
)
def test_an_outcome_time_frame(frame: str, days: float | None) -> None:
    assert time_frame_days(frame) == days


def test_lengths_are_compared_in_whole_weeks() -> None:
    assert same_length(728.0, 730.5) == 0  # 104 weeks, 2 years
    assert same_length(365.25, 364.0) == 0  # 12 months, 52 weeks
    assert same_length(504.0, 365.25) == 1
    assert same_length(168.0, 182.625) == -1


@pytest.mark.parametrize(
    ("question", "written", "op"),
    [
        ("follow-up longer than 1 yr?", "1 yr", ">"),
        ("follow up >= 12 months, list", "12 months", ">="),
        ("which trials follow patients for at least 2 years?", "2 years", ">="),
        ("104-week follow up", "104-week", "="),
        ("Which trial follows pts for 24 months?", "24 months", "="),
        ("2 years or more of follow-up", "2 years", ">="),
        ("trials with follow-up up to 6 months", "6 months", "<="),
        ("followed for over 1 year", "1 year", ">"),
        ("follow-up exceeding 18 months", "18 months", ">"),
        ("f/u within 90 days", "90 days", "<="),
        ("Which studies track participants beyond 12 months?", "12 months", ">"),
        ("which trials follow you for more than 1 year", "1 year", ">"),
        ("which studies keep checking on people for over 12 months", "12 months", ">"),
        ("Which trials follow patients or assess endpoints beyond 1 year?", "1 year", ">"),
        ("a long-term assessment horizon of 72 weeks or more", "72 weeks", ">="),
        ("In which trials does observation extend beyond 78 weeks?", "78 weeks", ">"),
        ("Which trials measure outcomes more than 1 year after treatment starts?", "1 year", ">"),
    ],
)
def test_the_length_a_question_asks_for(question: str, written: str, op: str) -> None:
    m = re.search(QUESTION, question, re.I)
    assert m is not None
    assert ((m.group("d") or m.group("d2")), question_op(m)) == (written, op)
