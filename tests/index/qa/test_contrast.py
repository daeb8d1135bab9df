"""index.qa.contrast: what a question sets its need against."""

import pytest

from index.qa.contrast import uncontrasted


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which trial is for liver failure not cirrhosis", "which trial is for liver failure "),
        ("which use donor cells not his own", "which use donor cells "),
        ("the patients own stem cells not from someone else", "the patients own stem cells "),
        ("which trials do not use placebo", "which trials do not use placebo"),  # a verb's "not"
        ("trials for patients not responding to treatment", "trials for patients not responding to treatment"),
        ("patients not eligible for transplant", "patients not eligible for transplant"),
        ("which trials not accept patient with HE", "which trials not accept patient with HE"),  # a verb's "not"
        ("phase listed as not applicable", "phase listed as not applicable"),  # a value
        ("which trials need you to NOT have HE", "which trials need you to NOT have HE"),  # emphasis, not an operator
        ("BM cell therapy NOT umbilical cord", "BM cell therapy "),  # a search box's operator
        ("a plain peripheral IV infusion, with no catheter work needed?", "a plain peripheral IV infusion ?"),
        ("run on the ward without angiography or portal access, because", "run on the ward  , because"),
    ],
)
def test_a_not_right_after_the_need_sets_it_against_what_follows(question: str, expected: str) -> None:
    assert uncontrasted(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which trials use donor cells, not autologous?", "which trials use donor cells ?"),
        ("donor cells from another person and not from the patient?", "donor cells from another person ?"),
        ("cells through a peripheral vein and not straight into the liver", "cells through a peripheral vein "),
        ("only an infusion into a vein, nothing into the liver itself?", "only an infusion into a vein ?"),
        ("which trials are open, not using placebo?", "which trials are open, not using placebo?"),  # a need
        ("cirrhosis trials, not eligible for transplant", "cirrhosis trials, not eligible for transplant"),
        ("his liver is failing now not just cirrosis, which ones", "his liver is failing  , which ones"),
    ],
)
def test_a_not_after_a_comma_or_and_sets_the_need_against_what_follows(question: str, expected: str) -> None:
    assert uncontrasted(question) == expected
