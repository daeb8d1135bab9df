"""index.facts.constraint: a constraint and how an answer states it."""

from __future__ import annotations

from index.facts.constraint import make


def test_labels_say_what_was_understood() -> None:
    assert make("age", ">", 65.0).label == "age > 65"
    assert make("max_age", "<", 70).label == "maximum age < 70"
    assert make("status", "=", "Recruiting").label == "status: Recruiting"
    assert make("masking", "in", frozenset({"Quadruple", "Double", "Triple"})).label == (
        "masking: Double or Triple or Quadruple"
    )
    assert make("phase", "has", ("Phase 2", "Phase 1")).label == "phase: Phase 1 and Phase 2"
    assert make("placebo", "=", True).label == "placebo: yes"
    assert make("age", ">", 65.0, (10, 22)).span == (10, 22)
