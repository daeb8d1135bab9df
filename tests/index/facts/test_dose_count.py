"""Numbers of doses: read only where a sentence states them plainly, and the counts questions ask for."""

import re

import pytest

from index.facts.dose_count import QUESTION_COUNT, QUESTION_REPEATED, Count, question_count, stated_count


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        # the seeds' own sentences
        ("UC-MSC infusion by intravenus, 1\\*10\\^8 cells/dose, 2 doses (apart from 24weeks)", Count(2, 2)),
        (
            "mesenchymal stem cell transplantation via peripheral vein: 1x10E6 MSCs/kg body weight administered "
            "via peripheral vein at week 0, 4, 8.",
            Count(3, 3),
        ),
        (
            "Three times of MSC infusion (1x10E6 cells/kg body weight) via peripheral vein will be given to the "
            "experimental group (once in 4 weeks).",
            Count(3, 3),
        ),
        (
            "Participants will receive conventional treatment plus a dose of MSC from day 0 through the week 12 "
            "study visit.",
            None,
        ),
        ("Cells are injected via portal vein under sonography monitoring.", None),
        (
            "After cell therapy, patients are followed up every week for 4 weeks, and laboratory data are "
            "analyzed for 24 weeks.",
            None,
        ),
        # written ones
        ("Patients receive three infusions at weeks 0, 4 and 8.", Count(3, 3)),
        ("a single injection of 1x10^6 cells/kg", Count(1, 1)),
        ("MSCs are infused once weekly for 4 weeks.", Count(4, 4)),
        ("Both cohorts will receive multiple infusions of MSCs.", Count(2, None)),
        ("1-2 doses of MSC", None),  # a range
        ("MSCs are infused once or twice.", None),
        ("entecavir 0.5 mg once daily", None),  # a daily drug
        ("Olaparib: 600 mg daily (2 doses of 300 mg)", None),
        ("SCM-AGH will be administrated once a day for 3 days (D0, D1 and D2).", Count(3, 3)),  # a course
        ("ALT > 3 times normal value", None),
        ("a dose-escalation study of 3 dose levels given intravenously", None),
        ("a possible repeat injection at week 12", None),
        ("Zhang et al. found that repeated injections of MSCs work.", None),  # another study
        ("MSCs are infused at day 0 and evaluated at weeks 4, 12 and 24.", None),  # visits, not doses
        ("2 doses of MSC, then 3 infusions of saline", None),  # two counts: unclear
    ],
)
def test_a_count_stated_plainly_or_nothing(sentence: str, count: Count | None) -> None:
    assert stated_count(sentence) == count


@pytest.mark.parametrize(
    ("count", "op", "n", "holds"),
    [
        (Count(2, 2), ">", 1, True),
        (Count(2, 2), "=", 2, True),
        (Count(2, 2), "=", 3, False),
        (Count(1, 1), ">", 1, False),
        (Count(1, 1), "<=", 1, True),
        (Count(2, None), ">", 1, True),
        (Count(2, None), "=", 2, False),  # "multiple": not a known count
        (Count(2, None), "<", 5, False),
        (Count(2, 2), "in", (2, 3), True),  # two or three times
        (Count(3, 3), "in", (2, 3), True),
        (Count(1, 1), "in", (2, 3), False),
        (Count(2, None), "in", (2, 3), False),
    ],
)
def test_a_count_against_a_comparison(count: Count, op: str, n: int | tuple[int, int], holds: bool) -> None:
    assert count.holds(op, n) is holds


@pytest.mark.parametrize(
    "question",
    [
        "which give cells more than once",
        "repeat infusions (>1 dose) studies",
        "Which protocols specify a multiple-dose regimen?",
        "which trials give more than one infusion of cells?",
        "do you get the cells several times, not just a single shot",
        "which studies repeat the MSC infusion every 4 weeks",
        "2 or more infusions",
        "which trials give you more than one lot of cells",  # a lay "lot" or "round" of cells
        "more than one round of stem cells",
        "repeat dosing of the stem-cell product over several months",
        "several doses spread over weeks or months",
    ],
)
def test_questions_that_ask_for_more_than_one_dose(question: str) -> None:
    assert re.search(QUESTION_REPEATED, question, re.I)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("single infusion only", ("=", 1)),
        ("3 infusions", ("=", 3)),
        ("which trials give 2 doses of stem cells", ("=", 2)),
        ("which trials infuse the cells twice", ("=", 2)),
        ("at least 3 injections", (">=", 3)),
        ("given only once", ("=", 1)),
        ("ALT 3 times the upper limit", None),
        ("fixed dose of 100 million cells per infusion?", None),
        ("1e8 cells/dose - which trial", None),
        ("2 or 3 MSC infusions", ("in", (2, 3))),
        ("3 or 4 infusions", ("in", (3, 4))),
    ],
)
def test_the_count_a_question_asks_for(question: str, asked: tuple[str, int | tuple[int, int]] | None) -> None:
    m = re.search(QUESTION_COUNT, question, re.I)
    assert (question_count(m) if m else None) == asked
