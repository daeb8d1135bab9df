"""Trimmed sections and eligibility text split at its inclusion / exclusion headings."""

from __future__ import annotations

from index.corpus.readers.sections import eligibility_sections, section, trimmed
from index.model import Section

CRITERIA = "Must be adult.\n\nInclusion Criteria:\n\n* age 18-65\n\nKey exclusion criteria\n* pregnancy\n"


def test_trimmed_and_section() -> None:
    assert trimmed("  ab c \n", 0, 8) == (2, 6)
    assert trimmed("   ", 0, 3) == (3, 3)
    assert section("summary", "Brief Summary", "  text here \n", field="/x") == Section(
        "summary", "Brief Summary", "text here", 2, 11, "/x"
    )
    assert section("summary", "Brief Summary", " \n ") is None


def test_eligibility_is_split_at_its_headings() -> None:
    secs = eligibility_sections(CRITERIA, "/criteria")
    assert secs == [
        Section("eligibility", "Eligibility Criteria", "Must be adult.", 0, 14, "/criteria"),
        Section("eligibility_inclusion", "Inclusion Criteria", "* age 18-65", 37, 48, "/criteria"),
        Section("eligibility_exclusion", "Key exclusion criteria", "* pregnancy", 73, 84, "/criteria"),
    ]
    assert all(CRITERIA[s.start : s.end] == s.text for s in secs)


def test_eligibility_without_headings_and_with_a_base_offset() -> None:
    assert eligibility_sections("  adults only ", None, base=100) == [
        Section("eligibility", "Eligibility Criteria", "adults only", 102, 113, None)
    ]
    shifted = eligibility_sections(CRITERIA, None, base=10)
    assert [(s.start, s.end) for s in shifted] == [(10, 24), (47, 58), (83, 94)]
    assert eligibility_sections("Inclusion Criteria:\n\n", None) == []
