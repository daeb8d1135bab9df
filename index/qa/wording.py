"""Casual wording read as plain English before a question's terms are read (`plain_wording`):
contractions with or without their apostrophe ("can't", "arent", "who've"), the abbreviations
that only introduce what follows ("i.e.", "e.g."), "co-administer" as one word, the hedges a
writer puts around a word ("I think", "the doctors call it") and "has got to the point where",
which says only how far something has gone, "end up getting" and "as well". None of them
names what a question asks for."""

from __future__ import annotations

import re

_CONTRACTION = re.compile(r"\b(can|won|\w+)n['’]t\b", re.I)
# Negations typed without their apostrophe ("arent", "didnt", "cant"): "not", as with it.
_BARE_NEGATION = re.compile(
    r"\b(are|is|was|were|do|does|did|have|has|had|could|would|should|must|need|ca|wo)nt\b", re.I
)
# "who've", "they're", "it'll": the verb is a stopword or a frame, not a word "ve" to search for.
_VERB_CONTRACTION = re.compile(r"\b(\w+)['’](ve|re|ll)\b", re.I)
_VERBS = {"ve": "have", "re": "are", "ll": "will"}


def _expand_contraction(m: re.Match[str]) -> str:
    word = m.group(1).lower()
    return {"can": "cannot", "won": "will not", "ca": "cannot", "wo": "will not"}.get(word, f"{m.group(1)} not")


# "co-administer" is one word ("coadminister"), not "co" (a company's "Co., Ltd.") and a verb.
_CO = re.compile(r"\bco-(?=[a-z])", re.I)
# "i.e.", "e.g.", "viz." only introduce what follows: no "e" or "g" to search for.
_ASIDE = re.compile(r"\b(?:i\.\s?e|e\.\s?g|viz)\b\.?,?", re.I)
# How sure the writer is of a word, or who uses it: "'Decompensated', I think the doctors call
# it", "what the doctors call varices", "it's called HE", "so-called".
_HEDGE = re.compile(
    r"\bI\s+(?:think|believe|guess|suppose|gather|reckon)\b"
    r"|\b(?:what\s+|as\s+)?(?:the\s+)?(?:doctors?|physicians?|medics|clinicians|specialists|they)\s+call(?:s|ed)?"
    r"(?:\s+(?:it|this|that|them))?\b"
    r"|\b(?:it|that|this)(?:['’]s|\s+is)\s+called\b|\bso[\s-]called\b"
    # who says what follows: "my sister's doctors say her liver is failing"
    r"|\b(?:(?:my|his|her|their|our|the)\s+)?(?:[\w']+\s+)?(?:doctors?|physicians?|consultants?|specialists?|gps?)"
    r"\s+(?:say|says|said|think|thinks|told\s+(?:us|me|him|her|them))(?:\s+that)?\b"
    # where the asker works: "our site population skews elderly", "my clinic's patients"
    r"|\b(?:our|my)\s+(?:site|clinic|practice|unit|ward|department|service)(?:['’]s)?(?=\s)",
    re.I,
)
# "cirrhosis that has got to the point where the liver cannot cope": how far it has gone, no term.
_POINT_WHERE = re.compile(
    r"\b(?:(?:got|gotten|getting|come|coming|gone)\s+to|reach(?:ed|es)?)\s+the\s+(?:point|stage)\s+"
    r"(?:where|that|when|at\s+which)\b",
    re.I,
)


# "he has a bad heart as well": "as well" is "also", no term.
_AS_WELL = re.compile(r"\bas\s+well\b(?!\s+as\b)", re.I)
# "could I end up getting the fake treatment": where one ends up is what one gets.
_END_UP = re.compile(r"\bend(?:s|ed|ing)?\s+up\b(?=\s+(?:getting|with|in|on|being|having|receiving|given)\b)", re.I)


def plain_wording(text: str) -> str:
    """``text`` with the casual wording of the module doc made plain (each part replaced by
    the plain words or a space)."""
    text = _CONTRACTION.sub(_expand_contraction, _ASIDE.sub(" ", text))
    text = _BARE_NEGATION.sub(_expand_contraction, text)
    text = _VERB_CONTRACTION.sub(lambda m: f"{m.group(1)} {_VERBS[m.group(2).lower()]}", text)
    text = _CO.sub("co", text)
    return _AS_WELL.sub(" ", _END_UP.sub(" ", _POINT_WHERE.sub(" ", _HEDGE.sub(" ", text))))
