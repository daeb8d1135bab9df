"""A trial's size asked as a magnitude or a range: "a sample size in the hundreds", "hundreds of
patients" (at least 100), "a sample size between 50 and 250", "enrols somewhere in the 50-250
range", "between 50 and 250 participants" (op "between", value (low, high), both included)."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.facts.constraint import Constraint, make
from index.facts.words import NOT_A_COUNT, POP

_SIZE_WORD = r"(?:sample\s+size|enrol(?:l)?(?:ment)?|recruitment|size|(?:number\s+of\s+)?" + POP[3:-1] + r")"

HUNDREDS = (
    r"\b" + _SIZE_WORD + r"(?:\s+(?:is|are|of|runs?|numbers?|counts?))?\s+in\s+the\s+(?P<mag>hundreds|thousands)\b"
    r"(?:\s*\(\s*(?:3|4|three|four)[\s-]+(?:digits?|figures?)\s*\))?"  # "(3 digits)": the same again
    r"|\b(?P<mag2>hundreds|thousands)\s+of\s+"
    + POP
    + r"|\b(?P<digits>triple|three|3|four|4)[\s-]+digits?\b(?:\s+(?:target\s+)?(?:enrol\w*|sample\s+size|size|n))?"
)
# A size word, a few words ("is", "somewhere in the"), and two numbers; or two numbers and a population.
RANGE = (
    r"\b(?:" + _SIZE_WORD + r"|enrol\w*|recruit\w*|includ\w*)(?:\s+(?:is|are|was|of|somewhere|anywhere|roughly))*\s+"
    r"(?:between\s+|from\s+|in\s+the\s+(?:range\s+(?:of\s+)?)?)?(?P<lo>\d{1,7})\s*(?:-|–|to|and)\s*(?P<hi>\d{1,7})\b"
    + NOT_A_COUNT
    + r"(?:\s+range\b)?(?:\s+"
    + POP
    + r")?"
    r"|\bbetween\s+(?P<lo2>\d{1,7})\s+and\s+(?P<hi2>\d{1,7})\s+" + POP
)


def in_the_hundreds(m: re.Match[str]) -> Constraint:
    """A size in the hundreds (thousands): at least 100 (1000)."""
    if m.group("digits"):  # "a triple-digit target enrolment": 100 to 999
        three = m.group("digits").lower() in ("triple", "three", "3")
        return make(
            "enrollment", "between", (100, 999) if three else (1000, 9999), shown="100-999" if three else "1000-9999"
        )
    word = (m.group("mag") or m.group("mag2")).lower()
    return make("enrollment", ">=", 100 if word == "hundreds" else 1000)


def size_range(m: re.Match[str]) -> Constraint | None:
    lo, hi = int(m.group("lo") or m.group("lo2")), int(m.group("hi") or m.group("hi2"))
    return make("enrollment", "between", (lo, hi), shown=f"{lo}-{hi}") if lo < hi else None


# "enrollment of 200 or more", "a sample size of 50 or fewer": a bound after the number, no population noun.
OR_MORE = (
    r"\b"
    + _SIZE_WORD
    + r"(?:\s+(?:is|of|target|goal))*\s+(?P<n>\d{1,7})\s+or\s+(?:(?P<more>more|greater|higher|larger|above|over)"
    r"|(?P<less>fewer|less|lower|smaller|below|under))\b"
)


def or_more(m: re.Match[str]) -> Constraint:
    return make("enrollment", ">=" if m.group("more") else "<=", int(m.group("n")))


RULES: tuple[tuple[str, Callable[[re.Match[str]], Constraint | None]], ...] = (
    (HUNDREDS, in_the_hundreds),
    (RANGE, size_range),
    (OR_MORE, or_more),
)
