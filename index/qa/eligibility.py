"""Whether a described patient could join a trial: "58yo F, HBV cirrhosis, CP score 8,
decompensated, hx variceal bleed - which trials would take her?".

The facts the description states (an age, a Child-Pugh score, a condition) are the question's
constraints (`index.qa.fact_answer`). What else it names with a term of the vocabulary is a
finding, unless the description denies it ("no HCC", "HIV neg", "not a transplant candidate"). A
finding rules a trial out when one of its exclusion lines (an inclusion "No X" line too) names the
finding or a broader term ("malignancies" for HCC) and none of its inclusion lines names it (a
trial of HBV cirrhosis does not exclude HBV for naming other viral hepatitis). The trials left
are listed for the facts that admit them; the description's other words are not searched for.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping
from functools import lru_cache

from index.facts.extract import cite, section_lines
from index.model import Trial
from index.qa.lab_values import Value, below_threshold
from index.results import Citation
from index.text.roles import EXCLUDE, INCLUDE, polarity_at, question_polarity, role
from index.text.tokenize import tokenize
from index.text.vocabulary import vocabulary

# The ask of a described patient: "could she join any", "which trials would take her", "any trial
# he'd be eligible for", "which would consider him", "would still let him in", "which is left".
_ASKS = re.compile(
    r"\b(?:could|would|can|will|might)\s+(?:she|he|they|my\s+(?:pt|patient)|the\s+(?:pt|patient)|him|her)\s+"
    r"(?:\w+\s+){0,2}?(?:join|go\s+(?:into|in|on)|be\s+refer+ed|(?:be\s+)?(?:el+ig[ai]ble|suitable|a\s+candidate)"
    r"|take\s+part|participate|qualify|enrol+|get\s+in)\b"
    r"|\b(?:would|could|will|might)\s+(?:\w+\s+){0,2}?(?:take|have|accept|consider|enrol+|admit|let)\s+(?:him|her|them)\b"
    r"|\b(?:he|she|they)(?:'d|\s+would|\s+be)\s+(?:be\s+)?(?:el+ig[ai]ble|suitable)\b"
    r"|\bis\s+(?:she|he)\s+(?:el+ig[ai]ble|suitable)\b"
    r"|\bfits?\s+(?:him|her|them)\b"
    # "which study fits?", "is there a trial for him?", "a study he fits", "which one suits her"
    # "hep C man, 55, now liver failure - any trial?": after a description; "eligible for which trials?"
    r"|\b(?:el+ig[ai]ble|suitable|a\s+candidate|qualif(?:y|ies))\s+for\s+(?:which|what|any)\b"
    r"|(?:[-–—:,.;]|^)\s*(?:so\s+)?(?:any|a)\s+(?:suitable\s+)?(?:trials?|studies|study|options?)"
    r"(?:\s+for\s+(?:him|her|them))?\s*\?*\s*$"
    r"|\b(?:which|what)\s+(?:trials?|studies|study|ones?|protocols?)\s+(?:would\s+|might\s+|could\s+)?(?:fits?|suits?)\b"
    r"|\b(?:is|are)\s+there\s+(?:a|any|one)\s+(?:\w+\s+)?(?:trials?|studies|study)\s+(?:for|that\s+(?:fits|suits))\s+"
    r"(?:him|her|them|me|us)\b"
    r"|\b(?:trials?|studies|study|one)\s+(?:that\s+)?(?:he|she|they)\s+(?:\w+\s+)?(?:fits?|qualif\w*|meets?)\b"
    # "which trials' criteria does she meet?"
    r"|\b(?:does|do|would|could|will|did)\s+(?:she|he|they|my\s+(?:pt|patient)|the\s+(?:pt|patient|member))\s+"
    r"(?:\w+\s+)?(?:meet|fit|satisfy|fulfil+)\b"
    # "is she too old or too well for any of them, and which is left?"
    r"|\b(?:which|what)\s+(?:(?:ones?|trials?|studies|of\s+them)\s+)?(?:is|are)\s+left\b"
    r"|\b(?:is|are)\s+(?:she|he|they)\s+too\s+\w+\s+(?:or\s+too\s+\w+\s+)?for\b",
    re.I,
)
# Where a description's stretches part ("HBV cirrhosis, CP 8 - no HCC"), and a stretch that
# denies what it names: "no HCC", "HIV neg", "nil else".
_SEGMENTS = re.compile(r"[,;:.()]|\s+-\s+|\s+(?:but|with|who|after)\s+", re.I)
_DENIED = re.compile(
    r"^\s*(?:no|not(?!\s+(?:suitable|eligible|fit|a\s+candidate|candidates)\s+for\b)|non|nil|never|without|denies"
    r"|negative\s+for)\b|\b(?:neg|negative|free|excluded|ruled\s+out)\s*$",
    re.I,
)


# Who the patient is and words around findings, not findings: "58 yr old lady with ...", "severe";
# nor who looks after the patient ("the doctors call it encephalopathy").
_WHO = frozenset(
    tokenize(
        "patient patients pt pts subject subjects person people man men woman women lady ladies gentleman male "
        "female adult adults elderly with without severe previous history liver negative positive "
        "doctor doctors physician physicians"
    )
)


# The ask of which trials turn a described patient away: "which trials would rule him out",
# "which of these definitely won't take him".
_TURNS_AWAY = re.compile(
    r"\b(?:rule|rules|ruled)\s+(?:him|her|them|my\s+(?:pt|patient))\s+out\b"
    r"|\b(?:won'?t|will\s+not|wouldn'?t|would\s+not|can'?t|cannot)\s+(?:\w+\s+){0,2}?(?:take|have|accept|enrol+|admit|let)"
    r"\s+(?:him|her|them|my\s+(?:pt|patient))\b"
    r"|\b(?:exclude|disqualify|bar|reject|refuse)\s+(?:him|her|them|my\s+(?:pt|patient))\b"
    r"|\bturn\s+(?:him|her|them|my\s+(?:pt|patient))\s+(?:away|down)\b"  # "which trials would turn him away?"
    r"|\b(?:him|her|them)\s+(?:be\s+)?(?:ineligible|excluded|disqualified|turned\s+away|ruled\s+out)\b",
    re.I,
)


# "which study's criteria don't exclude him?": the trials that would take him.
_NOT_TURNED_AWAY = re.compile(
    r"\b(?:don'?t|do\s+not|doesn'?t|does\s+not|wouldn'?t|would\s+not|won'?t|will\s+not)\s+(?:exclude|rule\s+out|bar"
    r"|disqualify|turn\s+away)\s+(?:him|her|them|my\s+(?:pt|patient))\b",
    re.I,
)
_TEST = re.compile(r"\b(?:negative|tests?)\b", re.I)


def asks_eligibility(question: str) -> bool:
    """Whether a list question asks which trials a patient it describes could join (not which
    trials rule the patient out: `asks_turned_away`)."""
    if _NOT_TURNED_AWAY.search(question):  # "which study's criteria don't exclude him?"
        return True
    return bool(_ASKS.search(question)) and question_polarity(question) != EXCLUDE


def asks_turned_away(question: str) -> bool:
    """Whether a list question asks which trials would turn a patient it describes away."""
    return bool(_TURNS_AWAY.search(question)) and not _NOT_TURNED_AWAY.search(question)


def describes_patient(question: str, rest: str) -> bool:
    """Whether a question asks which trials would take, or turn away, a patient it describes
    by findings ("alcohol-related cirrhosis, hep B negative - which would rule him out?")."""
    return (asks_eligibility(question) or asks_turned_away(question)) and (
        len(findings(rest)) + len(findings(rest, denied=True)) >= 2  # one finding: searched for as text
    )


def findings(text: str, denied: bool = False) -> list[int]:
    """The vocabulary groups the description names and does not deny (with ``denied``: those
    it denies: "hep B negative"), in order, each once."""
    return list(_findings(text, denied))


@lru_cache(maxsize=256)  # a described patient's question reads them twice (`describes_patient`, the answer)
def _findings(text: str, denied: bool) -> tuple[int, ...]:
    v = vocabulary()
    out: list[int] = []
    for seg in _SEGMENTS.split(text):
        if not seg or bool(_DENIED.search(seg)) != denied:
            continue
        for m in v.find(seg):
            if not m.term.lay and m.term.group not in out and not _WHO.issuperset(tokenize(v.head[m.term.group])):
                out.append(m.term.group)
    return tuple(out)


def ruled_out(
    trial: Trial, found: Iterable[int], lacking: Iterable[int] = (), values: Mapping[int, Value] | None = None
) -> list[Citation]:
    """The criteria lines by which a finding rules the trial out (see the module doc), or by
    which the patient lacks what the trial asks for (``lacking``: "hep B negative" and a trial
    of HBV cirrhosis); empty when none does. ``values``: what the description measures ("INR
    1.3"): an exclusion line whose threshold a value falls short of ("INR>2") does not rule out."""
    values = values or {}
    include, exclude = _criteria_groups(trial)
    kinds = vocabulary().with_broader
    lacks = set(lacking)
    # not when the trial includes what lies between the finding and the excluded kind ("chronic
    # hepatitis B" under "HBV-related cirrhosis" is not the "other viral hepatitis" it excludes)
    out = [
        line
        for g in found
        for e in kinds(g) & exclude.keys()
        if not (kinds(g) - (kinds(e) - {e})) & include.keys()
        for line in exclude[e]
        if g not in values or not below_threshold(line.snippet, g, values[g])
    ]
    out += [line for g, lines in include.items() if kinds(g) & lacks for line in lines]
    return list(dict.fromkeys(out))


Lines = dict[int, list[Citation]]


# Each trial's criteria groups, kept while the trial is (keyed by identity: hashing a frozen
# Trial walks all its sections, and an index keeps each trial it has read).
_GROUPS: dict[int, tuple[weakref.ref[Trial], tuple[Lines, Lines]]] = {}


def _criteria_groups(trial: Trial) -> tuple[Lines, Lines]:
    """`_read_criteria_groups`, once per trial object."""
    key = id(trial)
    hit = _GROUPS.get(key)
    if hit is not None and hit[0]() is trial:
        return hit[1]
    found = _read_criteria_groups(trial)

    def forget(ref: weakref.ref[Trial], key: int = key) -> None:
        if (entry := _GROUPS.get(key)) is not None and entry[0] is ref:
            _GROUPS.pop(key, None)

    _GROUPS[key] = (weakref.ref(trial, forget), found)
    return found


def _read_criteria_groups(trial: Trial) -> tuple[Lines, Lines]:
    """The vocabulary groups the trial's inclusion and exclusion lines name, each with the
    lines that name it (a "No X" line under inclusion is an exclusion of X)."""
    v = vocabulary()
    include: Lines = {}
    exclude: Lines = {}
    for sec in trial.sections:
        if not sec.name.startswith("eligibility"):
            continue
        for s, e in section_lines(sec):
            line = sec.text[s:e]
            r = role(line, sec.name, polarity_at(sec.text, s))
            side = exclude if r.polarity == EXCLUDE else include if r.polarity == INCLUDE else None
            if side is None:
                continue
            groups = [m.term.group for m in v.find(line) if not m.term.lay]
            if r.negative_test:  # "Negative pregnancy test": excludes pregnancy
                groups += [m.term.group for m in v.find(_TEST.sub(" ", line)) if not m.term.lay]
            for g in groups:
                side.setdefault(g, []).append(cite(trial, sec, s, e))
    return include, exclude
