"""How plainly a sentence states the kind of value a lookup asks for (`typed`: 0 not, 1, 2
plainly): a dose's amount of cells, the weeks of a schedule, an enrolment's number of patients,
an age range where a trial takes people; and the section where a record states a kind of value
(`home_section`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.facts.vocabulary import ROUTE_TERMS
from index.qa.question import AnswerType

# The sentences that hold the kind of value a lookup asks for.
_AGE_A = re.compile(
    r"\b\d+\s*(?:to|-|–|and)\s*\d+\s*(?:years|yrs)|\b\d+\s*\+?\s*years?(?:\s+old|\s+and\s+(?:older|over))"
    r"|\b(?:aged?|ages?)\b[^.]{0,30}\d",
    re.I,
)


_ROUTE_A = re.compile(
    "|".join(
        [t.pattern.pattern for t in ROUTE_TERMS] + [r"\bvia\b|\binject(?:ed|ion)\b|\binfus(?:ed|ion)\b|\broute\b"]
    ),
    re.I,
)
_DURATION_A = re.compile(r"\b\d+(?:\.\d+)?\s*-?\s*(?:weeks?|months?|years?|days?|wks?|mos?)\b|\bweeks?\s+\d+\b", re.I)
_AGED = re.compile(r"\bage[ds]?\b|\byears? old\b|\byears? of age\b", re.I)
_FOLLOW = re.compile(r"\bfollow", re.I)
_TIME_FRAME = re.compile(
    r"^\s*(?:time frame:?\s*)?(?:changes? )?(?:from baseline|baseline|up to|at|after|over|within|\d+)\b", re.I
)
_OUTCOME_A = re.compile(
    r"\b(?:primary|secondary|main)\s+(?:outcomes?|end[- ]?points?)\b[^.]{0,20}?(?:\bis\b|\bare\b|\bwill be\b|:)", re.I
)
# The amount of a dose: cells or a drug, not a volume ("BM (200 ml) will be harvested").
_AMOUNT_A = re.compile(
    r"(?:[x×*]\s*\\?\*?\s*10\s*(?:\\?\^|e|E)?\s*\d|\b10\s*(?:\\?\^|e|E)\s*\d"
    r"|(?<![A-Za-z\d])\d[\d.,]*\s*(?:(?:million|billion)\s+)?(?:[A-Za-z-]+\s+)?(?:cells?|MSCs?)\b"
    r"|(?<![A-Za-z\d])\d[\d.,]*\s*(?:mg|g|µg|mcg|ug|iu|IU|units?)\b|/\s*kg\b|\bper\s+(?:kg|kilo))",
)
# When the doses are given: "at week 0, 4, 8", "every 4 weeks", "from day 0 through week 12", "apart from 24 weeks".
_SCHEDULE_A = re.compile(
    r"\b(?:weeks?|days?|months?)\s*\d+\s*(?:,|and|&|-|–|to|through)\s*(?:(?:weeks?|days?|months?)\s*)?\d"
    r"|\b(?:at|on|from)\s+(?:weeks?|days?|months?)\s*\d|\bevery\s+(?:\d+\s*|other\s+)?(?:weeks?|days?|months?)\b"
    r"|\bapart\b|\bintervals?\b|\b(?:daily|weekly|monthly)\b",
    re.I,
)
_TIMES_A = re.compile(r"\b(?:once|twice|thrice|(?:\d+|two|three|four|five)\s+(?:times|doses|infusions))\b", re.I)
_SOURCE_A = re.compile(
    r"\b(?:harvest|aspirat|collect|obtain|taken|deriv|isolat|extract|drawn|punctur)\w*\b[^.;]{0,80}?\bfrom\b", re.I
)
_DATE_A = re.compile(r"\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.I)
_TYPE_SECTIONS: dict[AnswerType, set[str]] = {
    "results": {"results"},  # what a trial found: a registration's outcomes say what it measures, not this
    "count": {"enrollment", "design"},
    "split": {"enrollment", "design"},
    "status": {"status"},
    "where": {"locations", "contacts"},
    "when": {"dates", "status"},
    "who": {"sponsor", "contacts", "collaborators"},
    "contact": {"contacts"},
    "investigator": {"contacts"},
    "phone": {"contacts"},
    "sponsor": {"sponsor", "collaborators"},
    "place": {"locations"},
}
_PLACE_NAME = re.compile(r"\b(?:hospital|universit|institut|cent(?:er|re)|clinic|infirmary)", re.I)
_NOT_CRITERIA: frozenset[AnswerType] = frozenset({"dose", "schedule", "source", "duration", "followup"})
_HOME_SECTIONS: dict[AnswerType, str] = {
    "count": "enrollment",
    "split": "enrollment",
    "when": "dates",
    "where": "locations",
    "sponsor": "sponsor",
    "outcome": "outcomes_primary",
}
_REACH_AT = re.compile(r"@|\+?\d[\d\s().-]{6,}\d")
_PEOPLE_COUNT = re.compile(
    r"\b\d+\s+(?:\S+\s+){0,3}?(?:patients|participants|subjects|cases|volunteers|people|persons|pts)\b", re.I
)


def typed(atype: AnswerType | None, section: str, sentence: str) -> int:
    """How plainly the sentence states the kind of value asked for: 0 not at all, 1, or 2
    (a dose's amount of cells, the weeks of a schedule, an enrolment's number of patients)."""
    if atype is None:
        return 0
    if atype in _NOT_CRITERIA and section.startswith("eligibility"):
        return 0  # "more than 2 times the upper limit", "prednisone over 10 mg": whom it takes, not what it gives
    if atype in _SENTENCE_TYPES:
        return _SENTENCE_TYPES[atype](section, sentence)
    if atype == "count" and not re.search(r"\d", sentence):
        return 0  # an enrolment states a number
    if atype == "count" and (section == "enrollment" or _PEOPLE_COUNT.search(sentence)):
        return 2
    if atype == "when" and not _DATE_A.search(sentence):
        return 0  # a date, not "Recruiting"
    if atype == "where" and section == "sponsor":  # "which hospital runs it?": a sponsor that is one
        return 1 if _PLACE_NAME.search(sentence) else 0
    if atype in ("contact", "investigator") and (
        not re.search(r"[A-Za-z]{2}", sentence) or sentence.startswith("Loading")
    ):
        return 0
    if atype == "phone":  # a number or an e-mail address, not only a name
        return 2 if section == "contacts" and _REACH_AT.search(sentence) else 0
    return 1 if section in _TYPE_SECTIONS.get(atype, set()) else 0


def _split(section: str, sentence: str) -> int:
    """How many each arm has: a sentence that counts patients twice ("50 LF patients ... as the
    treated group and other 20 LF patients ... as control group") or in groups ("200 participants
    in 2 patient groups") states it plainly; the enrolment only its total."""
    if len(_PEOPLE_COUNT.findall(sentence)) >= 2 or (_PEOPLE_COUNT.search(sentence) and _ARM_WORD.search(sentence)):
        return 2
    return 1 if section == "enrollment" else 0


_ARM_WORD = re.compile(r"\b(?:arms?|groups?|cohorts?)\b", re.I)


def _dose(section: str, sentence: str) -> int:
    return 2 if _AMOUNT_A.search(sentence) else 0


def _duration(section: str, sentence: str) -> int:
    """A duration, plainest when it is not said of the follow-up."""
    if not _DURATION_A.search(sentence) or _AGED.search(sentence):
        return 0
    return 1 if _FOLLOW.search(sentence) else 2


def _followup(section: str, sentence: str) -> int:
    """Follow-up: a duration said of following patients, or an outcome's time frame."""
    if not _DURATION_A.search(sentence) or _AGED.search(sentence):
        return 0
    return 2 if _FOLLOW.search(sentence) else 1 if section.startswith("outcomes") else 0


def _entry_duration(section: str, sentence: str) -> int:
    """A duration the criteria ask of patients ("a course of more than 5 years"), not an age
    ("less than 20 years old")."""
    if _AGED.search(sentence) or not section.startswith("eligibility") or not _DURATION_A.search(sentence):
        return 0
    return 1 if _WINDOW.search(sentence) else 2  # "within 3 weeks prior to registration": a window, less plainly


_WINDOW = re.compile(r"\bwithin\s+(?:the\s+)?(?:last\s+|past\s+|previous\s+)?\d", re.I)


def _schedule(section: str, sentence: str) -> int:
    """When doses are given; not the visits of the follow-up ("followed up every week")."""
    if _FOLLOW.search(sentence):
        return 0
    return 2 if _SCHEDULE_A.search(sentence) else 1 if _TIMES_A.search(sentence) else 0


def _outcome(section: str, sentence: str) -> int:
    """An outcome measure, plainer than its time frame ("Changes from baseline to 72 weeks")."""
    if section.startswith("outcomes"):
        return 1 if _TIME_FRAME.match(sentence) else 2
    return 1 if _OUTCOME_A.search(sentence) else 0


_PHASE_A = re.compile(r"\b(?:early\s+)?phase\s*(?:[1-4]|iv|i{1,3})\b|^\s*not applicable\b", re.I)
_MASK_A = re.compile(
    r"\b(?:single|double|triple|quadruple)[\s-]*(?:blind|mask)\w*|\bopen[\s-]label\b|\bnone\s*\(open label\)"
    r"|\b(?:masked|masking|blinded|blinding|unblinded)\b",
    re.I,
)


def _stated_in(home: set[str], rx: re.Pattern[str]) -> Callable[[str, str], int]:
    """A sentence states the value plainly (2) in the fields that hold it, else 1 when it names it."""
    return lambda section, sentence: 0 if not rx.search(sentence) else 2 if section in home else 1


def _age(section: str, sentence: str) -> int:
    """An age range, plainer where the trial takes people than where it turns them away."""
    return 0 if not _AGE_A.search(sentence) else 1 if section == "eligibility_exclusion" else 2


# What a control arm gets: a comparator named in the arms ("Standard medication for ...", "Conventional plus
# placebo treatment"), plainer than an arm's bare label ("No Intervention group").
_CONTROL_A = re.compile(
    r"\b(?:control|comparator|placebo|pacebo|sham|standard|conventional|usual\s+care|no\s+intervention)\b", re.I
)
_PLACEBO_ARM = re.compile(r"placebo|pacebo|sham", re.I)  # a control arm that names the cells it stands in for
_THE_CELLS = re.compile(r"\b(?:MSCs?|cells?|stem|BMSCs?|transplant\w*)\b", re.I)
_ARM_LABEL = re.compile(
    r"^\s*(?:no\s+intervention|active\s+comparator|placebo\s+comparator|sham\s+comparator|experimental|other|control)"
    r"(?:\s+(?:group|arm))?\s*:?\s*$",
    re.I,
)


def _control(section: str, sentence: str) -> int:
    if not _CONTROL_A.search(sentence) or (_THE_CELLS.search(sentence) and not _PLACEBO_ARM.search(sentence)):
        return 0  # "Conventional plus MSC treatment" is the treated arm
    if section not in ("arms", "interventions") or _ARM_LABEL.match(sentence):
        return 1
    return 2 if section == "interventions" or len(sentence.split()) > 3 else 1  # an arm's short title names it


_SENTENCE_TYPES = {
    "control": _control,
    "dose": _dose,
    "split": _split,
    "age": _age,
    "phase": _stated_in({"phase", "status"}, _PHASE_A),
    "masking": _stated_in({"design"}, _MASK_A),
    "route": lambda section, sentence: int(bool(_ROUTE_A.search(sentence))),
    "duration": _duration,
    "entry_duration": lambda section, sentence: _entry_duration(section, sentence),
    "followup": lambda section, sentence: _followup(section, sentence),
    "schedule": _schedule,
    "source": lambda section, sentence: 2 if _SOURCE_A.search(sentence) else 0,
    "outcome": _outcome,
    "place": lambda section, sentence: 0 if section != "locations" else 2 if "," in sentence else 1,  # "Oslo, Norway"
}


def home_section(atype: AnswerType | None, section: str) -> bool:
    """Whether the section is where a record states this kind of value (an enrolment's)."""
    return atype is not None and _HOME_SECTIONS.get(atype) == section
