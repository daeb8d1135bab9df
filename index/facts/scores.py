"""Child-Pugh scores in eligibility criteria: the range of scores a trial accepts, read from the
criterion lines that state it ("Child-Pugh score 9-15", "Child-Pugh score ≥7", "grade B or C
(Child-Pugh score)"; an exclusion "Child-Pugh score > 12" caps it), so "a patient with a CTP
score of 8" is matched by number.

The score runs from 5 to 15; classes A, B and C are 5-6, 7-9 and 10-15."""

from __future__ import annotations

import re

LOWEST, HIGHEST = 5.0, 15.0
CLASSES = {"a": (5.0, 6.0), "b": (7.0, 9.0), "c": (10.0, 15.0)}
Range = tuple[float, float]

NAME = r"(?:child[\s–-]*(?:turcotte[\s–-]*)?pugh(?:[\s–-]*turcotte)?|CTP)"
MENTION = re.compile(r"\b" + NAME + r"\b", re.I)
# A question about trials whose criteria bound the score ("Child-Pugh cutoff", "CTP criteria").
QUESTION_CUTOFF = (
    r"\b"
    + NAME
    + r"(?:[\s–-]*(?:score|class|grade))?[\s–-]*(?:cut-?offs?|thresholds?|limits?|criteri(?:on|a)|requirements?"
    r"|ranges?|restrictions?|bounds?)\b"
)
# A score a question names ("CTP score 8", "Child-Pugh 7 points", "a Child-Pugh score of 9 or
# more", "a score of 10 on the Child-Pugh"): groups n (or n2), and pre or post for a bound.
# In a question also "CP" in capitals ("CP score 8"), and a class before the score ("Child-Pugh B
# with a score of 8", "CP C (11)").
# "Child B" alone is the class as clinicians name it.
_NAME_Q = r"(?:" + NAME + r"|(?-i:CP)|child(?=[\s–-]*[abc]\b))"
_CLASS_FIRST = (  # also "class B patients scoring 7 or 8"
    r"(?:[\s–-]*(?:class\s+)?[abc](?:\s*\(\s*|\s*,?\s+(?:with\s+a\s+)?score\s+(?:of\s+)?|\s+(?:patients?\s+|pts\s+)?"
    r"(?:scoring|who\s+score)\s+|\s+|)(?=\d))?"
)
QUESTION_SCORE = (
    r"\b" + _NAME_Q + r"(?:[\s–-]*(?:score|points?|class|grade))?" + _CLASS_FIRST + r"(?:\s+(?:of|=|is|at))?\s*[:=]?\s*"
    r"(?P<pre>(?:at\s+least|at\s+most|≥|>=|≤|<=|more\s+than|less\s+than|above|below|over|under)\s*)?(?P<n>\d{1,2})\b"
    r"(?![.,]\d)(?!\s*(?:[-–]|to)\s*\d)(?:\s*points?)?(?P<post>\s+or\s+(?:more|higher|above|greater|less|lower|below))?"
    r"(?(post)|(?:\s+or\s+\d{1,2}\b(?![.,]\d))?)"  # "scoring 7 or 8": a score of the class, the first
    r"(?:\s*[(,]\s*(?:class|grade)\s+[abc]\s*\)?)?"  # "a Child Pugh of 8 (class B)": the class the score is in
    r"|\b(?:score|scores)\s+(?:of\s+)?(?P<n2>\d{1,2})\s+(?:on|in)\s+(?:the\s+)?" + _NAME_Q
)
# A class a question names ("Child-Pugh class A", "CP-B", "Child-Pugh grade b or c"): letters in
# capitals, or any case after "class"/"grade"; not a class before a score ("Child-Pugh B (8)").
QUESTION_CLASS = (
    r"\b" + _NAME_Q + r"(?:[\s–-]*(?:class(?:es)?|grades?|stages?)\s*(?P<c>[abc](?:\s*(?:or|and|/|-|–|to)\s*[abc])*)"
    r"|[\s–-]*(?-i:(?P<C>[ABC](?:\s*(?:or|and|/|-|–|to)\s*[ABC])*)))\b"
    r"(?!\s*(?:\(\s*\d|,?\s+(?:with\s+a\s+)?score\s+(?:of\s+)?\d|\d|(?:patients?\s+|pts\s+)?(?:scoring|who\s+score)\s+\d))"
)
_N = r"(\d{1,2}(?:\.\d)?)"
_RANGE = re.compile(_N + r"\s*(?:-|–|to)\s*" + _N)
_SIGN = re.compile(
    r"(≥|>=|=>|≤|<=|=<|>|<|(?:at\s+least|more\s+than|greater\s+than|above|over|less\s+than|below|under|at\s+most))\s*"
    + _N,
    re.I,
)
_CLASS = re.compile(
    r"\b(?:class(?:es)?|grades?|stages?|categor(?:y|ies))\s+([abc](?:\s*(?:,|or|and|/|-|to)\s*[abc])*)\b", re.I
)
_CLASS_AFTER = re.compile(r"\b" + NAME + r"[\s–-]*([abc](?:\s*(?:or|and|/|-)\s*[abc])*)\b", re.I)
_LOW = {
    "≥": ">=",
    ">=": ">=",
    "=>": ">=",
    "at least": ">=",
    ">": ">",
    "more than": ">",
    "greater than": ">",
    "above": ">",
    "over": ">",
}


def class_range(letters: str) -> Range:
    """The scores of the classes a text names ("B or C": 7-15; "A": 5-6)."""
    spans = [CLASSES[x] for x in re.findall(r"[abc]", letters.lower())]
    return min(s[0] for s in spans), max(s[1] for s in spans)


def stated_range(line: str) -> Range | None:
    """The scores a criterion line names ("9-15", "≥7", "class B or C"), or None when it names
    none it can read."""
    text = line.replace("\\", "")
    named = MENTION.search(text)
    after = text[named.end() :] if named else ""  # numbers after the name: not an age range before it
    if (m := _RANGE.search(after)) and LOWEST <= float(m.group(1)) <= float(m.group(2)) <= HIGHEST:
        return float(m.group(1)), float(m.group(2))
    if (m := _SIGN.search(after)) and LOWEST - 1 <= float(m.group(2)) <= HIGHEST + 1:
        sign, n = re.sub(r"\s+", " ", m.group(1).lower()), float(m.group(2))
        if sign in _LOW:
            return (n if _LOW[sign] == ">=" else n + 1, HIGHEST)
        return (LOWEST, n if sign in {"≤", "<=", "=<", "at most"} else n - 1)
    m = _CLASS.search(text) or _CLASS_AFTER.search(text)
    if m:
        letters = re.findall(r"[abc]", m.group(1).lower())
        if re.search(r"-|to", m.group(1)) and len(letters) == 2:  # "B-C": from the first class to the second
            return CLASSES[letters[0]][0], CLASSES[letters[1]][1]
        return class_range(m.group(1))
    return None


def accepted_range(inclusion: list[str], exclusion: list[str]) -> Range | None:
    """The scores a trial accepts: its inclusion lines' ranges, less what an exclusion line
    names at the top or bottom of the scale; None when no line states one."""
    lo, hi, stated = LOWEST, HIGHEST, False
    for line in inclusion:
        if r := stated_range(line):
            lo, hi, stated = max(lo, r[0]), min(hi, r[1]), True
    for line in exclusion:
        r = stated_range(line)
        if r is None:
            continue
        stated = True
        if r[1] >= HIGHEST:  # excludes the top of the scale: the accepted range ends below it
            hi = min(hi, r[0] - 1)
        elif r[0] <= LOWEST:
            lo = max(lo, r[1] + 1)
    return (lo, hi) if stated else None
