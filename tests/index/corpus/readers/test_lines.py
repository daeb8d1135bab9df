"""Lines with their offsets, page blocks under headings, and age ranges in words."""

from __future__ import annotations

import re

import pytest

from index.corpus.readers.lines import (
    Line,
    before,
    block_section,
    blocks,
    enrollment_of,
    first_nct,
    parse_age_range,
    split,
)
from index.model import Section

TEXT = "Title  \r\n\n  Conditions\nCirrhosis\n  Fibrosis \n© 2024 Site\nafter"


def test_split_keeps_offsets_of_stripped_lines() -> None:
    lines = split(TEXT)
    assert lines == [
        Line("Title", 0, 5),
        Line("", 9, 9),
        Line("Conditions", 12, 22),
        Line("Cirrhosis", 23, 32),
        Line("Fibrosis", 35, 43),
        Line("© 2024 Site", 45, 56),
        Line("after", 57, 62),
    ]
    assert all(TEXT[ln.start : ln.end] == ln.text for ln in lines)
    assert [ln.blank for ln in lines[:2]] == [False, True]


def test_before_cuts_at_the_footer() -> None:
    lines = split(TEXT)
    assert [ln.text for ln in before(lines, re.compile("©"))] == ["Title", "", "Conditions", "Cirrhosis", "Fibrosis"]
    assert before(lines, re.compile("nothing")) == lines


def test_blocks_under_known_headings() -> None:
    lines = split("Intro\nConditions\nA\n\nSex\nAll\nSex\nB\n")
    assert [(h.text, [ln.text for ln in c]) for h, c in blocks(lines)] == [
        ("Conditions", ["A", ""]),
        ("Sex", ["All"]),
        ("Sex", ["B"]),
    ]
    # after_blank: a heading counts only after a blank line (or at the start)
    assert [(h.text, [ln.text for ln in c]) for h, c in blocks(lines, after_blank=True)] == [
        ("Sex", ["All", "Sex", "B"]),
    ]


def test_block_section_spans_first_to_last_non_blank_line() -> None:
    text = "Head\n\n  one\ntwo  \n\n"
    assert block_section("notes", "Head", text, split(text)[1:]) == Section("notes", "Head", "one\ntwo", 8, 15)
    assert block_section("notes", "Head", text, [Line("", 5, 5)]) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("18 to 65 years old", (18.0, 65.0)),
        ("Aged between 20 and 60", (20.0, 60.0)),
        ("18+ years old", (18.0, None)),
        ("65 years and older", (65.0, None)),
        ("Up to 65 years old", (None, 65.0)),
        ("6 to 18 months", (0.5, 1.5)),
        ("All ages", (None, None)),
    ],
)
def test_parse_age_range(value: str, expected: tuple[float | None, float | None]) -> None:
    assert parse_age_range(value) == expected


def test_enrollment_and_first_nct() -> None:
    assert enrollment_of("240 participants in 2 patient groups") == 240
    assert enrollment_of("unknown") is None
    assert first_nct("see NCT01234567 and NCT07654321") == "NCT01234567"
    assert first_nct("NCT0123") is None
