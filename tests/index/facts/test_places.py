"""The places table: places and institutions that lie in one country, and questions' demonyms."""

import re

import pytest

from index.facts.places import (
    countries_named,
    demonym_pattern,
    demonyms,
    in_region,
    parse_places,
    places,
    region_cities,
)
from index.facts.vocabulary import COUNTRIES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beijing 302 Hospital", ["china"]),
        ("Air Force Military Medical University of People's Liberation Army", ["china"]),
        ("Peoples Liberation Army General Hospital", ["china"]),  # the apostrophe is optional
        ("First Affiliated Hospital of Xi’an Jiaotong University", ["china"]),
        ("Xian Jiaotong University", ["china"]),
        ("Sun Yat sen University", ["china"]),
        ("Royan Institute", ["iran"]),
        ("Seoul National University Hospital", ["korea, republic of"]),
        ("Asia Stem Cell Regenerative Pharmaceutical Co., Ltd.", []),
        ("Beijingxi Road Clinic", []),  # whole words only
        ("Tehran Heart Center, Beijing office", ["china", "iran"]),  # the table's order
    ],
)
def test_countries_a_sponsor_or_site_line_names(text: str, expected: list[str]) -> None:
    assert countries_named(text) == expected


def test_the_table_names_known_countries_and_demonyms() -> None:
    assert all(p.country in COUNTRIES for p in places() if p.kind != "demonym")
    assert demonyms()["chinese"] == "china" and demonyms()["american"] == "united states"


def test_a_city_lies_in_its_province() -> None:
    assert parse_places("place\tHaikou\tchina\tHainan")[0].region == "Hainan"
    assert in_region("Haikou", "hainan") and not in_region("Haikou", "Guangdong")
    assert region_cities("Hainan") == ["haikou"]


@pytest.mark.parametrize(
    "text",
    ["city\tBeijing\tchina", "place\tBeijing", "place\tAtlantis\tatlantis", "demonym\tMartian\tmars", "place\t\tchina"],
)
def test_a_malformed_row_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"places\.tsv line 1"):
        parse_places(text)


def test_a_question_names_a_country_by_its_people_before_what_trials_have_there() -> None:
    rx = re.compile(demonym_pattern(), re.I)
    assert [m.group(1) for m in rx.finditer("Chinese sites, Iranian trials and British centres?")] == [
        "Chinese",
        "Iranian",
        "British",
    ]
    assert rx.search("Chinese herbal medicine") is None
