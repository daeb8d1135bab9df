"""Ages in fact questions: in years ("older than 65", "only patients under 70", "I'm 68",
"turns away anyone older than 60"), in months, weeks or days, and ages that a kind of patient
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
from index.facts.words import AT_MOST, BELOW, EVERYONE, OLDER, POP, SOMEONE, TURN_AWAY, UNITS
from index.text.numbers import DAYS

# A unit as written ("mos", "wks", "days") -> its name in `index.text.numbers.DAYS`.
_UNIT = {"d": "day", "w": "week", "m": "month", "y": "year"}
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
    return float(n) * DAYS[_UNIT[unit[0].lower()]] / DAYS["year"]


def _shown(n: str, unit: str) -> str:
    word = _UNIT[unit[0].lower()]
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


# A newborn as where cells come from, not who is treated: "cells from newborns' umbilical cords".
_TISSUE_AFTER = re.compile(r"^\W*(?:[\w']+\s+){0,2}?(?:umbilical|cords?|placenta\w*|birth\s+tissue)\b", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:an?\s+|the\s+)?$", re.I)


def newborns(m: re.Match[str]) -> Constraint | None:
    if _TISSUE_AFTER.match(m.string[m.end() :]) or _FROM_BEFORE.search(m.string[: m.start()]):
        return None
    return make("max_age", "<=", years("1", "month"), shown="1 month")


# Words before "over 1 year" that make it a length of time.
_LASTING = re.compile(
    r"\b(?:last(?:s|ed|ing)?|for|follow\w*|f/u|takes?|taking|runs?|running|continu\w*|stays?|keeps?|go(?:es)?\s+on)\s*$",
    re.I,
)


# Words before "below 50" that make it a size: "sample sizes below 50", "n under 30".
_A_SIZE = re.compile(r"\b(?:sample\s+sizes?|enrol+(?:ment)?s?|sizes?|n)\s*$", re.I)


# Ages in years, after those above: (pattern, builder) in the order they are tried.
_YEARS: list[tuple[str, Callable[[re.Match[str]], Constraint | None]]] = []


def _rule(
    pattern: str,
) -> Callable[[Callable[[re.Match[str]], Constraint | None]], Callable[[re.Match[str]], Constraint | None]]:
    def deco(fn: Callable[[re.Match[str]], Constraint | None]) -> Callable[[re.Match[str]], Constraint | None]:
        _YEARS.append((pattern, fn))
        return fn

    return deco


_SIGNS = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<=", "at least": ">=", "above": ">", "over": ">", "more than": ">"}
_SIGNS |= {"higher than": ">", "below": "<", "under": "<", "less than": "<", "lower than": "<", "at most": "<="}
_SIGNS |= {"up to": "<="}
# "is", "of at least", ">=": how a question compares an age limit with its number.
_LIMIT_SIGN = (
    r"(?:\s+(?:is|of|at|=))?(?:\s+(?:the\s+)?age(?:\s+of)?)?(?:\s*(?P<op>>=?|<=?|[≥≤]|=>|=<)|\s+(?P<words>(?:of\s+)?(?:at\s+least|above|over|more\s+than"
    r"|higher\s+than|below|under|less\s+than|lower\s+than|at\s+most|up\s+to)))?"
    r"\s*(?<![\w.])(\d{1,3})\b(?!\s*(?:[-–]|to)\s*\d)(?:\s*(?:years?|yrs?)(?:\s+old|\s+of\s+age)?)?"
    r"(?:\s+or\s+(?:(?P<less>lower|less|under|below|younger)|(?P<more>higher|more|over|above|older))\b)?"
)


def _limit_sign(m: re.Match[str]) -> str:
    words = " ".join((m.group("words") or "").lower().split()).removeprefix("of ")
    sign = m.group("op") or words or ("<=" if m.group("less") else ">=" if m.group("more") else "")
    return _SIGNS.get(sign, sign or "=")


@_rule(
    r"\b(?:lower\s+age\s+(?:limit|bound|cut-?off)|minimum\s+(?:entry\s+|enrol+ment\s+)?age|min\.?\s+age"
    r"|age\s+(?:minimum|floor)|youngest\s+(?:age|patients?|participants?)\s+(?:accepted|allowed|admitted))"
    + _LIMIT_SIGN
    + r"|\b(?:have|has|had|need|needs|needed|must)\s+(?:to\s+)?be\s+at\s+least\s+(\d{1,3})\b(?:\s*(?:years?|yrs?)"
    r"(?:\s+old|\s+of\s+age)?)?(?=\s+(?:to|before|in\s+order\s+to)\s+(?:join|enrol+|take\s+part|participate|sign\s+up"
    r"|get\s+in|be\s+(?:eligible|included|enrol+ed|accepted)))"
)
def _lower_limit(m: re.Match[str]) -> Constraint:
    """ "a minimum age of 18", "lower age limit > 18", "you have to be at least twenty to join":
    the youngest a patient may be."""
    if m.group(6):
        return make("min_age", "=", float(m.group(6)))
    return make("min_age", _limit_sign(m), float(m.group(3)))


@_rule(r"\b" + EVERYONE + r"\s+(?:(" + BELOW + r")|(" + AT_MOST + r"))\s+(\d{1,3})(?:\s*(?:years?|yrs?)(?:\s+old)?)?")
def _everyone_younger(m: re.Match[str]) -> Constraint:
    return make("max_age", "<" if m.group(1) else "<=", float(m.group(3)))


@_rule(
    r"\b" + EVERYONE + r"\s+(\d{1,3})\s*(?:years?|yrs?)?(?:\s+old)?\s+(?:or|and)\s+(?:under|younger|below|less|lower)\b"
)
def _everyone_n_or_under(m: re.Match[str]) -> Constraint:
    """ "all pts aged 65 or under", "only patients 60 or younger": the maximum age is at most N."""
    return make("max_age", "<=", float(m.group(1)))


@_rule(
    r"\b(?:upper\s+age\s+(?:limit|bound|cut-?off)|maximum\s+age|max(?:imum)?\.?\s+age|age\s+(?:limit|cap|ceiling)"
    r"|cap(?:s|ped)?\s+(?:the\s+)?(?:patients'?\s+|participants'?\s+|enrol+ment\s+|entry\s+)?age"
    r"|cap(?:s|ped)?\s+(?:the\s+)?(?:enrol+ment|entry|recruitment|inclusion|participation|eligibility)(?=\s+at\b))"
    + _LIMIT_SIGN
)
def _upper_limit(m: re.Match[str]) -> Constraint | None:
    """ "an upper age limit of 60", "maximum age 60"; "upper age limit >=70", "a maximum age of at least 70"."""
    if re.search(r"\b(?:lower|minimum|min)\W*$", m.string[: m.start()], re.I):
        return None  # "a lower age limit of 18": not the maximum
    return make("max_age", _limit_sign(m), float(m.group(3)))


@_rule(
    r"\b(?:" + TURN_AWAY + r")\s+(?:\w+\s+){0,3}?(?:(?:" + OLDER + r")\s+(\d{1,3})\b(?:\s*(?:years?|yrs?)(?:\s+old)?)?"
    r"|(?:aged\s+)?(\d{1,3})\s*(?:years?|yrs?)?(?:\s+old)?\s+(?:or|and)\s+(?:older|over|above|more)\b)"
)
def _turns_away_older(m: re.Match[str]) -> Constraint:
    """ "turns away anyone older than 60": every patient is 60 or younger; "aged 60 or more": below 60."""
    return make("max_age", "<=" if m.group(1) else "<", float(m.group(1) or m.group(2)))


@_rule(
    r"\b(?:won'?t|will\s+not|wouldn'?t|would\s+not|do(?:es)?\s*n[o']t)\s+(?:take|accept|enrol+|admit|let\s+in)\s+"
    r"(?:anyone|anybody|someone|people|patients|those|pts)\s+(?:"
    + BELOW
    + r")\s+(\d{1,3})\b(?:\s*(?:years?|yrs?)(?:\s+old)?)?"
)
def _turns_away_younger(m: re.Match[str]) -> Constraint:
    """ "won't take anyone under 20": the youngest a patient may be is at least 20."""
    return make("min_age", ">=", float(m.group(1)))


@_rule(  # also "people over 65", "the over-65s" (two digits: "patients over 100" is a size)
    r"\b(?:older than|over the age of|above the age of|aged over|aged above|age over|age above|ages? above)\s+"
    r"(\d{1,3})(?:\s*(?:years?|yrs?)(?:\s+old)?)?"
    r"|\b(?:" + POP[3:-1] + r"|adults|those|someone|anyone|men|women|pts|members|clients)\s+"
    r"(?:who\s+are\s+|aged\s+)?(?:over|above)\s+([1-9]\d)\b(?!\s*(?:%|[-–]\s*\d|" + UNITS + r"))"
    r"(?:\s*(?:years?|yrs?)(?:\s+old)?)?|\bover[\s-]([1-9]\d)s\b"
)
def _older(m: re.Match[str]) -> Constraint:
    return make("age", ">", float(next(g for g in m.groups() if g)))


@_rule(r"\baged\s*(>=?|≥|<=?|≤)\s*(\d{1,3})\b(?!\s*%)(?:\s*(?:years?|yrs?|y)\b(?:\s+old)?)?")
def _aged_sign(m: re.Match[str]) -> Constraint:
    """ "pts aged >70", "aged ≤ 16 y": someone that old (young) can join."""
    return make("age", _SIGNS.get(m.group(1), m.group(1)), float(m.group(2)))


@_rule(r"(?<![\w<>=])(>=?|≥)\s*([1-9]\d)\s*(?:years?|yrs?|y)\b(?:\s+old|\s+of\s+age)?")
def _sign_years(m: re.Match[str]) -> Constraint | None:
    """ "elderly (>65 yrs)", "pts ≥70 years": an age, unless the years are a duration ("follow-up >10 years")."""
    before = m.string[: m.start()]
    if re.search(r"\b(?:follow\w*|f/u|durat\w*|history|course|for|since|lasting|after|over)\W*$", before, re.I):
        return None
    return make("age", ">" if m.group(1) == ">" else ">=", float(m.group(2)))


@_rule(
    r"\b(?:aged?\s+)?(\d{1,3})\s*(?:years?|yrs?)?(?:\s+old)?\s+(?:or|and)\s+(?:older|over|above)\b"
    r"|\b(?:over|above)\s+(\d{1,3})\s*(?:years?|yrs?)\b|\b(\d{1,3})\s*\+\s*(?:years?|yrs?)\b"
)
def _at_least(m: re.Match[str]) -> Constraint | None:
    if _LASTING.search(m.string[: m.start()]):
        return None  # "trials that last over a year": a length of time, not an age
    n = next(g for g in m.groups() if g)
    return make("age", ">=", float(n))


@_rule(
    r"\b(?:younger than|under the age of|below the age of|aged under|aged below|age under|age below)\s+"
    r"(\d{1,3})(?:\s*(?:years?|yrs?)(?:\s+old)?)?|\b(?<!\b[Nn]\s)(?:under|below)\s+(\d{1,2})(?!\s*" + POP + r")\b"
    r"(?:\s*(?:years?|yrs?)(?:\s+old)?)?"
)
def _younger(m: re.Match[str]) -> Constraint | None:
    if _A_SIZE.search(m.string[: m.start()]):
        return None  # "sample sizes below 50": a size
    n = next(g for g in m.groups() if g)
    return make("age", "<", float(n))


@_rule(r"\b(?:children|paediatric|pediatric|kids|infants|adolescents|minors)\b")
def _children(m: re.Match[str]) -> Constraint:
    return make("age", "<", 18.0)


@_rule(r"\b(?:elderly|older adults|seniors|geriatric)\b")
def _elderly(m: re.Match[str]) -> Constraint:
    return make("age", ">", 65.0)


@_rule(
    r"\b(?:aged|age|age of|an? age of|(?:start(?:s|ing)?|begin(?:s|ning)?)\s+(?:at|from)(?:\s+age)?)\s+(\d{1,3})"
    r"(?!\s*(?:[-–]|to|or|and)\s*(?:\d|older|over|above|younger|under|more|less))\b(?!\s*(?:%|\+|" + UNITS + r"))"
    r"(?:\s*(?:years?|yrs?)(?:\s+old)?(?!\s*(?:or|and)\s+(?:older|over|above|younger|under)))?"
    r"|\b(\d{1,3})(?:[\s-]*(?:years?|yrs?)[\s-]*olds?\b|\s*(?:y/?o|y\.o\.?)(?![\w/]))"
    r"(?!\s*(?:or|and)\s+(?:older|over|above|younger|under))"
    r"|\b(?:"
    + SOMEONE
    + r")\s+(\d{1,3})\b(?!\s*(?:%|[-–]\s*\d|\+|"
    + UNITS
    + r"|or\s|and\s+(?:older|over|above|under)))"
    r"(?:\s*(?:years?|yrs?)(?:\s+old)?)?"
    # chart shorthand: "pt 62, HBV cirrhosis", "patient 58 F"
     + r"|\b(?:pt|patient|patients)\s+([1-9]\d)\b(?=\s*[,;:]|\s+(?:yo|y/o|yrs?|years?|[MF]|male|female)\b)"
    # "72F - which trials ...", "45M, alcoholic cirrhosis": age and sex as a chart writes them
    r"|(?<![\w.])([1-9]\d)\s?(?-i:[MF])\b(?=\s*(?:[,;:–—-]|with\b|w/))"
)
def _accepts_age(m: re.Match[str]) -> Constraint:
    """Someone of exactly this age can join: "can someone aged 68 join", "which take 66-year-olds"."""
    return make("age", "=", float(next(g for g in m.groups() if g)))


# In the order `index.facts.constraints` tries them: units below a year first, then years.
RULES: tuple[tuple[str, Callable[[re.Match[str]], Constraint | None]], ...] = (
    (EVERYONE_SMALL, everyone_small),
    (YOUNGER_SMALL, younger_small),
    (OLDER_SMALL, older_small),
    (ONLY_CHILDREN, only_children),
    (NEWBORNS, newborns),
    *_YEARS,
)
