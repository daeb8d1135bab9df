"""The one vocabulary: countries in one table, terms keyed by name with their keywords."""

import re

import pytest

from index.facts.constraints import parse
from index.facts.vocabulary import (
    COUNTRIES,
    COUNTRY_ALIASES,
    QUESTION_COUNTRIES,
    ROUTE_TERMS,
    SOURCE_TERMS,
    TEXT_TERMS,
    country_keys,
    is_country,
    question_country,
)


def test_one_country_table() -> None:
    assert len(COUNTRIES) == 121
    assert is_country("china") and is_country("korea, republic of") and not is_country("beijing")
    assert set(COUNTRY_ALIASES.values()) <= COUNTRIES
    # a question's spellings are the marked countries and aliases, and two long US forms
    assert set(QUESTION_COUNTRIES) - COUNTRIES - set(COUNTRY_ALIASES) == {"u.s.a", "united states of america"}
    assert len(QUESTION_COUNTRIES) == 59
    assert QUESTION_COUNTRIES["great britain"] == QUESTION_COUNTRIES["britain"] == "united kingdom"
    assert set(QUESTION_COUNTRIES.values()) <= COUNTRIES


@pytest.mark.parametrize(
    ("spelling", "stated"),
    [
        ("USA", "united states"),
        ("u.s.", "united states"),
        ("U.S.A.", "united states"),
        ("England", "united kingdom"),
        ("korea", "korea"),
        ("South Korea", "south korea"),
        ("Hong Kong", "hong kong"),
    ],
)
def test_question_country(spelling: str, stated: str) -> None:
    assert question_country(spelling) == stated


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("trials in the USA", "country: United States"),
        ("trials in the united states of america", "country: United States"),
        ("trials in U.S.A. hospitals", "country: United States"),
        ("trials from England", "country: United Kingdom"),
        ("trials at sites in South Korea", "country: South Korea"),
        ("trials located in hong kong", "country: Hong Kong"),
        ("trials in China", "country: China"),
    ],
)
def test_questions_name_countries(question: str, label: str) -> None:
    (c,) = parse(question)[0]
    assert c.label == label


@pytest.mark.parametrize("question", ["trials in Peru", "trials in the U.S. now", "trials in usable form"])
def test_other_names_are_searched_as_text(question: str) -> None:
    assert parse(question)[0] == []


def test_country_keys_cover_the_spellings_of_location_lists() -> None:
    assert country_keys("United States") == {
        "united states",
        "usa",
        "us",
        "u.s.",
        "u.s",
        "america",
        "the united states",
    }
    assert country_keys("Korea") == {"korea", "korea, republic of", "south korea", "republic of korea"}
    assert country_keys(" Peru ") == {"peru"}


def test_terms_are_keyed_by_name() -> None:
    assert [t.name for t in ROUTE_TERMS] == [
        "hepatic artery",
        "portal vein",
        "peripheral vein / intravenous",
        "intrasplenic",
        "intrahepatic",
        "intramuscular",
        "intrathecal",
        "subcutaneous",
    ]
    assert [t.name for t in SOURCE_TERMS][:3] == ["bone marrow", "umbilical cord", "adipose"]
    assert [t.name for t in TEXT_TERMS][:2] == ["dose", "placebo"]
    assert len({t.name for t in TEXT_TERMS}) == len(TEXT_TERMS) == 18


EXAMPLES = {
    "hepatic artery": "infused via the hepatic artery",
    "portal vein": "injected into the portal vein",
    "peripheral vein / intravenous": "given intravenously",
    "intrasplenic": "intrasplenic injection",
    "intrahepatic": "intrahepatic injection of cells",
    "intramuscular": "injected intramuscularly",
    "intrathecal": "given intrathecally",
    "subcutaneous": "a subcutaneous dose",
    "bone marrow": "autologous BM-MSCs",
    "umbilical cord": "Wharton's jelly cells",
    "adipose": "adipose derived cells",
    "menstrual blood": "menstrual blood cells",
    "placenta": "placental cells",
    "peripheral blood": "peripheral blood stem cells",
    "amniotic": "amniotic membrane cells",
    "dental pulp": "dental pulp stem cells",
    "placebo": "Placebo arm",
    "dose": "1x10^6 cells/kg",
}


@pytest.mark.parametrize("term", TEXT_TERMS, ids=[t.name for t in TEXT_TERMS])
def test_each_term_finds_its_example_and_its_keywords_let_it(term) -> None:
    text = EXAMPLES[term.name]
    assert term.pattern.search(text), text
    assert any(w in text.lower() for w in term.keywords), (term.name, term.keywords)
    assert term.pattern.flags & re.I
