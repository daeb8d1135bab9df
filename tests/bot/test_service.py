"""The checks every front end applies before it asks the index: question, filters, NCT ID."""

from __future__ import annotations

import pytest

from bot.service import check_filters, check_nct, check_question
from index import BadQuestion

FILTER_HELP = (
    "cannot read filter 'colour:blue'; use e.g. status:recruiting phase:2 age>65 enrollment>=100 sex:female "
    "masking:double allocation:randomized country:China placebo:yes"
)


def test_check_question() -> None:
    assert check_question("  which trials exclude HIV?  ") == "which trials exclude HIV?"
    with pytest.raises(BadQuestion, match=r'^Ask a question about the trials, e\.g\. "which trials use the'):
        check_question("   ")
    with pytest.raises(BadQuestion, match=r"^A query must be text\.$"):
        check_question(5, "query")


def test_check_filters() -> None:
    assert check_filters(None) is None
    assert check_filters([]) is None
    assert check_filters("phase:2") == ["phase:2"]
    assert check_filters(["phase:2", "age>65"]) == ["phase:2", "age>65"]
    with pytest.raises(BadQuestion) as exc:
        check_filters(["phase:2", "colour:blue"])
    assert str(exc.value) == FILTER_HELP


def test_check_nct() -> None:
    assert check_nct(" nct01724697 ") == "NCT01724697"
    with pytest.raises(BadQuestion) as exc:
        check_nct("nct123")
    assert str(exc.value) == "'nct123' is not an NCT ID: NCT and 8 digits, e.g. NCT01724697"
