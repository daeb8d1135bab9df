"""Every format's values onto one vocabulary: status, phase, masking, allocation, sex, enums."""

from __future__ import annotations

import pytest

from index.corpus.readers.normalize import (
    STATUSES,
    file_id_warning,
    norm_allocation,
    norm_enum,
    norm_masking,
    norm_phase,
    norm_phases,
    norm_sex,
    norm_status,
    parse_age,
    parse_int,
)
from index.model import Age


def test_statuses_listed_once_in_display_form() -> None:
    assert STATUSES == (
        "Recruiting",
        "Not yet recruiting",
        "Active, not recruiting",
        "Enrolling by invitation",
        "Completed",
        "Terminated",
        "Withdrawn",
        "Suspended",
        "Unknown",
        "Available",
        "No longer available",
        "Temporarily not available",
        "Approved for marketing",
        "Withheld",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("RECRUITING", "Recruiting"),
        ("NOT_YET_RECRUITING", "Not yet recruiting"),
        ("  Active, not recruiting ", "Active, not recruiting"),
        ("ACTIVE_NOT_RECRUITING", "Active, not recruiting"),
        ("Unknown status", "Unknown"),
        ("APPROVED_FOR_MARKETING", "Approved for marketing"),
        ("Paused for lunch", "Paused for lunch"),  # unknown values pass through, stripped
        ("  ", None),
        (None, None),
    ],
)
def test_norm_status(value: str | None, expected: str | None) -> None:
    assert norm_status(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Phase 2", "Phase 2"),
        ("PHASE2", "Phase 2"),
        ("phase_3", "Phase 3"),
        ("EARLY_PHASE1", "Early Phase 1"),
        ("N/A", "Not Applicable"),
        ("NA", "Not Applicable"),
        ("not applicable", "Not Applicable"),
        ("Phase 5", None),
        ("Recruiting", None),
        ("", None),
    ],
)
def test_norm_phase(value: str, expected: str | None) -> None:
    assert norm_phase(value) == expected


def test_norm_phases_splits_sorts_and_drops_repeats() -> None:
    assert norm_phases(["Phase 2/Phase 3", "PHASE1", "Phase 2"]) == ("Phase 1", "Phase 2", "Phase 3")
    assert norm_phases(["N/A"]) == ("Not Applicable",)
    assert norm_phases(("EARLY_PHASE1", "PHASE4", "nonsense")) == ("Early Phase 1", "Phase 4")
    assert norm_phases([]) == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("NONE", "None (Open Label)"),
        ("None (Open Label)", "None (Open Label)"),
        ("open-label", "None (Open Label)"),
        ("SINGLE", "Single"),
        ("Double (Participant, Investigator)", "Double"),
        ("Triple", "Triple"),
        ("QUADRUPLE", "Quadruple"),
        (" Blinded ", "Blinded"),
        ("", None),
        (None, None),
    ],
)
def test_norm_masking(value: str | None, expected: str | None) -> None:
    assert norm_masking(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("RANDOMIZED", "Randomized"),
        ("Randomised", "Randomized"),
        ("NON_RANDOMIZED", "Non-Randomized"),
        ("Non-Randomized", "Non-Randomized"),
        ("NA", "N/A"),
        ("Other ", "Other"),
        (" ", None),
    ],
)
def test_norm_allocation(value: str, expected: str | None) -> None:
    assert norm_allocation(value) == expected


def test_norm_sex_and_enum() -> None:
    assert [norm_sex(v) for v in ("ALL", "Both", "female", " MALE ", "Other", "", None)] == [
        "All",
        "All",
        "Female",
        "Male",
        "Other",
        None,
        None,
    ]
    assert [norm_enum(v) for v in ("PARALLEL", "Parallel Assignment", "SINGLE_GROUP", "INTERVENTIONAL", "na")] == [
        "Parallel",
        "Parallel",
        "Single group",
        "Interventional",
        "N/A",
    ]
    assert norm_enum("  ") is None


def test_parse_age_and_int() -> None:
    assert parse_age("18 Years") == Age(18.0, "years")
    assert parse_age("6 Months") == Age(6.0, "months")
    assert parse_age("18") == Age(18.0, "years")
    assert parse_age("1.5 weeks") == Age(1.5, "weeks")
    assert [parse_age(v) for v in ("N/A", "", None, "3 fortnights")] == [None, None, None, None]
    assert [parse_int(v) for v in (240, "1,200 participants", "about 30", True, None, 2.5, "none")] == [
        240,
        1200,
        30,
        None,
        None,
        None,
        None,
    ]


def test_file_id_warning() -> None:
    assert file_id_warning("data/NCT01234567.json", "NCT01234567") is None
    assert file_id_warning("data/notes.json", "NCT01234567") is None
    assert (
        file_id_warning("a/nct07654321.json", "NCT01234567")
        == "file name NCT07654321 does not match record NCT01234567"
    )
    assert file_id_warning("a\\NCT07654321.xml", "NCT01234567", ["NCT07654321"]) == (
        "file name NCT07654321 does not match record NCT01234567 (NCT07654321 is listed as an alias of it)"
    )
