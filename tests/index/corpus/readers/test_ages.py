"""Age bounds in months, weeks or days (pediatric records) become fractions of a year in every reader."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from index.corpus.readers import ctgov_v2, ctgov_xml, medpath, studyfields, veeva
from index.corpus.readers.lines import parse_age_bounds
from index.model import Age, Trial
from tests.conftest import CORPUS

NCT = "NCT01234567"


def v2(low: str, high: str) -> Trial:
    doc = {
        "protocolSection": {
            "identificationModule": {"nctId": NCT, "briefTitle": "A Trial"},
            "statusModule": {"overallStatus": "RECRUITING"},
            "eligibilityModule": {"sex": "ALL", "minimumAge": low, "maximumAge": high},
        }
    }
    (t,) = ctgov_v2.parse(json.dumps(doc), "x.json")
    return t


def xml(low: str, high: str) -> Trial:
    record = (
        f"<clinical_study><id_info><nct_id>{NCT}</nct_id></id_info><brief_title>A Trial</brief_title>"
        f"<overall_status>Recruiting</overall_status><eligibility><gender>All</gender>"
        f"<minimum_age>{low}</minimum_age><maximum_age>{high}</maximum_age></eligibility></clinical_study>"
    )
    (t,) = ctgov_xml.parse(record, "x.xml")
    return t


def fields(low: str, high: str) -> Trial:
    doc = {"NCTId": [NCT], "BriefTitle": ["A Trial"], "OverallStatus": ["Recruiting"], "MinimumAge": [low]}
    doc["MaximumAge"] = [high]
    (t,) = studyfields.parse(json.dumps(doc), "x.json")
    return t


def veeva_page(ages: str) -> Trial:
    src = (CORPUS / "000_178c2bec843b439b.txt").read_text(encoding="utf-8")
    (t,) = veeva.parse(src.replace("18 to 65 years old", ages), "v.txt")
    return t


def medpath_page(line: str) -> Trial:
    src = (CORPUS / "003_f4fa15020fc67282.txt").read_text(encoding="utf-8")
    (t,) = medpath.parse(src.replace("Aged between 20 and 60 (male or female)", line), "m.txt")
    return t


@pytest.mark.parametrize("read", [v2, xml, fields], ids=["ctgov-v2", "ctgov-xml", "studyfields"])
def test_registry_records_give_ages_in_their_units_as_fractions_of_a_year(read: Callable[[str, str], Trial]) -> None:
    t = read("6 Months", "2 Weeks")
    assert (t.min_age, t.max_age) == (Age(6.0, "months"), Age(2.0, "weeks"))
    assert (t.min_age_years, t.max_age_years) == (0.5, 0.0383)
    t = read("28 Days", "N/A")
    assert (t.min_age_years, t.max_age_years) == (0.0767, None)


def test_ctgov_v2_v1_wrapper_spelling_of_months(shared_data: Path) -> None:
    (t,) = ctgov_v2.parse((shared_data / "ctgov-v2/NCT02028676.json").read_text("utf-8"), "s")
    assert (t.min_age_years, t.max_age_years) == (0.25, 17.0)


def test_real_pediatric_records_in_each_registry_format(shared_data: Path) -> None:
    (x,) = ctgov_xml.parse((shared_data / "ctgov-xml-aact/NCT02708238.xml").read_text("utf-8"), "s")
    assert (x.min_age_years, x.max_age_years) == (None, 0.3333)  # N/A to 4 Months
    (w,) = ctgov_xml.parse((shared_data / "ctgov-xml-trec2023/NCT05381285.xml").read_text("utf-8"), "s")
    assert (w.min_age_years, w.max_age_years) == (0.0, 0.3066)  # 0 Weeks to 16 Weeks
    path = shared_data / "ctgov-msc-studyfields/NCT02890953.json"
    (s,) = studyfields.parse(path.read_text("utf-8"), str(path))
    assert (s.min_age, s.max_age, s.max_age_years) == (None, Age(28.0, "days"), 0.0767)
    path = shared_data / "ctgov-msc-studyfields/NCT01297205.json"
    (s,) = studyfields.parse(path.read_text("utf-8"), str(path))
    assert (s.min_age_years, s.max_age_years) == (0.0137, 0.0383)  # 5 Days to 14 Days


@pytest.mark.parametrize(
    ("ages", "expected"),
    [
        ("6 months to 17 years old", (0.5, 17.0)),
        ("28 days and older", (0.0767, None)),
        ("Up to 2 weeks old", (None, 0.0383)),
        ("6 to 18 months old", (0.5, 1.5)),
        ("18 to 65 years old", (18.0, 65.0)),
    ],
)
def test_veeva_ages_block_in_months_weeks_or_days(ages: str, expected: tuple[float | None, float | None]) -> None:
    t = veeva_page(ages)
    assert (t.min_age_years, t.max_age_years) == expected


def test_veeva_keeps_each_bound_in_its_own_unit() -> None:
    t = veeva_page("6 months to 17 years old")
    assert (t.min_age, t.max_age) == (Age(6.0, "months"), Age(17.0, "years"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Aged 6 months to 17 years (male or female)", (0.5, 17.0)),
        ("Aged 28 days and older", (0.0767, None)),
        ("Aged between 2 weeks and 6 months", (0.0383, 0.5)),
        ("Aged between 20 and 60 (male or female)", (20.0, 60.0)),
    ],
)
def test_medpath_inclusion_age_line_in_months_weeks_or_days(
    line: str, expected: tuple[float | None, float | None]
) -> None:
    t = medpath_page(line)
    assert (t.min_age_years, t.max_age_years) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6 months to 17 years old", (Age(6.0, "months"), Age(17.0, "years"))),
        ("6 to 18 months", (Age(6.0, "months"), Age(18.0, "months"))),
        ("2 Weeks to 6 Months", (Age(2.0, "weeks"), Age(6.0, "months"))),
        ("28 days and older", (Age(28.0, "days"), None)),
        ("Up to 28 days old", (None, Age(28.0, "days"))),
        ("Aged between 20 and 60", (Age(20.0, "years"), Age(60.0, "years"))),
        ("All ages", (None, None)),
    ],
)
def test_parse_age_bounds_keeps_each_unit(value: str, expected: tuple[Age | None, Age | None]) -> None:
    assert parse_age_bounds(value) == expected
