"""A ClinicalTrials.gov record into a Trial: identity checks, facts and warnings."""

from __future__ import annotations

from typing import Any

import pytest

from index.corpus.readers.ctgov.trial import build_trial, collect, design_fact
from index.errors import CorpusError
from index.model import Age, Trial


def trial(flat_accessor: Any, layout: dict[str, str], doc: dict[str, Any], source: str = "x.json") -> Trial:
    return build_trial(flat_accessor(doc), layout, source, "flat", single=True)


def test_facts(flat_accessor: Any, layout: dict[str, str]) -> None:
    t = trial(
        flat_accessor,
        layout,
        {
            "nct_id": "NCT01234567",
            "official_title": "Official",
            "conditions": [" Cirrhosis ", " "],
            "interventions": [{"iv_type": "DRUG", "iv_name": "X"}, {"iv_type": "DRUG"}],
            "enrollment": 240,
            "sex": "FEMALE",
            "min_age": "18 Years",
            "study_design": "Allocation: Randomized, Intervention Model: Parallel Assignment, Masking: Double Blind",
            "status": "COMPLETED",
            "phases": ["PHASE3", "PHASE2"],
            "locations": [{"facility": "H", "city": "C", "country": "K"}, {"state": "only a state"}],
            "last_update": "2024-01-05",
        },
    )
    assert (t.nct_id, t.title, t.format, t.status, t.phases) == (
        "NCT01234567",
        "Official",
        "flat",
        "Completed",
        ("Phase 2", "Phase 3"),
    )
    assert (t.conditions, t.interventions, t.enrollment, t.sex) == (("Cirrhosis",), ("Drug: X",), 240, "Female")
    assert (t.min_age, t.max_age) == (Age(18.0, "years"), None)
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "Double", "Parallel")
    assert (t.locations, t.last_update, t.warnings) == (("H, C, K",), "2024-01-05", ())


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ({}, "no NCT ID in record"),
        ({"nct_id": "  "}, "no NCT ID in record"),
        ({"nct_id": "NCT123"}, "NCT ID 'NCT123' is not of the form NCT########"),
        (
            {"nct_id": "NCT01234567", "brief_title": "A study of...", "official_title": "A long…"},
            "record NCT01234567 is cut short: placeholder '...' values (brief_title, official_title) "
            "and no overall status",
        ),
    ],
)
def test_unusable_records(flat_accessor: Any, layout: dict[str, str], doc: dict[str, Any], reason: str) -> None:
    with pytest.raises(CorpusError) as err:
        trial(flat_accessor, layout, doc)
    assert (err.value.source, err.value.reason) == ("x.json", reason)


def test_warnings_and_enrollment_strings(flat_accessor: Any, layout: dict[str, str]) -> None:
    doc = {"nct_id": "NCT01234567", "aliases": ["NCT07654321"], "enrollment": "1" * 5000}
    t = trial(flat_accessor, layout, doc, source="d/NCT07654321.json")
    assert t.title == "" and t.enrollment is None  # too long a number to be a count
    assert t.warnings == (
        "record NCT01234567 has no title",
        "file name NCT07654321 does not match record NCT01234567 (NCT07654321 is listed as an alias of it)",
    )
    cut = trial(flat_accessor, layout, {"nct_id": "NCT01234567", "brief_title": "T...", "status": "Recruiting"})
    assert cut.title == "T..."  # a status says the record is whole


def test_design_fact() -> None:
    design = "Allocation: Non-Randomized, Masking: None (Open Label)"
    assert design_fact(design, "Allocation") == "Non-Randomized"
    assert design_fact(design, "Masking") == "None"
    assert design_fact(design, "Intervention Model") is None
    assert design_fact(None, "Masking") is None


def test_collect_skips_bad_records_of_many_and_rejects_a_lone_bad_one(
    flat_accessor: Any, layout: dict[str, str]
) -> None:
    def make(record: Any, ptr: str, single: bool) -> Trial:
        return build_trial(flat_accessor(record), layout, "p.json", "flat", single)

    good, bad = {"nct_id": "NCT01234567", "brief_title": "T"}, {"nct_id": "bad"}
    (t,) = collect("p.json", [(bad, "/0"), (good, "/1")], make)
    assert t.warnings == ("skipped record 1 of 2: NCT ID 'bad' is not of the form NCT########",)
    with pytest.raises(CorpusError, match=r"^p\.json: NCT ID 'bad' is not of the form NCT########$"):
        collect("p.json", [(bad, "")], make)
    with pytest.raises(CorpusError, match=r"^p\.json: none of the 2 records is usable \(skipped record 1 of 2: "):
        collect("p.json", [(bad, "/0"), ({}, "/1")], make)
