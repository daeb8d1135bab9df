"""Numbers and units written in the forms records and questions use, made comparable.

- `words_to_digits`: counts written as words ("two hundred", "twenty-four", "a hundred",
  "half a million", "half a year", "the first month") as digits ("200", "24", "100",
  "500000", "0.5 year", "1 month").
- `durations`: "6 months", "26 weeks", "24weeks", "half a year", "21 days" in days.
- `quantities`: large counts and cell doses in their written forms (5×10^6, 5x10E6, 1*10^8,
  1\\*10\\^8, 5.0×106 where a superscript was lost, 10^6/kg, 0.5-1.0×106, 5 million,
  5,000,000) as numbers; a range gives both ends.
- `canonical_tokens`: one token per duration ("d182") and quantity ("q5e6"), the same for
  every form of the same value, so a question's number matches a record's in another form.
- `normalize_question`: a question with its numbers rewritten as those tokens ("a year and a
  half" is 1.5 years); a duration it gives roughly ("about 18 months") as a rough token, which
  a record's duration within a tenth of it says (`rough_tokens`: 72 weeks).
- `comparator_words`: the words a comparison sign before a number says ("INR>2": "greater
  than"), so a question that writes them matches a record that writes the sign.
- `administration_tokens`: how many times a treatment is given ("2 doses", "Three times of
  MSC infusion", "twice", "at week 0, 4, 8") as one token per count ("x2", "x3") and "x2plus"
  for more than one; a question's "two doses", "more than one infusion", "several times" are
  rewritten to the same tokens (`normalize_question`).
- `amount_as_level`: how much of a thing a question says is in the blood asks the thing's level
  (of a virus, its viral load).
- `recency_tokens`: a time window before entry ("within 4 weeks before registration") says
  "recent"; a question's "2 weeks ago" is read as "recent".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUM_WORD = "|".join(sorted([*_UNITS, *_SCALES, "dozen"], key=len, reverse=True))
# A run of number words ("two hundred and fifty", "twenty-four"), optionally "a"/"half a"
# before a scale ("a hundred", "half a million").
_WORDS_RUN = re.compile(
    rf"(?:(?<![\w.])(?P<lead>\d+(?:\.\d+)?)\s+(?=(?:hundred|thousand|million|billion)\b))?"
    rf"\b(?:(?P<half>half\s+(?:an?\s+)?)|an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?"
    rf"(?P<run>(?:{_NUM_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUM_WORD}))*)\b",
    re.I,
)
_HALF_UNIT = re.compile(r"\bhalf\s+an?\s+(?=(?:year|month|week|day|hour)s?\b)", re.I)
# "a year and a half", "2 and a half years": the half added to the count (after number words).
_AND_A_HALF = re.compile(
    r"(?<![\w.])(?P<n>\d+)(?:\s+(?P<unit>(?:year|month|week|day|hour)s?))?\s+and\s+a\s+half\b"
    r"(?(unit)|(?=\s+(?:year|month|week|day|hour)s?\b))",
    re.I,
)
# "a month", "the first week", "one year", "every week": one of the unit ("once a week" and
# "every week" are every 7 days).
_ONE_UNIT = re.compile(
    r"\b(?:(?:an?|one|(?:the\s+)?first)|(every|each|per))\s+(?=(?:year|month|week|day|yr|wk|mo|mth)\b)", re.I
)

DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
_UNIT = r"(?P<unit>days?|d|weeks?|wks?|w|months?|mos?|mths?|years?|yrs?|y)"
_DURATION = re.compile(rf"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\+?\s*-?\s*{_UNIT}\b", re.I)  # "26+ weeks" too
_UNIT_NAMES = {"d": "day", "w": "week", "wk": "week", "mo": "month", "mth": "month", "yr": "year", "y": "year"}

_NUM = r"\d+(?:\.\d+)?"
_TIMES = r"\s*(?:\\?\*|[x×X✕·])\s*"
_POW = r"\s*(?:\\?\^|\*\*|[eE])\s*"  # the power sign; lost in "5.0×106" (a superscript flattened)
_DOSE = re.compile(
    rf"(?<![\w.])(?P<m>{_NUM})(?:\s*(?:-|–|to)\s*(?P<m2>{_NUM}))?{_TIMES}10(?:{_POW})?(?P<e>[-−]?\d{{1,2}})(?!\d)"
    rf"|(?<![\w.])10{_POW}(?P<e0>[-−]?\d{{1,2}})(?!\d)"
    rf"|(?<![\w.])(?P<me>{_NUM})[eE]\+?(?P<ee>\d{{1,2}})\b"
    rf"|(?<![\w.,])(?P<ms>{_NUM})\s*(?P<scale>million|billion|thousand)\b"
    rf"|(?<![\w.,])(?P<big>\d{{1,3}}(?:,\d{{3}})+|\d{{5,}})(?![\w,]|\.\d)",
    re.I,
)
BIG = 10_000  # plain numbers from here on are quantities (cell counts), smaller ones stay words


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    values: tuple[float, ...]  # one, or the two ends of a range


class _Apart(Exception):
    """A run of number words that is several numbers ("phase one-two", "one and two")."""


def _words_value(run: str) -> float | None:
    words = [w for w in re.split(r"[\s-]+", run.lower()) if w and w != "and"]
    if len(words) == 1 and words[0] in ("one", "zero"):
        return None  # "one arm", "one of": not a count worth rewriting
    total, current = 0, 0
    for w in words:
        if w in _UNITS:
            if not _joins(current, _UNITS[w]):
                raise _Apart
            current += _UNITS[w]
        elif w == "dozen":
            current = max(current, 1) * 12
        elif w == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[w]
            current = 0
    return float(total + current)


_UNIT_WORD = re.compile(r"\b(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b", re.I)


def _unit_digits(m: re.Match[str]) -> str:
    return _fmt(_UNITS[m.group(0).lower()])


def _joins(current: float, v: int) -> bool:
    """Whether a number word of value ``v`` continues a number worth ``current`` so far (within
    its scale): "twenty-one", "hundred and two", but not "one-two" or "twenty thirty"."""
    rest = current % 100
    return rest == 0 or (rest >= 20 and rest % 10 == 0 and v < 10)


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def words_to_digits(text: str) -> str:
    """``text`` with counts written as words rewritten in digits."""
    text = _ONE_UNIT.sub(lambda m: f"{m.group(1) or ''} 1 ".lstrip(), _HALF_UNIT.sub("0.5 ", text))

    def repl(m: re.Match[str]) -> str:
        try:
            v = _words_value(m.group("run"))
        except _Apart:  # each number on its own: "phase one-two" -> "phase 1-2"
            return m.group(0)[: m.start("run") - m.start()] + re.sub(_UNIT_WORD, _unit_digits, m.group("run"))
        if v is None:
            return m.group(0)
        if m.group("lead"):  # "5 million"
            v *= float(m.group("lead"))
        if m.group("half"):
            v /= 2
        return _fmt(v)

    text = _WORDS_RUN.sub(repl, text)
    return _AND_A_HALF.sub(lambda m: f"{int(m.group('n'))}.5" + (f" {m.group('unit')}" * bool(m.group("unit"))), text)


def durations(text: str) -> list[Quantity]:
    """Durations in days ("6 months" -> 182.625), numbers as digits or words."""
    text = words_to_digits(text) if re.search(r"[a-z]", text, re.I) else text
    out = []
    for m in _DURATION.finditer(text):
        unit = m.group("unit").lower().rstrip("s") if len(m.group("unit")) > 2 else m.group("unit").lower()
        unit = _UNIT_NAMES.get(unit, unit)
        out.append(Quantity(m.start(), m.end(), (float(m.group("n")) * DAYS[unit],)))
    return out


def quantities(text: str) -> list[Quantity]:
    """Cell doses and large counts (see the module doc) in the order written."""
    out = []
    for m in _DOSE.finditer(text):
        if m.group("e") is not None:
            p = 10.0 ** int(m.group("e").replace("−", "-"))
            vals = tuple(float(x) * p for x in (m.group("m"), m.group("m2")) if x)
        elif m.group("e0") is not None:
            vals = (10.0 ** int(m.group("e0").replace("−", "-")),)
        elif m.group("me") is not None:
            vals = (float(m.group("me")) * 10.0 ** int(m.group("ee")),)
        elif m.group("ms") is not None:
            vals = (float(m.group("ms")) * _SCALES[m.group("scale").lower()],)
        else:
            vals = (float(m.group("big").replace(",", "")),)
        if max(vals) >= BIG or m.group("e") is not None or m.group("e0") is not None:
            out.append(Quantity(m.start(), m.end(), vals))
    return out


def duration_token(days: float) -> str:
    """One token per duration: days, rounded to whole weeks from four weeks on (so 6 months,
    26 weeks and half a year are one value)."""
    d = round(days / 7) * 7 if days >= 28 else round(days)
    return f"d{d}"


def quantity_token(value: float) -> str:
    """One token per quantity, three significant digits: 5e5, 500000, 5x10^5 -> "q5e5"."""
    if value <= 0:
        return "q0"
    e = math.floor(math.log10(value))
    m = round(value / 10**e, 2)
    if m >= 10:
        m, e = m / 10, e + 1
    digits = f"{m:g}"
    if "." in digits:
        whole, frac = digits.split(".")
        digits, e = whole + frac, e - len(frac)
    return f"q{digits}e{e}"


def canonical_tokens(text: str) -> set[str]:
    """The duration and quantity tokens of a text (see `duration_token`, `quantity_token`)."""
    plain = words_to_digits(text)
    out = {duration_token(v) for q in durations(plain) for v in q.values}
    out |= {quantity_token(v) for q in quantities(plain) for v in q.values}
    return out


_COMPARATOR = re.compile(r"(≥|>=|=>|≧|>|≤|<=|=<|≦|<)\s*[-−]?\d")
_COMPARATOR_WORDS = {
    ">": "greater more higher high above over exceeding exceeds elevated raised increased",
    "≥": "greater more higher high above over exceeding elevated raised increased",
    "<": "less lower low below under fewer smaller reduced decreased",
    "≤": "less lower low below under fewer reduced decreased",
}
_SIGNS = {">=": "≥", "=>": "≥", "≧": "≥", "<=": "≤", "=<": "≤", "≦": "≤"}


def comparator_words(text: str) -> str:
    """The words of each comparison sign before a number in ``text`` ("INR>2" -> "greater
    more higher ..."), or "" when it has none."""
    signs = {_SIGNS.get(m.group(1), m.group(1)) for m in _COMPARATOR.finditer(text)}
    return " ".join(_COMPARATOR_WORDS[s] for s in sorted(signs))


# Words that compare a duration ("at least 6 months", "longer than 26 weeks"): records bound
# the same time with other words ("after 6 months", "for more than 6 months"), and the
# duration's token is what matches. Other bounds keep their words ("greater than 2": a
# record's "INR>2" says them, `comparator_words`).
_COMPARING = re.compile(
    r"\b(?:at\s+least|at\s+most|up\s+to|no\s+(?:more|less|fewer|longer|shorter)\s+than"
    r"|(?:more|less|fewer|greater|longer|shorter)\s+than|above|below|over|under|exceeding)\s+"
    rf"(?=\d+(?:\.\d+)?\s*-?\s*{_UNIT}\b)",
    re.I,
)


# How many times a treatment is given. Not "3 times normal", "2 times of upper limit" (a bound).
_GIVINGS = r"(?:doses?|infusions?|injections?|administrations?|transplantations?|transfusions?|shots?|times)"
_NOT_A_BOUND = (
    r"(?!\s+(?:of\s+)?(?:the\s+)?(?:upper|normal|uln|higher|greater|more|less|lower|above|below|the\s+upper))"
)
_N_GIVINGS = re.compile(rf"(?<![\w.,])(?P<n>\d{{1,2}})\s+(?:\w+\s+)?{_GIVINGS}\b{_NOT_A_BOUND}", re.I)
_N_TIMES_WORD = {"twice": 2, "thrice": 3}
_TIMES_WORD = re.compile(r"\b(twice|thrice)\b", re.I)
_SINGLE = re.compile(rf"\b(?:a\s+)?single\s+(?:\w+\s+)?{_GIVINGS}\b", re.I)
# "at week 0, 4, 8", "at weeks 0, 4 and 8": one giving per time point.
_AT_POINTS = re.compile(r"\b(?:at|on)\s+(?:weeks?|days?|months?)\s*(?P<points>\d+(?:\s*(?:,|and|&)\s*\d+)+)", re.I)
# A question's "more than one infusion", "several times", "multiple doses", "repeated injections".
_MANY_GIVINGS = re.compile(
    rf"\b(?:more\s+than\s+(?:1|one|once)\b(?:\s+(?:\w+\s+)?{_GIVINGS}\b)?|(?:multiple|several|repeated)\s+(?:\w+\s+)?{_GIVINGS}\b)",
    re.I,
)


def administration_counts(text: str) -> set[int]:
    """How many times the text says a treatment is given (`administration_tokens`)."""
    plain = words_to_digits(text)
    out = {int(m.group("n")) for m in _N_GIVINGS.finditer(plain)}
    out |= {_N_TIMES_WORD[m.group(1).lower()] for m in _TIMES_WORD.finditer(plain)}
    out |= {1 for _ in _SINGLE.finditer(plain)}
    out |= {len(re.findall(r"\d+", m.group("points"))) for m in _AT_POINTS.finditer(plain)}
    return {n for n in out if n > 0}


def administration_tokens(text: str) -> set[str]:
    """One token per count of givings the text states ("x2"), and "x2plus" for more than one."""
    counts = administration_counts(text)
    return {f"x{n}" for n in counts} | ({"x2plus"} if any(n > 1 for n in counts) else set())


def _givings_in_question(text: str) -> str:
    """A question's counts of givings as their tokens ("2 doses of cells" -> "x2 of cells")."""
    text = _MANY_GIVINGS.sub("x2plus", text)
    text = _N_GIVINGS.sub(lambda m: f"x{int(m.group('n'))}", text)
    text = _TIMES_WORD.sub(lambda m: f"x{_N_TIMES_WORD[m.group(1).lower()]}", text)
    return _SINGLE.sub("x1", text)


_ANY_UNIT = _UNIT.replace("?P<unit>", "?:")
# A time window before entry ("within 4 weeks before registration", "in the past 21 days")
# says the thing is recent; so does a question's "2 weeks ago" (inside any such window).
_WINDOW = re.compile(
    rf"\b(?:within|in\s+the\s+(?:last|past|previous|preceding|prior))\s+(?:the\s+)?(?:\d+(?:\.\d+)?\s*-?\s*{_ANY_UNIT}\b"
    rf"|(?:an?|one)\s+(?:day|week|month|year)\b)|(?<![\w.])\d+(?:\.\d+)?\s*-?\s*{_ANY_UNIT}\s+(?:before|prior\s+to)\s+"
    r"(?:the\s+)?(?:enrol\w*|registration|clinical\s+registration|screening|entry|inclusion|randomi[sz]ation|baseline)",
    re.I,
)
_AGO = re.compile(
    rf"(?<![\w.])(?:\d+(?:\.\d+)?\s*-?\s*{_ANY_UNIT}|(?:an?|one)\s+(?:day|week|month|year))\s+ago\b", re.I
)


# A duration a question gives roughly ("about a year and a half", "around 18 months") matches a
# record's within `ROUGH` of it (72 weeks is about a year and a half): its token is "approx" + its
# duration token, and a record's duration says the rough tokens of every duration that near.
_ROUGHLY = re.compile(
    rf"\b(?:about|around|approximately|approx\.?|roughly|circa|some)\s+(?=\d+(?:\.\d+)?\s*-?\s*{_ANY_UNIT}\b)", re.I
)
ROUGH = 0.1
ROUGH_PREFIX = "approx"


def rough_tokens(text: str) -> set[str]:
    """The rough tokens the durations of a text say: those of every duration within `ROUGH` of
    each ("72 weeks": "approxd455" ... "approxd553", so "about a year and a half" finds it)."""
    out = set()
    for days in (v for q in durations(words_to_digits(text)) for v in q.values):
        lo, hi = math.ceil(days * (1 - ROUGH)), math.floor(days * (1 + ROUGH))
        out |= {ROUGH_PREFIX + duration_token(d) for d in range(lo, hi + 1)} | {ROUGH_PREFIX + duration_token(days)}
    return out


def recency_tokens(text: str) -> set[str]:
    """{"recent"} when the text bounds something to a time window before entry (`_WINDOW`)."""
    return {"recent"} if _WINDOW.search(words_to_digits(text)) else set()


# "the amount of albumin in the serum": its level; "how much hepatitis B virus is left in the blood": its viral load.
_AMOUNT_IN_BLOOD = re.compile(
    r"\b(?:how\s+much|the\s+amount\s+of)\s+(?P<x>[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?:(?:is|are)\s+)?(?:still\s+)?"
    r"(?:left\s+|remaining\s+|present\s+)?in\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:blood(?:stream)?|serum|plasma)\b",
    re.I,
)
_VIRUS = re.compile(r"\bvirus(?:es)?$", re.I)


def amount_as_level(question: str) -> str:
    """The question with how much of a thing is in the blood read as the thing's level (`_AMOUNT_IN_BLOOD`)."""

    def level(m: re.Match[str]) -> str:
        x = m.group("x")
        return _VIRUS.sub("viral load", x) if _VIRUS.search(x) else f"{x} level"

    return _AMOUNT_IN_BLOOD.sub(level, question)


def normalize_question(question: str) -> str:
    """The question with number words in digits, the words that compare a duration dropped,
    how many times a treatment is given as its token ("two doses" -> "x2"), and each duration
    or quantity replaced by its token ("two doses at least 24 weeks apart" -> "x2 d168 apart")."""
    text = _givings_in_question(_COMPARING.sub("", _AGO.sub("recent", words_to_digits(question))))
    rough = {m.end(): m.start() for m in _ROUGHLY.finditer(text)}  # "about 18 months": from "about"
    found = [(q, (ROUGH_PREFIX if q.start in rough else "") + duration_token(q.values[0])) for q in durations(text)]
    found += [(q, " ".join(quantity_token(v) for v in q.values)) for q in quantities(text)]
    found.sort(key=lambda x: x[0].start)
    parts, at = [], 0
    for q, tok in found:
        if q.start < at:
            continue
        parts += [text[at : rough.get(q.start, q.start) if tok.startswith(ROUGH_PREFIX) else q.start], tok]
        at = q.end
    parts.append(text[at:])
    return "".join(parts)
