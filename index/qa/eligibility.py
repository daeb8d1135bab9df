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
from collections.abc import Iterable
from functools import lru_cache

from index.facts.extract import section_lines
from index.model import Trial
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
    r"|\bfits?\s+(?:him|her|them)\b",
    re.I,
)
# A stretch of the description that denies what it names: "no HCC", "HIV neg", "nil else".
_SEGMENTS = re.compile(r"[,;:.()]|\s+-\s+|\s+(?:and|but|with|who|after)\s+", re.I)
_DENIED = re.compile(
    r"^\s*(?:no|not|non|nil|never|without|denies|negative\s+for)\b|\b(?:neg|negative|free|excluded|ruled\s+out)\s*$",
    re.I,
)


# Who the patient is and words around findings, not findings: "58 yr old lady with ...", "severe".
_WHO = frozenset(
    tokenize(
        "patient patients pt pts subject subjects person people man men woman women lady ladies gentleman male "
        "female adult adults elderly with without severe previous history liver"
    )
)


def asks_eligibility(question: str) -> bool:
    """Whether a list question asks which trials a patient it describes could join (not which
    trials rule the patient out: that asks for exclusions)."""
    return bool(_ASKS.search(question)) and question_polarity(question) != EXCLUDE


def findings(text: str) -> list[int]:
    """The vocabulary groups the description names and does not deny, in order, each once."""
    v = vocabulary()
    out: list[int] = []
    for seg in _SEGMENTS.split(text):
        if not seg or _DENIED.search(seg):
            continue
        for m in v.find(seg):
            if not m.term.lay and m.term.group not in out and not _WHO.issuperset(tokenize(v.head[m.term.group])):
                out.append(m.term.group)
    return out


def ruled_out(trial: Trial, found: Iterable[int]) -> bool:
    """Whether a finding rules the trial out (see the module doc)."""
    include, exclude = _criteria_groups(trial)
    return any(_with_broader(g) & exclude and g not in include for g in found)


def _with_broader(group: int) -> frozenset[int]:
    v = vocabulary()
    out, todo = {group}, [group]
    while todo:
        for b in v.broader.get(todo.pop(), ()):
            if b not in out:
                out.add(b)
                todo.append(b)
    return frozenset(out)


@lru_cache(maxsize=4096)
def _criteria_groups(trial: Trial) -> tuple[frozenset[int], frozenset[int]]:
    """The vocabulary groups the trial's inclusion and exclusion lines name (a "No X" line
    under inclusion is an exclusion of X)."""
    v = vocabulary()
    include: set[int] = set()
    exclude: set[int] = set()
    for sec in trial.sections:
        if not sec.name.startswith("eligibility"):
            continue
        for s, e in section_lines(sec):
            line = sec.text[s:e]
            r = role(line, sec.name, polarity_at(sec.text, s))
            side = exclude if r.polarity == EXCLUDE else include if r.polarity == INCLUDE else None
            if side is not None:
                side.update(m.term.group for m in v.find(line) if not m.term.lay)
    return frozenset(include), frozenset(exclude)
