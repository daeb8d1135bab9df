"""Questions that name alternatives: "which trials exclude alcohol-related cirrhosis or
alcohol misuse?" is supported by a trial that excludes either. The question is read once per
alternative, with the words around them: the same frame, one conjunct each."""

from __future__ import annotations

import re

from index.qa.support import SLASH_OR, uncontrasted
from index.text.tokenize import ENGLISH_STOPWORDS
from index.text.vocabulary import vocabulary

_OR = re.compile(r"\s+or\s+", re.I)
_CLAUSE_END = re.compile(r"[,;:?!()]|\s[-–—]\s|\s+(?:and|who|which|that|but)\s+", re.I)
_WORD = re.compile(r"\S+")
# A phrase after the second conjunct that both conjuncts share ("X or Y cutoffs in the criteria").
_SHARED = re.compile(r"(?<=\S)\s+(?:in|as|among|across|at|during)\s+", re.I)
# Verbs a question frames its conjuncts with ("exclude X or Y"): a conjunct stops before them.
_VERB_WORDS = (
    "exclude excludes excluding exclusion include includes including inclusion enrol enroll enrols enrolls enrolling "
    "recruit recruits recruiting accept accepts accepting allow allows admit admits take takes treat treats treating "
    "study studies studying test tests testing measure measures measuring assess assesses compare compares "
    "require requires requiring need needs want wants ban bans bar bars "
    "rule turn shut keep excluded included required accepted allowed enrolled recruited measured tested treated "
    "studied banned barred needed wanted screen screens reject rejects "
    "away out"  # the particle of a phrasal verb: "turn away X or Y", "rule out X or Y"
)
_VERBS = frozenset(_VERB_WORDS.split())


def alternatives(question: str) -> list[str]:
    """The question once per alternative when it joins two with "or" (at most one "or"
    read; [] when it has none or its sides cannot be told apart), or two words with a slash
    (each in the other's place)."""
    slash = SLASH_OR.search(question)
    if slash:  # "mesenchymal stromal/stem cell studies": one word or the other, in the same phrase
        a, b = slash.group(1), slash.group(2)
        return [uncontrasted(f"{question[: slash.start()]}{w}{question[slash.end() :]}") for w in (a, b)]
    question = uncontrasted(question)
    m = _OR.search(question)
    if m is None or "either" in question[: m.start()].lower().split():
        return []
    left, right = question[: m.start()], question[m.end() :]
    end = _CLAUSE_END.search(right)
    cut = end.start() if end else len(right)
    verb = next((w.start() for w in _WORD.finditer(right[:cut]) if w.group(0).lower() in _VERBS), None)
    cut = verb if verb else cut
    shared = _SHARED.search(right[:cut])  # "INR or PT cutoffs in the exclusion criteria": "in ..." is both's
    cut = shared.start() if shared else cut
    y_text, tail = right[:cut].rstrip(), right[cut:]
    tail = tail if tail[:1] in ("", "?", ",", ";", ":", "!", ")", "(") else " " + tail.lstrip()
    y_words = _WORD.findall(y_text)
    left_words = [(w.start(), w.group(0)) for w in _WORD.finditer(left)]
    run = 0
    for _, w in reversed(left_words):
        bare = w.lower().strip(".,;:'\"")
        if bare in ENGLISH_STOPWORDS or bare in _VERBS or bare in vocabulary().frames:
            break
        run += 1
    if not y_words or not run:
        return []
    x_start = left_words[-run][0]
    frame = left[:x_start]
    return [f"{left}{tail}", f"{frame}{y_text}{tail}"]
