"""A constraint on one trial fact (``age > 65``, ``status: Recruiting``) and how an answer
states it. `index.facts.constraints` reads them from questions and filters; `index.facts.check`
decides them against a trial's facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

# What a constraint is on: one fact each (`index.facts.check` has one check per key).
ConstraintKey = Literal[
    "age",
    "max_age",
    "min_age",
    "enrollment",
    "sex",
    "status",
    "phase",
    "allocation",
    "masking",
    "model",
    "study_type",
    "placebo",
    "control",
    "country",
    "city",
    "route",
    "source",
    "condition",
    "child_pugh",
    "follow_up",
    "dose_count",
]


@dataclass(frozen=True)
class Constraint:
    key: ConstraintKey
    op: str  # ">", ">=", "<", "<=", "=", "in", "has", "not"
    value: Any
    label: str  # how the answer states it: "age > 65"
    span: tuple[int, int] = (0, 0)  # where it was found in the question


def _label(key: ConstraintKey, op: str, value: Any) -> str:
    if isinstance(value, (tuple, frozenset, set, list)):
        order = ["None (Open Label)", "Single", "Double", "Triple", "Quadruple"]
        items = sorted((str(v) for v in value), key=lambda v: (order.index(v) if v in order else 9, v))
        value = " or ".join(items) if key != "phase" else " and ".join(items)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif value is True:
        value = "yes"
    elif value is False:
        value = "no"
    name = _LABEL_NAMES.get(key, key)
    if op in {"=", "in", "has"}:
        return f"{name}: {value}"
    if op == "~":
        return f"{name}: about {value}"
    return f"{name} {op} {value}"


# How a label names a key where the key itself reads badly.
_LABEL_NAMES: dict[str, str] = {
    "max_age": "maximum age",
    "min_age": "minimum age",
    "model": "design",
    "control": "control arm",
    "child_pugh": "Child-Pugh score",
    "follow_up": "follow-up",
    "dose_count": "number of doses",
}


def make(
    key: ConstraintKey, op: str, value: Any, span: tuple[int, int] = (0, 0), shown: str | None = None
) -> Constraint:
    """``shown``: the value as the answer states it, where the value itself reads badly (a
    follow-up in days is stated as the question wrote it: "follow-up > 1 yr")."""
    return Constraint(key, op, value, _label(key, op, shown if shown is not None else value), span)


def dedupe(cs: list[Constraint]) -> list[Constraint]:
    """The constraints in the order they were read, each (key, op, value) once."""
    out: list[Constraint] = []
    for c in sorted(cs, key=lambda c: c.span):
        if all((c.key, c.op, c.value) != (o.key, o.op, o.value) for o in out):
            out.append(c)
    return out
