"""How long a trial follows its patients, in days, read from the text that states it: a sentence
about following patients ("Participants will then be followed until 2 years study visit",
"During the 2-year follow up", "followed up every week for 4 weeks, and laboratory data are
analyzed for 24 weeks") or an outcome's time frame ("Changes from baseline to 72 weeks",
"Baseline, 6 months, 12 months"); the longest duration either states is the follow-up.

A visit interval ("every 4 weeks") is not a length, and a sentence about earlier studies
("previous studies followed patients for 5 years") is not this trial's follow-up.
`QUESTION` reads the follow-up a question asks for ("f/u longer than 1 yr", "follow up >= 12
months", "104-week follow up", "follows patients for at least 2 years")."""

from __future__ import annotations

import re

from index.text.numbers import DAYS, duration_token, durations, words_to_digits

# A word about following patients ("follow-up", "followed up", "followed until", "f/u"); not
# "following" ("following the injection") nor "followed by" (the next step).
FOLLOW = re.compile(r"\bfollow(?:s|ed|ing)?[\s-]*ups?\b|\bfollowed\b(?!\s+by\b)|\bf/u\b", re.I)
_INTERVAL = re.compile(r"\b(?:every|each|per|once\s+in|q)\s*$", re.I)
# A sentence about other studies: "previous studies", "Zhang et al. found that", "has been shown".
ELSEWHERE = re.compile(
    r"\b(?:previous(?:ly)?|earlier|prior|other|former)\s+(?:\w+\s+)?(?:stud(?:y|ies)|trials?|reports?|work)\b"
    r"|\b(?:was|were|has\s+been|have\s+been)\s+(?:reported|shown|observed)\b|\bet\s+al\b|\bfound\s+that\b"
    r"|\breviewed\s+in\b|\b(?:and|his|her)\s+colleagues\b|\[\d+(?:\s*[,–-]\s*\d+)*\]",
    re.I,
)
# A time point named by its unit first ("week 52", "until month 24", "at weeks 0, 4 and 12").
_UNIT_FIRST = re.compile(
    r"\b(?P<unit>day|week|month|year)s?\s+(?P<n>\d{1,4})"
    r"(?:\s*(?:,\s*and|,|and|or|&|-|–|to|through)\s*(?P<last>\d{1,4}))*\b(?!\s*(?:%|mg|ml))",
    re.I,
)
# Between a length and the follow word it comes before: "2-year follow up", "2 years of follow-up",
# "a 6-week Safety Follow-up Period", "36 months (long-term follow-up"; not "aged 18-65 years will
# be followed".
_JUST_BEFORE = re.compile(r"[\s(-]*(?:(?!(?:will|be|been|are|is|were|was|and|then|to)\b)[\w-]+[\s(-]+){0,2}", re.I)
# An age, not a length: "until the age of 18 years", "patients older than 60 years", "over 18-years-old".
_AN_AGE = re.compile(r"(?:\bage(?:d|\s+of)?|\b(?:older|younger)\s+than)\s*$", re.I)
_OLD = re.compile(r"[\s-]*(?:old|of\s+age)\b", re.I)


def _lengths(text: str) -> list[tuple[int, int, float]]:
    """Each duration (start, end, days) in ``text`` (numbers already digits), visit
    intervals left out; unit-first time points too ("week 52": 364 days)."""
    out = [
        (q.start, q.end, q.values[0])
        for q in durations(text)
        if not _INTERVAL.search(text[max(0, q.start - 12) : q.start])
    ]
    for m in _UNIT_FIRST.finditer(text):
        if _INTERVAL.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        nums = re.findall(r"\d{1,4}", m.group(0))
        out.append((m.start(), m.end(), max(float(n) for n in nums) * DAYS[m.group("unit").lower()]))
    return out


def stated_days(sentence: str) -> float | None:
    """The follow-up a sentence about following patients states, in days: the longest duration
    after its follow word, or right before it ("2-year follow up"); None when it states none."""
    text = words_to_digits(sentence)
    follow = list(FOLLOW.finditer(text))
    if not follow or ELSEWHERE.search(text):
        return None
    first = follow[0].start()
    found = [
        days
        for s, e, days in _lengths(text)
        if (s >= first or any(e <= f.start() and _JUST_BEFORE.fullmatch(text, e, f.start()) for f in follow))
        and not _AN_AGE.search(text, max(0, s - 14), s)
        and not _OLD.match(text, e)
    ]
    return max(found) if found else None


def time_frame_days(text: str) -> float | None:
    """The longest duration an outcome's time frame states ("Changes from baseline to 72
    weeks": 504 days), or None."""
    found = [days for _, _, days in _lengths(words_to_digits(text))]
    return max(found) if found else None


def same_length(a: float, b: float) -> int:
    """-1, 0 or 1 as ``a`` is shorter than, about as long as (the same whole weeks: 104 weeks,
    24 months and 2 years are one length), or longer than ``b``."""
    ta, tb = int(duration_token(a)[1:]), int(duration_token(b)[1:])
    return (ta > tb) - (ta < tb)


_DUR = r"\d+(?:\.\d+)?\+?\s*-?\s*(?:days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?)\b"
# "FU ≥ 12 mo", "monitored beyond twelve months", "kept under observation for over a year"
# ("follow up to 6 months": the "up" of "up to" is the bound's)
_FOLLOW_Q = (
    r"(?:follow(?:s|ed|ing)?(?:[\s-]*ups?(?!\s+to\b))?|f/u|FU|monitor(?:s|ed|ing)?|under\s+observation|observed"
    r"|track(?:s|ed|ing)?|check(?:s|ed|ing)?(?:\s+(?:up\s+)?on)"
    # "assess endpoints beyond one year", "an assessment horizon of 72 weeks"
    r"|(?:assess|measur|evaluat)(?:es|ed|ing|e)?(?=\s+(?:end-?points?|outcomes?|patients|participants)\b)"
    r"|(?:assessment|observation|evaluation|study)\s+(?:horizon|window|period)|horizon|observation"
    # "which trials last over a year": how long a trial keeps its patients
    r"|last(?:s|ing)?(?=\s+(?:for\s+)?(?:more\s+than|over|longer\s+than|at\s+least|beyond)\b))"
)
# "about 6 months": that length, give or take `ROUGH`
_ABOUT = r"(?P<about>(?:about|around|approximately|approx\.?|roughly|some|~|c\.|ca\.)\s*)?"
_GREATER = r"more\s+than|longer\s+than|greater\s+than|over|exceeding|beyond|above|>"
_AT_LEAST = r"at\s+least|no\s+less\s+than|no\s+shorter\s+than|a\s+minimum\s+of|minimum(?:\s+of)?|≥|>=|=>"
_LESS = r"less\s+than|shorter\s+than|under|below|<"
_AT_MOST = r"up\s+to|within|at\s+most|no\s+more\s+than|no\s+longer\s+than|a\s+maximum\s+of|maximum(?:\s+of)?|≤|<=|=<"


def _op(n: str) -> str:
    """A comparison before a duration, its groups named with ``n`` (two places in `QUESTION`)."""
    return rf"(?:(?P<gt{n}>{_GREATER})|(?P<ge{n}>{_AT_LEAST})|(?P<lt{n}>{_LESS})|(?P<le{n}>{_AT_MOST}))"


def _op_after(n: str) -> str:
    """ "2 years or more": a comparison after the duration."""
    return rf"(?:\s+(?:or|and)\s+(?:(?P<ga{n}>more|longer|over|above|greater)|(?P<la{n}>less|shorter|under|fewer)))"


# From when a follow-up counts: "more than a year after treatment starts", "from baseline".
_ANCHOR = (
    r"(?:\s+(?:after|from|since|post)\s+(?:the\s+)?(?:start\s+of\s+)?(?:treatment|therapy|infusion|baseline|randomi[sz]ation"
    r"|enrol\w*|dosing)(?:\s+(?:starts?|started|begins?|began))?)?"
)
# A follow-up a question asks for: the follow word, a few words (of, for, patients, duration,
# period, is), a comparison and a duration; or a duration right before the follow word.
QUESTION = (
    rf"\b{_FOLLOW_Q}(?:\s+(?:of|for|patients|pts|participants|subjects|people|them|you|him|her|me|us|everyone|up(?!\s+to\b)|duration|period|time|length"
    rf"|end-?points?|outcomes?|or\s+{_FOLLOW_Q}|extends?|extending|continues?|continuing|runs?|goes\s+on"
    rf"|is|lasts?|lasting|that\s+is|which\s+is|then|until|to)){{0,4}}\s*[:=(]?\s*{_op('')}?\s*{_ABOUT}(?P<d>{_DUR}){_op_after('')}?\)?{_ANCHOR}"
    rf"|(?:(?<!\w){_op('2')}\s*)?(?P<d2>{_DUR}){_op_after('2')}?[\s-]*(?:long\s+|of\s+|post-?\w+\s+)?{_FOLLOW_Q}"
)


def question_op(m: re.Match[str]) -> str:
    """The comparison a `QUESTION` match asks for: ">", ">=", "<", "<=", "~" (about: within
    `ROUGH`) or "=" (none). A bound with "about" ("up to about 6 months") is the bound."""
    for op, name in ((">", "gt"), (">=", "ge"), ("<", "lt"), ("<=", "le"), (">=", "ga"), ("<=", "la")):
        if m.group(name) or m.group(name + "2"):
            return op
    if m.group("about"):
        return "~"  # "about half a year"
    return ">=" if "+" in (m.group("d") or m.group("d2")) else "="  # "52+ wks": at least
