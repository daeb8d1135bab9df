"""Ages in fact questions written in months, weeks or days, and ages that a kind of patient
names: "babies younger than 1 month", "only children", "newborns".

An age in a question is in years unless a unit says otherwise; "under 6 months" is half a year,
not six ("children under 6 months" asks for trials whose minimum age is below 0.5). Records'
bounds are fractions of a year already (`min_age_years`, `max_age_years`), so both sides meet
in years. "Only children" asks for trials whose every patient is a child (the maximum age is
below 18); "newborns" for trials whose maximum age is at most a month.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.facts.constraint import Constraint, make
from index.facts.words import AT_MOST, BELOW, EVERYONE, OLDER, UNITS

# Days in one of each unit; a year is 365.25 days, as the readers count it.
_DAYS = {"d": 1.0, "w": 7.0, "m": 365.25 / 12, "y": 365.25}
SMALL_UNIT = r"(months?|mos?|weeks?|wks?|days?)\b(?:\s+old|\s+of\s+age)?"
_N = r"(\d{1,3}(?:\.\d+)?)(?![\d.])"
KIDS = r"(?:children|kids|minors|paediatric|pediatric|babies|infants|newborns|neonates)"

# "only patients / all babies younger than 1 month", "only kids under 12": the maximum age.
EVERYONE_SMALL = (
    r"\b(?:" + EVERYONE + r"|only\s+(?:(?:take|takes|accept|accepts|enrol+s?|recruits?|includes?|admits?)\s+)?"
    r"(?:the\s+)?"
    + KIDS
    + r")\s+(?:("
    + BELOW
    + r")|("
    + AT_MOST
    + r"))\s+"
    + _N
    + r"(?:\s*(years?|yrs?|months?|mos?|weeks?|wks?|days?)\b(?:\s+old|\s+of\s+age)?)?"
    r"(?!\s*(?:%|[-–]\s*\d|" + UNITS + r"))"
)
# "younger than 6 months", "infants under 28 days": someone that young can join.
YOUNGER_SMALL = (
    r"\b(?:younger\s+than|under\s+the\s+age\s+of|below\s+the\s+age\s+of|aged\s+(?:under|below)|age\s+(?:under|below)"
    r"|" + KIDS + r"\s+(?:" + BELOW + r"))\s+" + _N + r"\s*" + SMALL_UNIT
)
# "older than 6 months", "over the age of 28 days".
OLDER_SMALL = r"\b(?:" + OLDER + r")\s+" + _N + r"\s*" + SMALL_UNIT
# "only children", "paediatric-only", "exclusively for kids": every patient is a child.
ONLY_CHILDREN = (
    r"\b(?:only|exclusively|solely|just)\s+(?:(?:take|takes|accept|accepts|enrol+s?|recruits?|includes?|admits?|treats?"
    r"|for)\s+)?(?:children|kids|minors|paediatric|pediatric)\b(?!\s+(?:" + BELOW + r"|" + AT_MOST + r")\s+\d)"
    r"|\b(?:children|kids|minors|paediatric|pediatric)(?:\s+patients)?[\s-]+only\b"
)
# "newborns", "neonates", "in the first weeks of life": the first month of life.
_FIRST_WEEKS = r"(?:in\s+)?(?:their|the|its)\s+first\s+(?:few\s+)?(?:\d{1,2}\s+)?(?:days?|weeks?|month)\s+of\s+life\b"
NEWBORNS = (
    r"\b(?:newborns?|new-borns?|neonates?)\b(?!\s+(?:" + BELOW + r"|" + AT_MOST + r")\s+\d)"
    r"(?:\s+" + _FIRST_WEEKS + r")?"
    r"|\b" + _FIRST_WEEKS
)


def years(n: str, unit: str) -> float:
    """``n`` of ``unit`` ("6", "months") in years."""
    return float(n) * _DAYS[unit[0].lower()] / _DAYS["y"]


def _shown(n: str, unit: str) -> str:
    word = {"d": "day", "w": "week", "m": "month", "y": "year"}[unit[0].lower()]
    return f"{n} {word}" + ("" if float(n) == 1 else "s")


def everyone_small(m: re.Match[str]) -> Constraint:
    n, unit = m.group(3), m.group(4) or "years"
    shown = None if unit[0].lower() == "y" else _shown(n, unit)
    return make("max_age", "<" if m.group(1) else "<=", years(n, unit), shown=shown)


def younger_small(m: re.Match[str]) -> Constraint:
    return make("age", "<", years(m.group(1), m.group(2)), shown=_shown(m.group(1), m.group(2)))


def older_small(m: re.Match[str]) -> Constraint:
    return make("age", ">", years(m.group(1), m.group(2)), shown=_shown(m.group(1), m.group(2)))


def only_children(m: re.Match[str]) -> Constraint:
    return make("max_age", "<", 18.0)


def newborns(m: re.Match[str]) -> Constraint:
    return make("max_age", "<=", years("1", "month"), shown="1 month")


# In the order `index.facts.constraints` tries them, before the ages in years.
RULES: tuple[tuple[str, Callable[[re.Match[str]], Constraint]], ...] = (
    (EVERYONE_SMALL, everyone_small),
    (YOUNGER_SMALL, younger_small),
    (OLDER_SMALL, older_small),
    (ONLY_CHILDREN, only_children),
    (NEWBORNS, newborns),
)
