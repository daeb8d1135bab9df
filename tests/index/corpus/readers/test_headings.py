"""Page and note headings mapped to canonical section names."""

from __future__ import annotations

import pytest

from index.corpus.readers.headings import HEADING_NAMES, guess_name, heading_name
from index.model import SECTION_NAMES


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Status and phase", "status"),
        ("  Inclusion   criteria: ", "eligibility_inclusion"),
        ("Arm && Interventions", "arms"),
        ("240 participants in 2 patient groups", "arms"),
        ("1 participant in 1 group", "arms"),
        ("Registration Number", "identifiers"),
        ("Target Recruitment", "enrollment"),
        ("Ages", "eligibility_summary"),
        ("Secondary Outcome Measures", "outcomes_secondary"),
        ("Trial Locations", "locations"),
        ("Hepatic artery infusion", None),
        (":", None),
        ("", None),
    ],
)
def test_heading_name(line: str, name: str | None) -> None:
    assert heading_name(line) == name


def test_every_heading_maps_to_a_section_name() -> None:
    assert set(HEADING_NAMES.values()) <= set(SECTION_NAMES)


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Eligibility", "eligibility"),
        ("Who is excluded (exclusion)", "eligibility_exclusion"),
        ("Key secondary outcomes", "outcomes_secondary"),
        ("Main endpoint", "outcomes_primary"),
        ("Dose schedule", "interventions"),
        ("Study sites", "locations"),
        ("Enrolment numbers", "enrollment"),
        ("My thoughts", "notes"),
    ],
)
def test_guess_name(heading: str, name: str) -> None:
    assert guess_name(heading) == name
