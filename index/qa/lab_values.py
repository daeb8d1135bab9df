"""A described patient's measured values ("INR 1.3", "bilirubin 3.2", "ALP 2.5x normal") and the
thresholds criteria lines set on them ("INR>2", "ALT > 3 times normal", "PT prolongation is
greater than 3 seconds"): an exclusion line whose threshold the patient's value does not reach
does not rule the patient out. A value and a threshold in different scales (a multiple of normal
against a plain number) are not compared: the line stands."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text.vocabulary import vocabulary

_NUMBER = r"(\d+(?:\.\d+)?)\s*(x\b|×|times\b|-fold\b|fold\b)?"
# A value right after what it measures: "INR 1.3", "bilirubin of 3.2", "ALP: 2.5x normal", "INR=1.3".
_VALUE = re.compile(r"\s*(?:of|is|was|at|now|=|:|~|around|about|approx\.?)?\s*" + _NUMBER, re.I)
_ABOVE = r">=?|≥|greater\s+than|more\s+than|above|over|exceed(?:s|ing)?|higher\s+than|in\s+excess\s+of"
_BELOW = r"<=?|≤|less\s+than|lower\s+than|below|under"
# A threshold a few words after what it bounds: "INR>2", "PT prolongation is greater than 3 seconds".
_THRESHOLD = re.compile(r"\W*(?:[\w-]+\s+){0,3}?(?:(" + _ABOVE + r")|(" + _BELOW + r"))\s*" + _NUMBER, re.I)


@dataclass(frozen=True)
class Value:
    number: float
    relative: bool  # a multiple of normal ("2.5x normal")


def measured(text: str) -> dict[int, Value]:
    """The vocabulary groups a description gives a value for, with the value."""
    out: dict[int, Value] = {}
    for m in vocabulary().find(text):
        v = _VALUE.match(text, m.end)
        if not m.term.lay and v and m.term.group not in out:
            out[m.term.group] = Value(float(v.group(1)), bool(v.group(2)))
    return out


def below_threshold(line: str, group: int, value: Value) -> bool:
    """Whether ``value`` falls short of the threshold ``line`` sets on ``group`` ("INR 1.3" and
    "INR>2"); False when the line sets none on it, or in another scale."""
    for m in vocabulary().find(line):
        if m.term.group != group:
            continue
        t = _THRESHOLD.match(line, m.end)
        if t is None or bool(t.group(4)) != value.relative:
            continue
        bound = float(t.group(3))
        return value.number <= bound if t.group(1) else value.number >= bound
    return False
