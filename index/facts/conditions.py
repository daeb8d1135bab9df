"""Conditions as concepts: which condition a question asks about, and whether a trial has it.

A question names a condition concept (a MeSH heading, `index.text.vocabulary.concepts`) when it
asks for the trials of that condition: after "for", "with", "treat", "study", "after", "had"
... or before "trials" / "patients" ("Which trials treat heart attacks?", "Which liver
cirrhosis trials ...", "for diabetic patients"), not when it asks what trials exclude, and
only a concept some trial of the corpus has (any other is searched for as text).

A trial has the concept, as the registry's own search decides, when the concept is one of its
MeSH condition terms or their ancestors ("diabetes mellitus" is an ancestor of "Diabetes
Mellitus, Type 2"), or when one of its condition lines names the concept or a narrower one
(`Concepts.named_in`: how pages without MeSH, the Veeva and MedPath seeds, reach the same
concepts), or holds all the words of the concept's name. The citation is the verbatim line or
MeSH string the match comes from.
"""

from __future__ import annotations

import re

from index.facts.extract import TrialFacts, cite
from index.results import Citation
from index.text.roles import EXCLUDE, question_polarity
from index.text.tokenize import tokenize
from index.text.vocabulary.concepts import Concepts, Found, concepts

CONDITION_MESH = ("condition_mesh", "condition_ancestor")  # `Trial.mesh` names, in citing order

_WHO = r"(?:a|an|the|their|patients?|people|persons?|subjects?|participants?|adults?|children|infants?|those|who|"
_WHO += r"whose|with|had|have|has|suffering|from|diagnosed|affected|by|living|known|confirmed|established)"
# Words before a condition that say the trials are for it ("treat", "for patients with ...", "w/",
# "aimed at"), or that a patient has it ("her liver failure").
_CUE_BEFORE = re.compile(
    r"(?:\bw/|\b(?:for|with|treat|treats|treating|treatment\s+of|therapy\s+for|stud(?:y|ies|ying)|against|after|had|has|"
    r"have|suffering\s+from|diagnosed\s+with|affected\s+by|living\s+with|aimed\s+at|targets?|targeting|enrol+s?|enrol+ing"
    r"|recruits?|recruiting|accepts?|accepting"
    r"|focus(?:ed|es)?\s+on|my|his|her|their|our))\s+(?:" + _WHO + r"\s+){0,5}$",
    re.I,
)
# Words after a condition that say so ("liver cirrhosis trials", "diabetic patients", "list
# liver failure as a condition").
_CUE_AFTER = re.compile(
    r"^[\s-]*(?:trials?|studies|study|patients?|people|persons?|subjects?|participants?|adults?|children|"
    r"infants?|cases|populations?)\b|^\s+as\s+(?:a|an|the|its|their)\s+(?:\w+\s+)?(?:conditions?|diagnos[ie]s|indications?)\b"
    # the condition first, then the question about it: "Hepatic failure - which study is aimed at it?"
    r"|^\s*[-–—:,]\s*(?:which|what|any)\s+(?:\w+\s+)?(?:is|are)\s+(?:aimed\s+at|for|targeting|focused\s+on|treating)"
    r"\s+(?:it|that|this|them)\b",
    re.I,
)


# What the patients are not fit for is not their condition: "unsuitable for transplantation".
NOT_FOR = re.compile(
    r"\b(?:unsuitable|not\s+suitable|ineligible|not\s+eligible|unfit|not\s+fit|(?:not|no)\s+(?:a\s+)?candidates?"
    r"|contraindicat\w*)\s+(?:for|to)\s+(?:an?\s+|the\s+)?$",
    re.I,
)


def question_concepts(question: str, known: Concepts) -> list[Found]:
    """The condition concepts a list question asks for (see the module doc), among those some
    trial has (`Concepts.present`: a concept no trial lists is searched for as text)."""
    if question_polarity(question) == EXCLUDE:
        return []
    out = []
    for f in known.find(question):
        if f.concept in known.generic or (known.present is not None and f.concept not in known.present):
            continue
        if NOT_FOR.search(question[: f.start]):
            continue  # "unsuitable for transplantation": what the patients cannot have
        if _CUE_BEFORE.search(question[: f.start]) or _CUE_AFTER.match(question[f.end :]):
            out.append(f)
    return out


# Words before a condition that set the question against it ("liver failure rather than cirrhosis").
_AGAINST = re.compile(
    r"\b(?:rather\s+than|as\s+opposed\s+to|instead\s+of|but\s+not|and\s+not|other\s+than|excluding)"
    r"\s+(?:just\s+|only\s+|simply\s+|plain\s+)?(?:" + _WHO + r"\s+){0,3}$",
    re.I,
)


def contrasted_concepts(question: str, known: Concepts) -> list[Found]:
    """The condition concepts a list question sets its need against ("which trials study liver
    failure rather than cirrhosis?"): trials of these are not asked for."""
    if question_polarity(question) == EXCLUDE:
        return []
    return [
        f
        for f in known.find(question)
        if f.concept not in known.generic
        and (known.present is None or f.concept in known.present)
        and _AGAINST.search(question[: f.start])
    ]


def concept_of(value: str) -> str:
    """A condition as the concept it names when the whole value names one ("T2DM" ->
    "diabetes mellitus, type 2"), else the value itself, lower-cased."""
    found = concepts().find(value)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(value.strip()):
        return found[0].concept
    return value.strip().lower()


def has_condition(value: str, f: TrialFacts) -> tuple[bool | None, list[Citation]]:
    """Whether the trial has the condition ``value`` (a concept or words), with the condition
    line or MeSH string that says so; None when the record names no condition at all."""
    want = concept_of(value)
    t = f.trial
    mesh = [s for name in CONDITION_MESH for s in t.mesh_named(name)]
    if not t.conditions and not mesh:
        return None, []
    words = set(tokenize(want))
    table = concepts()

    def names(text: str) -> bool:
        return want in table.named_in(text) or (bool(words) and words <= set(tokenize(text)))

    for line in f.cite("conditions"):
        if names(line.snippet):
            return True, [line]
    for s in mesh:
        if s.text.lower() == want:
            return True, [cite(t, s, 0, len(s.text))]
    return any(names(x) for x in t.conditions), []
