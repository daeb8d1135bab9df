"""Child-Pugh score ranges read from criterion lines."""

import pytest

from index.facts.scores import accepted_range, stated_range


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Child-Pugh score of 8-12", (8.0, 12.0)),
        ("CTP score 7 to 9 points", (7.0, 9.0)),
        ("Child Pugh score ≥ 10", (10.0, 15.0)),
        ("Child-Pugh >= 6 and MELD 15-30", (6.0, 15.0)),  # the MELD range is not the score's
        ("Child-Turcotte-Pugh score < 9", (5.0, 8.0)),
        ("Child–Pugh score at most 7", (5.0, 7.0)),
        ("decompensation, Child-Pugh class C", (10.0, 15.0)),
        ("grade A or B (Child-Pugh)", (5.0, 9.0)),
        ("Child-Pugh B-C", (7.0, 15.0)),
        ("aged 18-70 years, Child-Pugh A", (5.0, 6.0)),  # the ages are not the score
        ("Child-Pugh score", None),
        ("Child-Pugh score 20-30", None),  # not a Child-Pugh score
    ],
)
def test_a_criterion_line_states_a_range(line: str, expected: tuple[float, float] | None) -> None:
    assert stated_range(line) == expected


def test_inclusion_ranges_meet_and_exclusions_cut_an_end() -> None:
    assert accepted_range(["Child-Pugh class B or C", "Child-Pugh score ≥ 8"], []) == (8.0, 15.0)
    assert accepted_range(["Child-Pugh B or C"], ["Child-Pugh score > 12"]) == (7.0, 12.0)
    assert accepted_range([], ["Child-Pugh class A"]) == (7.0, 15.0)
    assert accepted_range(["no score here"], []) is None
