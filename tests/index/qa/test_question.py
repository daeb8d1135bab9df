"""Reading a question: its kind and mode, the value a lookup wants, its terms, and k."""

import pytest

from index.errors import BadQuestion
from index.qa.question import (
    MAX_K,
    answer_type,
    check_k,
    drop,
    fact_search_terms,
    question_kind,
    question_mode,
    search_terms,
    type_words,
)


@pytest.mark.parametrize(
    ("question", "kind", "mode"),
    [
        ("which trials use the hepatic artery?", "list", "list"),
        ("List trials in China", "list", "list"),
        ("are there trials of adipose cells?", "list", "list"),
        ("what trials enrol children?", "list", "list"),
        ("What dose does the Xijing trial give?", "lookup", "lookup"),
        ("how many patients did the Royan trial enroll?", "lookup", "lookup"),
        ("Where is the Haikou trial?", "lookup", "lookup"),
        ("hepatic artery", "list", "list"),
        ("How many trials are recruiting?", "list", "count"),
        ("how many of the studies are randomized", "list", "count"),
        ("Compare the cell doses", "list", "compare"),
        ("tabulate the phases", "list", "compare"),
    ],
)
def test_kind_and_mode(question: str, kind: str, mode: str) -> None:
    assert question_kind(question) == kind
    assert question_mode(question) == mode


@pytest.mark.parametrize(
    ("question", "atype"),
    [
        ("What dose does the Xijing trial give?", "dose"),
        ("how many cells are infused", "dose"),
        ("How many patients did the Royan trial enroll?", "count"),
        ("what ages does it accept", "age"),
        ("where is it run", "where"),
        ("where is the marrow taken from", None),  # a place in the body: the record's sentences say
        ("where are the cells injected", "route"),
        ("which sites take part", "where"),
        ("when did it start", "when"),
        ("who sponsors it", "who"),
        ("how are the cells administered", "route"),
        ("by what route is it given", "route"),
        ("is it still recruiting?", "status"),
        ("what is its status", "status"),
        ("what is the primary outcome", "outcome"),
        ("how long are patients followed up", "duration"),
        ("what is the sample size", "count"),
        ("what does the title say", None),
    ],
)
def test_answer_type(question: str, atype: str | None) -> None:
    assert answer_type(question) == atype


def test_check_k() -> None:
    assert MAX_K == 100
    assert check_k(1) == 1 and check_k(100) == 100
    for bad in (0, 101, -3, True, 2.5, "10", None):
        with pytest.raises(BadQuestion, match="k must be a whole number from 1 to 100"):
            check_k(bad)


def test_terms_without_the_framing_verb() -> None:
    assert search_terms("which trials test stem cells in liver failure?") == (
        [("stem",), ("cell",), ("liver",), ("failur",)],
        {(0, 1), (2, 3)},
    )
    # "accept" and "patients" frame a fact question; "liver failure" is what to search
    assert fact_search_terms("Which trials accept patients with liver failure") == (
        [("liver",), ("failur",)],
        {(0, 1)},
    )


def test_drop_renumbers_phrase_links() -> None:
    groups = [("a",), ("b",), ("c",), ("d",)]
    assert drop(groups, {(0, 1), (2, 3)}, {0}) == ([("b",), ("c",), ("d",)], {(1, 2)})
    assert drop(groups, {(0, 1)}, set()) == (groups, {(0, 1)})


def test_type_words() -> None:
    assert type_words("route") >= {"rout", "deliv", "administ"}
    assert type_words("count") >= {"mani", "peopl", "plan", "sampl"}
    assert type_words("where") == frozenset() and type_words(None) == frozenset()
