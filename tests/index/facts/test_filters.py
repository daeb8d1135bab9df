"""Explicit filters: each key read to its constraint, and an unreadable one named."""

import pytest

from index.facts.filters import FILTER, explicit, parse_filters


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("status:recruiting", "status: Recruiting"),
        ("age>65", "age > 65"),
        ("enrollment>=100", "enrollment >= 100"),
        ("masking:double", "masking: Double or Triple or Quadruple"),
        ("model:single_group", "design: Single group"),
    ],
)
def test_a_filter_reads_to_its_constraint(text: str, label: str) -> None:
    m = FILTER.fullmatch(text)
    assert m is not None
    c = explicit(m)
    assert c is not None and c.label == label
    assert [x.label for x in parse_filters(text)] == [label]


def test_an_unreadable_filter_is_named() -> None:
    with pytest.raises(ValueError, match="cannot read filter 'age>old'"):
        parse_filters(["status:recruiting", "age>old"])
