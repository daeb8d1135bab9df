"""What a sentence supports, by meaning: the vocabulary, numbers in any form, the sentence's
role, and the embedding model at sentence level.

- `question_terms_text`: the question as its terms are read: lay phrases the tokenizer would
  lose rewritten ("own cells" -> "autologous"), content-less verbs dropped ("receive",
  "undergo"), numbers made comparable ("six months" -> "d182").
- `meaning_tokens`: what a sentence covers besides its own words (the other terms of the
  vocabulary groups it names, its durations and quantities as tokens); `excluded_kinds`:
  what an exclusion line covers besides (the kinds of what it excludes).
- `context_tokens` / `admissible`: a sentence's role. An inclusion line that asks for the
  absence of X ("No hepatic encephalopathy") reads as an exclusion; an exclusion supports
  only a question about what trials exclude; background ("Previous study showed ...") never
  supports a listing.
- `SentenceScorer`: the cosine of the question and each candidate sentence (the index's
  encoder: the ONNX export at query time, no torch), sentences encoded once per process.
- `meaning_score`: the decision's score for one trial, calibrated on the tuning half of the
  question set (`tests/bench/decision.py`; README "How the decision works").
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

import numpy as np

from index.facts.vocabulary import ROUTE_TERMS
from index.qa.contrast import uncontrasted
from index.results import Citation
from index.text.chunk import FIELD_WORDS
from index.text.numbers import (
    administration_tokens,
    amount_as_level,
    canonical_tokens,
    comparator_words,
    normalize_question,
    recency_tokens,
    rough_tokens,
)
from index.text.roles import (
    ANY,
    BACKGROUND,
    CRITERIA,
    EXCLUDE,
    STATED,
    Role,
    asks_giving,
    asks_negative_test,
    asks_outcome,
    question_polarity,
    role,
    strip_absence,
    strip_polarity,
)
from index.text.tokenize import tokenize
from index.text.vocabulary import vocabulary

_EXCLUDE_CONTEXT = frozenset(tokenize(FIELD_WORDS["eligibility_exclusion"])) - frozenset(
    tokenize(FIELD_WORDS["eligibility_inclusion"])
)
_INCLUDE_CONTEXT = frozenset(tokenize(FIELD_WORDS["eligibility_inclusion"])) - frozenset(
    tokenize(FIELD_WORDS["eligibility_exclusion"])
)
# "HBV-related cirrhosis" asks about HBV cirrhosis: the linking word is not a term to find.
# So does a state or selection the compound's suffix adds: "HCV-positive" patients have HCV,
# "CD133-selected" / "CD133-enriched" cells are CD133 cells; "HCV positive" written apart too.
_LINKED = re.compile(
    r"\b([\w]+)-(?i:related|associated|induced|caused|derived|based|sponsored|funded|led|positive|infected|selected"
    r"|enriched|containing|expressing)\b"
    r"|\b([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*)\s+(?i:positive|infected)\b"
)


def _unlinked(m: re.Match[str]) -> str:
    """The compound's term without its linking word, unless the vocabulary names the pair
    written apart ("CD133 positive" is a term of its own)."""
    if m.group(2) and any(x.start == 0 and x.end == len(m.group(0)) for x in vocabulary().find(m.group(0))):
        return m.group(0)
    return m.group(1) or m.group(2)


# When something happened to the patient, said vaguely ("a few weeks ago", "in 2019", "last year"):
# the story's time, not what a record says ("2 weeks ago" stays: a criterion's window may hold it).
_WHEN_IT_HAPPENED = re.compile(
    r"\b(?:a\s+few|a\s+couple\s+of|several|some|many)\s+(?:days?|weeks?|months?|years?)\s+ago\b"
    r"|\b(?:back\s+)?in\s+(?:19|20)\d\d\b|\blast\s+(?:week|month|year)\b",
    re.I,
)
# "list every study", "all the trials": which of them, not words to search for.
_EVERY_TRIAL = re.compile(r"\b(?:every|each|all(?:\s+the)?)\s+(?:trials?|stud(?:y|ies)|records?|protocols?)\b", re.I)
# "cirrhosis secondary to hepatitis B", "cirrhosis caused by HBV": the causal link between two
# terms is not a term (records write "HBV-related cirrhosis", "hepatitis B cirrhosis").
_CAUSED = re.compile(
    r"\b(?:secondary|due|related|attributable|owing)\s+to\b|\b(?:caused|induced)\s+by\b|\bresulting\s+from\b"
    r"|\bassociated\s+with\b|\bbecause\s+of\b",
    re.I,
)
# Sections that say what a trial studies and gives: never what it excludes.
_WHAT_IT_STUDIES = frozenset({"title", "official_title", "conditions", "keywords", "interventions", "arms"})
_CELL_DOSE = re.compile(r"\bcells?\b|\bMSCs?\b|/kg\b", re.I)
_DOSE_TOKENS = frozenset(tokenize("dose"))
_ROUTE_TOKENS = frozenset(tokenize("route"))
# "Which trials ...", "In which studies are ...": the frame around what is asked.
_QUESTION_FRAME = re.compile(
    r"^\s*(?:in\s+|for\s+|of\s+)?(?:which|what)\s+(?:trials?|studies|study|records?)\s+(?:are|is|do|does|did|have|has)?"
    r"|^\s*(?:are|is)\s+there\s+(?:any\s+)?(?:trials?|studies)\s+(?:that|which)?|\?\s*$",
    re.I,
)


# "which ones ...?", "- which one?" ask for trials: "one(s)" is not the number one.
_ONES = re.compile(r"\b(which|what|the|any|those)\s+ones\b|\b(which|what)\s+one\b(?!\s+of\b)", re.I)
# "the CD133 ones", "the donor ones": "ones" after other words stands for a noun already named.
_PRONOUN_ONES = re.compile(r"\bones\b", re.I)
# "X as the therapy" asks for X: the frame says only that X is what the trial gives.
_AS_TREATMENT = re.compile(r"\bas\s+(?:the\s+|a\s+|an\s+|their\s+)?(?:therapy|treatment|intervention)\b", re.I)


def question_terms_text(question: str, listing: bool = True) -> str:
    """The question as its terms are parsed (see the module doc); a listing's words that say
    which side of the criteria it asks about go too (the sentences' roles check that)."""
    v = vocabulary()
    plain = _ONES.sub(lambda m: f"{m.group(1) or m.group(2)} trials", uncontrasted(question))
    plain = amount_as_level(_AS_TREATMENT.sub(" ", _PRONOUN_ONES.sub(" ", plain)))
    plain = strip_polarity(strip_absence(plain)) if listing else plain  # before its verbs go as frames
    plain = _EVERY_TRIAL.sub(" ", _WHEN_IT_HAPPENED.sub(" ", plain))
    text = v.drop_frames(_CAUSED.sub(" ", v.rewrite(_LINKED.sub(_unlinked, plain))))
    return normalize_question(strip_polarity(text) if listing else text)


def embedding_text(question: str) -> str:
    """What is embedded for the question: without its frame ("which trials") and verbs that say nothing."""
    v = vocabulary()
    return " ".join(v.drop_frames(_QUESTION_FRAME.sub(" ", uncontrasted(question))).split())


@lru_cache(maxsize=100_000)
def meaning_tokens(sentence: str) -> frozenset[str]:
    """Tokens a sentence covers through the vocabulary and its numbers (see the module doc);
    kept per sentence, as the same sentences come back question after question."""
    numbers = canonical_tokens(sentence) | set(tokenize(comparator_words(sentence)))  # "INR>2": greater
    numbers |= administration_tokens(sentence)  # "2 doses", "at week 0, 4, 8": how many times given
    numbers |= recency_tokens(sentence) | rough_tokens(sentence)  # "within 4 weeks before ...": recent
    if any(t.startswith("q") for t in numbers) and _CELL_DOSE.search(sentence):
        numbers |= _DOSE_TOKENS  # a sentence stating a number of cells states a dose
    if any(t.pattern.search(sentence) for t in ROUTE_TERMS):
        numbers |= _ROUTE_TOKENS  # a sentence naming a route ("via peripheral vein") states the route
    return frozenset(vocabulary().sentence_tokens(sentence) | numbers)


@lru_cache(maxsize=100_000)
def excluded_kinds(sentence: str) -> frozenset[str]:
    """Tokens an exclusion line also excludes: the kinds of what it names (an exclusion of
    "severe problems" of the kidneys excludes kidney failure), `Vocabulary.narrower_tokens`."""
    return frozenset(vocabulary().narrower_tokens(sentence))


@lru_cache(maxsize=100_000)
def sentence_role(sentence: str, section: str) -> Role:
    return role(sentence, section)


def context_tokens(r: Role, context: set[str]) -> set[str]:
    """A sentence's heading and field words, turned to exclusion for an inclusion "No X" line."""
    if r.polarity == EXCLUDE and context & _INCLUDE_CONTEXT and not context & _EXCLUDE_CONTEXT:
        return (context - _INCLUDE_CONTEXT - {"inclus"}) | _EXCLUDE_CONTEXT
    return context


def admissible(
    r: Role,
    polarity: str | None,
    listing: bool,
    section: str = "",
    outcome: bool = False,
    negative: bool = False,
    giving: bool = False,
) -> bool:
    """Whether a sentence of role ``r`` (in ``section``) may support a question of
    ``polarity`` (see the module doc); what a trial measures is not whom it enrols, treats or
    excludes, and a criterion is not what it measures (``outcome``: the question asks that).
    A question that asks for a negative test itself (``negative``) is supported by the
    inclusion line that requires it. What a trial gives and how (``giving``, a question of no
    polarity) is said neither by what it measures nor by whom it takes."""
    if polarity == STATED:  # "which trial mentions that ...": whatever the record says, wherever
        return True
    if outcome and section.startswith("eligibility"):
        return False
    if giving and polarity is None and section.startswith(("outcomes", "eligibility")):
        return False
    if r.polarity == EXCLUDE:
        return polarity in (EXCLUDE, CRITERIA, ANY) or (r.negative_test and negative and polarity != EXCLUDE)
    if polarity == EXCLUDE:  # only what a trial excludes says what it excludes
        return False
    if polarity not in (None, ANY) and section.startswith("outcomes"):
        return False
    if polarity == EXCLUDE and section in _WHAT_IT_STUDIES:  # a trial of liver failure does not exclude it
        return False
    return not (listing and r.kind == BACKGROUND)


def polarity(question: str) -> str | None:
    return question_polarity(question)


class SentenceScorer:
    """Cosines of a question and sentences; sentence vectors kept in a bounded cache."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray], capacity: int = 50_000) -> None:
        self._encode = encode
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity
        self.encoded = 0  # sentences encoded so far (a cost measure)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = np.asarray(self._encode(missing), dtype=np.float32)
            with self._lock:
                self.encoded += len(missing)
                for t, v in zip(missing, vecs, strict=True):
                    self._cache[t] = v
                while len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
        with self._lock:
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 0), dtype=np.float32)

    def cosines(self, qvec: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self.vectors(texts) @ np.asarray(qvec, dtype=np.float32)


# --- the decision ---------------------------------------------------------------------------


class _HasRole(Protocol):  # an `index.qa.evidence.Candidate`
    @property
    def role(self) -> Role | None: ...

    @property
    def coverage(self) -> float: ...

    @property
    def fused(self) -> float: ...

    @property
    def citation(self) -> Citation: ...


@dataclass(frozen=True)
class Features:
    """What the decision knows of one candidate trial of a list question."""

    support: float  # lexical support, `index.qa.evidence.support` (capped at 1)
    best: float  # coverage of its best single sentence
    cosine: float  # the best cosine of its best sentences and the question (`top_cosine` when not embedded)
    top_support: float  # the best support of any trial for this question
    top_cosine: float  # the cosine of the best-supported trial (0 when nothing is embedded)


@dataclass(frozen=True)
class Decision:
    """A trial is listed when its score clears ``threshold`` and its best sentence covers at
    least ``min_best`` of the question. The score is its lexical support, less ``relative``
    times how far it falls behind the best-supported trial, plus ``semantic`` times how much
    closer (or farther) in meaning its best sentences are than the best-supported trial's.
    Calibrated on the tuning half of the question sets (`tests/bench/decision.py`)."""

    relative: float = 0.0
    semantic: float = 0.0
    threshold: float = 0.75
    min_best: float = 0.5

    def score(self, f: Features) -> float:
        s = min(f.support, 1.0)
        behind = min(f.top_support, 1.0) - s
        return s - self.relative * behind + self.semantic * (f.cosine - f.top_cosine)

    def lists(self, f: Features) -> bool:
        return f.best >= self.min_best - 1e-9 and self.score(f) >= self.threshold - 1e-9


# Calibrated by tests/bench/decision.py on the tuning halves (seeds and scale); README.
DECISION = Decision(relative=0.0, semantic=0.0, threshold=0.6, min_best=0.0)
# A lookup of a named trial ("what phase is the Xijing trial?") answers from it only when its
# sentences cover at least this much of the question; else the answer says the record does not
# state it. Tuning half: the named lookups answered right have support >= 0.37, those whose
# record does not state the thing asked (outcomes, phase, contact, results, masking) <= 0.1.
LOOKUP_MIN = 0.3
EMBED_TRIALS = 8  # trials whose sentences are embedded (the best by lexical support)
EMBED_PER_TRIAL = 3  # sentences embedded per trial (its best covering ones)
_C = TypeVar("_C", bound=_HasRole)
TraceFn = Callable[[str, Features], None]


class Judge:
    """The meaning side of one list question: which sentences may support it (their role)
    and how close in meaning the best ones are (``scorer`` and ``qvec``; without them the
    cosine is 0 and the decision is lexical)."""

    def __init__(
        self,
        question: str,
        scorer: SentenceScorer | None = None,
        encode: Callable[[str], np.ndarray] | None = None,
        decision: Decision = DECISION,
        trace: TraceFn | None = None,
    ) -> None:
        self.polarity = question_polarity(question)
        need = uncontrasted(question)  # "(not just fibrosis scoring as an outcome)" asks no outcome
        self.outcome = asks_outcome(need)
        self.negative = asks_negative_test(vocabulary().rewrite(question))  # "neg pregnancy test"
        self.giving = asks_giving(need)
        self.decision = decision
        self.scorer = scorer if (decision.semantic or trace is not None) else None
        self.qvec = encode(embedding_text(question)) if (self.scorer is not None and encode is not None) else None
        self.trace = trace

    def admissible(self, cands: Sequence[_C]) -> list[_C]:
        return [
            c
            for c in cands
            if c.role is None
            or admissible(c.role, self.polarity, True, c.citation.name, self.outcome, self.negative, self.giving)
        ]

    def cosines(self, per_trial: dict[str, list[_C]], order: Sequence[str]) -> dict[str, float]:
        """{trial: best cosine of its best sentences} for the first `EMBED_TRIALS` of ``order``."""
        if self.scorer is None or self.qvec is None:
            return {}
        picked: dict[str, list[str]] = {}
        for nct in list(dict.fromkeys(order))[:EMBED_TRIALS]:
            ranked = sorted(per_trial.get(nct, ()), key=lambda c: (-c.coverage, -c.fused))
            texts = list(dict.fromkeys(f"{c.citation.section}: {c.citation.snippet}" for c in ranked))
            picked[nct] = texts[:EMBED_PER_TRIAL]
        flat = [t for ts in picked.values() for t in ts]
        cos = self.scorer.cosines(self.qvec, flat)
        out, at = {}, 0
        for nct, ts in picked.items():
            out[nct] = float(cos[at : at + len(ts)].max()) if ts else 0.0
            at += len(ts)
        return out

    def decide(self, per_trial: dict[str, list[_C]], ranked: Sequence[tuple[str, float, float]]) -> set[str]:
        """The trials to list, from each trial's (id, support, best coverage) in rank order.

        The cosine is compared with the best-supported trial's. Only the trials whose
        decision it can change (support within ``semantic`` of the threshold) are embedded,
        with that trial; calibration (a trace) embeds the first `EMBED_TRIALS` as well."""
        if not ranked:
            return set()
        ref = max(ranked, key=lambda r: min(r[1], 1.0))[0]
        d = self.decision
        near = [n for n, s, _ in ranked if abs(min(s, 1.0) - d.threshold) < d.semantic + 1e-9]
        if self.trace is not None:
            near += [n for n, _, _ in ranked]
        cos = self.cosines(per_trial, [ref, *near])
        top_s = min(max(r[1] for r in ranked), 1.0)
        top_c = cos.get(ref, 0.0)
        out = set()
        for nct, s, b in ranked:
            f = Features(s, b, cos.get(nct, top_c), top_s, top_c)
            if self.trace is not None:
                self.trace(nct, f)
            if self.decision.lists(f):
                out.add(nct)
        return out
