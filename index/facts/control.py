"""Which control a question asks for when it names a placebo as one of several: "a comparison
group that gets normal care or a placebo" asks for a control arm of either kind."""

from __future__ import annotations

import re

from index.facts.constraint import Constraint

# "normal care or a placebo": another kind of control on the other side of "or" (not a sham:
# "a placebo or sham infusion" is a placebo still)
_SHAM = r"(?:sham|dummy|fake|inactive|saline|mock|vehicle|placebos?)"
_OR_BEFORE = re.compile(r"\bor\s+(?:an?\s+|the\s+|with\s+)?$", re.I)
_SHAM_OR = re.compile(r"\b" + _SHAM + r"\s+or\s+(?:an?\s+|the\s+|with\s+)?$", re.I)
_OR_AFTER = re.compile(r"^\s*(?:,\s*)?or\s+(?!(?:an?\s+|the\s+)?" + _SHAM + r"\b)", re.I)


def one_kind_of_control(c: Constraint, found: list[Constraint], question: str) -> bool:
    """Whether a placebo is one of the things a control group the question asks for may get:
    "a comparison group that gets normal care or a placebo" asks for a control arm, either kind."""
    if c.key != "placebo" or c.value is not True or not any(o.key == "control" and o.value is True for o in found):
        return False
    before = question[: c.span[0]]
    return bool((_OR_BEFORE.search(before) and not _SHAM_OR.search(before)) or _OR_AFTER.match(question[c.span[1] :]))
