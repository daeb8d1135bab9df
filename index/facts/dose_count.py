"""How many times a trial gives its treatment, read from a sentence that states it plainly: a
count of doses ("2 doses (apart from 24weeks)", "three infusions"), times ("Three times of MSC
infusion", "injected twice"), the weeks of a schedule ("administered ... at week 0, 4, 8"), a
course ("once weekly for 4 weeks"), a single one ("a single injection") or repeated ones
("multiple infusions": two or more, the number unknown).

Conservative: a sentence that gives the treatment over a period without a count ("a dose of
MSC from day 0 through the week 12 study visit"), a daily or weekly drug with no end, a range
of counts ("1-2 doses") or a schedule of visits (a sentence about follow-up) states nothing.
`QUESTION_*` read the number of doses a question asks for ("more than once", "repeat
infusions (>1 dose)", "a multiple-dose regimen", "single infusion only", "3 infusions")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.facts.follow_up import ELSEWHERE, FOLLOW
from index.text.numbers import words_to_digits

_GIVEN = r"(?:doses?|infusions?|injections?|administrations?|transplantations?|transfusions?|transplants?|shots?)"
# A word about giving the treatment; a sentence without one states no count.
GIVING = re.compile(r"\b(?:infus|inject|administ|transplant|transfus|dos(?:e|es|ing)\b|giv|deliver)\w*", re.I)
_VISITS = re.compile(
    r"\b(?:visits?|evaluat|assess|measur|examin|test|follow|review|analy[sz]|drawn|draw|blood|check|sampl|collect)\w*",
    re.I,
)
# Not a count: a range's end ("1-2 doses", "once or twice"), a bound ("up to 3"), one of several
# ("the first 4 infusions", "one of 3 infusions").
_NOT_A_COUNT_BEFORE = (
    r"(?<![\w^×*./,–-])(?<!-\s)(?<!up\sto\s)(?<!at\smost\s)(?<!maximum\sof\s)(?<!first\s)(?<!least\s)(?<!by\s)(?<!one\sof\s)(?<!1\sof\s)"
    r"(?<!\sor\s)(?<!\sto\s)"
)
_COUNT = re.compile(
    _NOT_A_COUNT_BEFORE
    + r"(?P<n>\d{1,2})\s+"
    + r"(?:(?:separate|repeated|consecutive|intravenous|iv|i\.v\.|cell|msc|total|intrathecal)[\s-]+){0,2}"
    + _GIVEN
    + r"\b(?!\s*(?:levels?|groups?|cohorts?|escalat\w*|arms?)\b)",
    re.I,
)
_TIMES = re.compile(
    _NOT_A_COUNT_BEFORE + r"(?:(?P<n>\d{1,2})\s+times|(?P<w>once|twice|thrice))\b"
    r"(?![\s-]+(?:1\s|a\s|an\s|or\b|per\b|every\b|each\b|in\b|daily\b|weekly\b|monthly\b|nightly\b|the\b|higher\b|greater\b"
    r"|more\b|less\b|normal\b|uln\b|upper\b|over\b|above\b|below\b|or\b|to\b|-))",
    re.I,
)
_DAILY = re.compile(r"\b(?:daily|per\s+day|b\.?i\.?d|t\.?i\.?d|q\.?d|nightly)\b", re.I)
_WORD_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_SCHEDULE = re.compile(
    r"\b(?:at|on|in)\s+(?:weeks?|days?|months?)\s+(?P<list>\d{1,3}(?:\s*(?:,|and|&|,\s*and)\s*\d{1,3})+)\b"
    r"|\b(?:at|on)\s+(?P<list2>\d{1,3}(?:\s*(?:,|and|&|,\s*and)\s*\d{1,3})+)\s+(?:weeks|days|months)\b",
    re.I,
)
_COURSE = re.compile(
    r"\b(?:once\s+(?:1\s+|per\s+|every\s+1\s+)(?P<u>day|week|month)|(?:once\s+)?(?P<u2>dai|week|month)ly"
    r"|every\s+1\s+(?P<u3>day|week|month))\s+for\s+(?P<n>\d{1,2})\s+(?P<u4>day|week|month)s?\b",
    re.I,
)
# Up to two words between "single" / "repeated" and what is given, not "route(s) of" ("several
# routes of administration") nor a level or kind.
_FILLER = r"(?:(?!and\b|or\b|(?:routes?|sites?|levels?|types?|kinds?|ways?|modes?|methods?)\b)\w+[\s-]+){0,2}?"
_SINGLE = re.compile(
    r"\b(?:single|one-time|1-time|one-off|1-off|one-shot)[\s-]+" + _FILLER + _GIVEN + r"\b"
    r"(?!\s+(?:for\s+\d|daily|per\s+day|every|each)\b)",  # a daily drug: "as a single dose for 2 days"
    re.I,
)
_MULTIPLE = re.compile(
    r"\b(?:multiple|repeated|repeat|several|serial|sequential)[\s-]+" + _FILLER + _GIVEN + r"\b",
    re.I,
)


_MAYBE = re.compile(r"\b(?:possib\w*|option\w*|if|may|might|could|can)\b", re.I)  # "a possible repeat injection"


@dataclass(frozen=True)
class Count:
    """How many times: ``low`` to ``high`` (None: no upper bound, "multiple infusions")."""

    low: int
    high: int | None

    def holds(self, op: str, n: float | tuple[int, int]) -> bool:
        """Whether the count is ``op`` ``n`` (">" 1: more than once, "=" 3: three times, "in"
        (2, 3): two or three times)."""
        if isinstance(n, tuple):
            return self.high is not None and n[0] <= self.low and self.high <= n[1]
        if op == ">":
            return self.low > n
        if op == ">=":
            return self.low >= n
        if op == "<":
            return self.high is not None and self.high < n
        if op == "<=":
            return self.high is not None and self.high <= n
        return self.low == self.high == n


def stated_count(sentence: str) -> Count | None:
    """The number of times a sentence says the treatment is given, or None when it does not
    say it plainly (see the module doc)."""
    if not GIVING.search(sentence):  # cheap: number words never make a giving word
        return None
    text = words_to_digits(sentence)
    if ELSEWHERE.search(text):
        return None
    courses = _courses(text)
    if _DAILY.search(text) and not courses:
        return None  # a drug taken daily ("600 mg daily (2 doses of 300 mg)"): no count of doses
    found: list[Count] = list(courses)
    for m in _COUNT.finditer(text):
        found.append(Count(int(m.group("n")), int(m.group("n"))))
    for m in _TIMES.finditer(text):
        if not _near_given(text, m.start(), m.end()):
            continue
        n = int(m.group("n")) if m.group("n") else _WORD_TIMES[m.group("w").lower()]
        found.append(Count(n, n))
    if not FOLLOW.search(text):
        for m in _SCHEDULE.finditer(text):
            if _given_before(text, m.start()):
                n = len(re.findall(r"\d+", m.group("list") or m.group("list2")))
                found.append(Count(n, n))
    found += [Count(1, 1) for _ in _SINGLE.finditer(text)]
    found += [
        Count(2, None) for m in _MULTIPLE.finditer(text) if not _MAYBE.search(text, max(0, m.start() - 24), m.start())
    ]
    exact = {c for c in found if c.high is not None}
    if len(exact) > 1:
        return None  # two counts in one sentence ("2 doses ... 3 infusions"): unclear
    return next(iter(exact), found[0] if found else None)


def _courses(text: str) -> list[Count]:
    """Counts a course states ("once weekly for 4 weeks": 4), its interval's unit the same as its
    length's; none in a sentence about follow-up visits."""
    if FOLLOW.search(text):
        return []
    out = []
    for m in _COURSE.finditer(text):
        units = {(u or "")[:3].lower() for u in (m.group("u"), m.group("u2"), m.group("u3")) if u}
        if _given_before(text, m.start()) and units == {m.group("u4")[:3].lower()}:
            out.append(Count(int(m.group("n")), int(m.group("n"))))
    return out


def _given_before(text: str, at: int) -> bool:
    """A giving word before ``at`` with no word about visits after it ("administered ... at week
    0, 4, 8", not "infused, then evaluated at weeks 4, 12, 24")."""
    given = list(GIVING.finditer(text, 0, at))
    return bool(given) and not _VISITS.search(text, given[-1].end(), at)


def _near_given(text: str, start: int, end: int) -> bool:
    """ "3 times" about giving the treatment: a giving word within a few words of it."""
    return bool(GIVING.search(text, max(0, start - 40), min(len(text), end + 40)))


# also a lay "lot", "round" or "batch" of cells ("more than one lot of cells")
_Q_GIVEN = (
    r"(?:doses?|dosing|infusions?|injections?|administrations?|transplantations?|transfusions?|shots?|times"
    r"|(?:lots?|rounds?|batch(?:es)?)\s+of\s+(?:the\s+)?(?:stem\s+)?cells)"
)
# More than once: "more than once", "several times", "repeat infusions", "a multiple-dose regimen",
# ">1 dose", "2 or more infusions", "not just a single shot".
QUESTION_REPEATED = (
    r"\bmore\s+than\s+(?:once|(?:1|one)\s+(?:\w+[\s-]+)?" + _Q_GIVEN + r")\b"
    r"|>\s*1\s*(?:\w+[\s-]+)?" + _Q_GIVEN + r"\b"
    r"|\b(?:at\s+least\s+twice|2\s+or\s+more\s+(?:\w+[\s-]+)?" + _Q_GIVEN + r")\b"
    r"|\bnot\s+(?:just|only)\s+(?:once|(?:a|1|one)\s+(?:single\s+)?(?:\w+[\s-]+){0,2}" + _Q_GIVEN + r")\b"
    r"|\b(?:multiple|several|many|repeat(?:ed|s)?|numerous|serial)[\s-]+(?:(?:the|cell|msc|stem|cells?)[\s-]+){0,3}"
    + _Q_GIVEN
    + r"\b"
    # and the time they are spread over: "repeat dosing of the product over several months"
    r"(?:(?:\s+of\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?\s+(?:spread\s+)?(?:over|across)\s+"
    r"(?:several\s+|a\s+few\s+|many\s+|some\s+)?(?:weeks|months)(?:\s+or\s+(?:weeks|months))?\b)?"
)
# A count: "3 infusions", "2 doses of stem cells", "infuse the cells twice", "at least 3 doses",
# "a single infusion", "only once" (group n, or the words; op before it).
QUESTION_COUNT = (
    r"(?:\b(?P<op>at\s+least|more\s+than|fewer\s+than|less\s+than|up\s+to|at\s+most|no\s+more\s+than)\s+)?"
    r"(?:(?:(?<![\w^×*./,-])(?P<lo>\d{1,2})\s+(?:or|to)\s+)?(?<![\w^×*./,-])(?P<n>\d{1,2})\s+(?:(?:separate|repeated|cell|msc|stem\s+cell|iv)[\s-]+)?"
    r"(?:doses?|infusions?|injections?|administrations?|shots?|transplantations?|transfusions?)\b"
    r"|(?P<w>twice|thrice)\b|(?<![\w^×*./,-])(?P<nt>\d{1,2})\s+times\b(?!\s+(?:the|higher|greater|more|less|normal|uln))"
    r"|(?P<one>\b(?:single|one|one-time|1-time|one-off)[\s-]+(?:(?:cell|msc|stem|iv)[\s-]+){0,2}"
    r"(?:doses?|infusions?|injections?|administrations?|shots?|transplantations?|transfusions?)\b"
    r"|\b(?:only|just)\s+once\b|\bonce\s+only\b))"
)
# A question that gives something: a bare "twice" or "3 times" counts doses only with it.
QUESTION_GIVING = re.compile(
    r"\b(?:infus|inject|administ|transplant|transfus|dos|giv|gave|get|gets|got|receiv|shot|treat|deliver)\w*", re.I
)


def question_count(m: re.Match[str]) -> tuple[str, int | tuple[int, int]] | None:
    """The comparison and count a `QUESTION_COUNT` match asks for, or None ("3 times" in a
    question that gives nothing)."""
    if m.group("one"):
        return "=", 1
    n = int(m.group("n") or m.group("nt") or _WORD_TIMES.get((m.group("w") or "").lower(), 0))
    if not m.group("n") and not QUESTION_GIVING.search(m.string):
        return None
    op = " ".join((m.group("op") or "").lower().split())
    if m.group("lo") and not op and int(m.group("lo")) < n:
        return "in", (int(m.group("lo")), n)  # "2 or 3 infusions"
    return _QUESTION_OPS.get(op, "="), n


_QUESTION_OPS = {
    "at least": ">=",
    "more than": ">",
    "fewer than": "<",
    "less than": "<",
    "up to": "<=",
    "at most": "<=",
    "no more than": "<=",
}
