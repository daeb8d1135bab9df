"""MedPath pages: badges under the title, blocks under headings, run-together tables split."""

from __future__ import annotations

import pytest

from index.corpus.readers import medpath, read
from index.corpus.readers.medpath import split_row
from index.errors import CorpusError
from tests.conftest import CORPUS


def test_medpath_run_together_tables_are_split_into_cells() -> None:
    (t,) = read(CORPUS / "003_f4fa15020fc67282.txt")
    arms = [(s.heading, s.text) for s in t.sections if s.heading.startswith("Arm && Interventions")]
    assert arms == [
        ("Arm && Interventions: Group", "UC-MSC infusion"),
        ("Arm && Interventions: Intervention", "UC-MSC infusion"),
        (
            "Arm && Interventions: Description (UC-MSC infusion)",
            r"UC-MSC infusion by intravenus, 1\*10\^8 cells/dose, 2 doses (apart from 24weeks)",
        ),
    ]
    primary = [s.text for s in t.sections if s.heading == "Primary Outcome Measures"]
    assert primary == [
        "Ishak Inflammation Rating System",
        "Number of Participants with abnormal Total bilirubin",
        "Number of Participants with abnormal albumin",
        "Ishak Fibrosis Score",
    ]
    secondary = [s.text for s in t.sections if s.heading == "Secondary Outcome Measures"]
    assert "Overall survival (OS)" in secondary and "HBV-DNA" in secondary
    times = {s.text for s in t.sections if s.heading.startswith("Secondary Outcome Measures: Time")}
    assert times == {"Changes from baseline to 72 weeks"}
    assert t.locations == ("Haikou People's Hospital", "Haikou, China")
    assert t.interventions == ("UC-MSC infusion",)


def test_a_medpath_page_variant_with_design_fields() -> None:
    from index.corpus.readers.medpath import parse

    src = (CORPUS / "003_f4fa15020fc67282.txt").read_text(encoding="utf-8")
    variant = src.replace(
        "Study Design\nSINGLE_GROUP\n", "Study Design\nPARALLEL\nAllocation\nRANDOMIZED\nMasking\nDOUBLE\n"
    ).replace("Not Applicable\nRecruiting", "Phase 2\nCompleted")
    (t,) = parse(variant, "variant.txt")
    assert (t.phases, t.allocation, t.masking, t.intervention_model) == (
        ("Phase 2",),
        "Randomized",
        "Double",
        "Parallel",
    )
    for s in t.sections:
        assert variant[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("row", "ncols", "cells"),
    [
        ("NameTimeMethod", 3, ["Name", "Time", "Method"]),
        (
            "Ishak Fibrosis ScoreChanges from baseline to 72 weeks",
            2,
            ["Ishak Fibrosis Score", "Changes from baseline to 72 weeks"],
        ),
        ("HBV-DNAChanges", 2, ["HBV-DNA", "Changes"]),
        ("UC-MSC infusionUC-MSC infusionby vein", 3, ["UC-MSC infusion", "UC-MSC infusion", "by vein"]),
        ("OnlyName", 4, ["Only", "Name", "", ""]),
        ("whole row", 1, ["whole row"]),
        ("no boundary here", 2, None),
    ],
)
def test_split_row(row: str, ncols: int, cells: list[str] | None) -> None:
    got = split_row(row, ncols)
    assert (None if got is None else [row[s:e] for s, e in got]) == cells


PAGE = """MedPath

A small trial

Phase 2
Recruiting

Registration Number
NCT01234567
Lead Sponsor
Sponsor Hospital
Conditions
Cirrhosis
Primary Outcome Measures
NameTimeMethod
MELD scoreChanges at 24 weeks
Trial Locations
Locations (1)
Haikou Hospital
© Copyright 2025
Conditions
ignored
"""


def test_a_small_page() -> None:
    (t,) = medpath.parse(PAGE, "p.txt")
    assert (t.nct_id, t.title, t.sponsor, t.status, t.phases, t.conditions, t.locations) == (
        "NCT01234567",
        "A small trial",
        "Sponsor Hospital",
        "Recruiting",
        ("Phase 2",),
        ("Cirrhosis",),
        ("Haikou Hospital",),
    )
    assert [(s.name, s.heading, s.text) for s in t.sections] == [
        ("title", "Title", "A small trial"),
        ("phase", "Phase", "Phase 2"),
        ("status", "Status", "Recruiting"),
        ("identifiers", "Registration Number", "NCT01234567"),
        ("sponsor", "Lead Sponsor", "Sponsor Hospital"),
        ("conditions", "Conditions", "Cirrhosis"),
        ("outcomes_primary", "Primary Outcome Measures", "MELD score"),
        ("outcomes_primary", "Primary Outcome Measures: Time (MELD score)", "Changes at 24 weeks"),
        ("locations", "Trial Locations", "Haikou Hospital"),
    ]
    assert all(PAGE[s.start : s.end] == s.text for s in t.sections)


def test_sniff_and_refusals() -> None:
    assert medpath.sniff(PAGE) and medpath.sniff("x\nRegistration Number\nLead Sponsor\n")
    assert not medpath.sniff("ClinicalTrials.Veeva\n")
    with pytest.raises(CorpusError, match=r"^p\.txt: MedPath page with no content$"):
        medpath.parse("\n© Copyright 2025\nafter the footer\n", "p.txt")
    with pytest.raises(CorpusError, match=r"^p\.txt: MedPath page with no title$"):
        medpath.parse("MedPath\n", "p.txt")
    with pytest.raises(CorpusError, match=r"^p\.txt: MedPath page without an NCT ID$"):
        medpath.parse(PAGE.replace("NCT01234567", "none"), "p.txt")
