"""From a question to an `Answer`: validate, find named trials, retrieve, group, decide."""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from index.abbrev import expansions
from index.answer import (
    LIST_MIN_SUPPORT,
    SENTENCE_MIN,
    Answer,
    Candidate,
    TrialAnswer,
    answer_type,
    question_kind,
    sentence_candidates,
    support,
)
from index.fusion import FusionParams
from index.model import Trial
from index.readers.normalize import NCT_RE
from index.search import Hit, hybrid
from index.store import EmbeddedBackend
from index.tokenize import GENERIC, parse_terms, tokenize

MAX_QUESTION_CHARS = 2000
POOL = 200
GENERIC_WEIGHT = (
    0.25  # "patients" in "exclude patients with HIV" says little  # chunks retrieved before grouping by trial
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_question(question: str) -> tuple[str, str | None]:
    """(usable text, message when the question cannot be answered as given)."""
    if not isinstance(question, str):
        return "", "A question must be text."
    q = _CONTROL.sub(" ", question).strip()
    if not q:
        return "", 'Ask a question about the trials, e.g. "which trials use the hepatic artery?"'
    if len(q) > MAX_QUESTION_CHARS:
        return "", (
            f"That question is {len(q):,} characters long; ask in under {MAX_QUESTION_CHARS:,} "
            'characters, e.g. "which trials exclude HIV?"'
        )
    return q, None


class Identity:
    """Words that name a trial: its sponsor, places and acronyms. A question word names
    trials when few trials carry it (so "hospital" names none, "Xijing" names one)."""

    def __init__(self, trials: dict[str, Trial]) -> None:
        self.trials = trials
        self._abbr: dict[str, dict[str, set[str]]] = {}
        self.by_token: dict[str, set[str]] = defaultdict(set)
        for nct, t in trials.items():
            text = " ".join([t.sponsor or "", *t.locations])
            for tok in set(tokenize(text)):
                self.by_token[tok].add(nct)
        self.limit = max(1, int(0.02 * len(trials)))

    def expansions(self, nct: str) -> dict[str, set[str]]:
        """Abbreviations the trial defines, computed once per trial."""
        if nct not in self._abbr:
            t = self.trials.get(nct)
            self._abbr[nct] = expansions(t) if t else {}
        return self._abbr[nct]

    def named(self, groups: list[tuple[str, ...]]) -> tuple[set[str], set[int]]:
        hits: set[str] | None = None
        used: set[int] = set()
        for i, g in enumerate(groups):
            owners = self.by_token.get(g[0], set())
            if 0 < len(owners) <= self.limit:
                hits = set(owners) if hits is None else (hits & owners or hits)
                used.add(i)
        return hits or set(), used


def ask(
    backend: EmbeddedBackend,
    encode: Callable[[str], np.ndarray],
    identity: Identity,
    question: str,
    k: int = 10,
    fusion: FusionParams | None = None,
) -> Answer:
    t0 = time.perf_counter()
    q, message = clean_question(question)
    if message:
        return Answer(
            question=question if isinstance(question, str) else "", trials=(), no_answer=True, message=message
        )
    k = max(1, min(int(k), 100))
    trials = backend.trials()
    kind = question_kind(q)
    atype = answer_type(q) if kind == "lookup" else None
    groups, links = parse_terms(q)
    restrict: set[str] = set()
    named_ids = {m.upper() for m in NCT_RE.findall(q.upper())}
    if named_ids:
        missing = sorted(named_ids - trials.keys())
        restrict = named_ids & trials.keys()
        if not restrict:
            return _none(q, t0, f"{', '.join(missing)} is not in this index ({len(trials)} trials).")
        groups, links = _drop(groups, links, {i for i, g in enumerate(groups) if NCT_RE.fullmatch(g[0].upper())})
    else:
        named, used = identity.named(groups)
        if named and kind == "lookup":
            restrict = named
            groups, links = _drop(groups, links, used)
    if not groups and not restrict:
        return _none(
            q,
            t0,
            'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"',
        )
    n = max(backend.n_chunks, 1)
    weights = [_weight(backend, g, n) for g in groups]
    tokens = [t for g in groups for t in g]
    qvec = encode(q)
    rows = None
    if restrict:
        rows = [i for i, c in enumerate(backend.chunks()) if c.nct_id in restrict]
    hits = hybrid(backend, tokens, qvec, POOL, fusion or FusionParams(), pool=POOL, rows=rows)
    ranked = _rank_trials(hits, groups, links, weights, atype, identity, across_sections=kind == "lookup")
    if restrict and not groups:  # "tell me about NCT..." : the named trial, best passages
        listed = ranked[:k]
    elif kind == "lookup":
        listed = [r for r in ranked if r.support >= SENTENCE_MIN][:1] if not restrict else ranked[:1]
        listed += [r for r in ranked[1:] if r.support >= LIST_MIN_SUPPORT and r not in listed][: k - 1]
    else:
        listed = [r for r in ranked if r.support >= LIST_MIN_SUPPORT and r.best >= SENTENCE_MIN][:k]
    more = tuple(r.answer for r in ranked if r not in listed)[:k]
    ms = (time.perf_counter() - t0) * 1000
    if not listed:
        return Answer(
            question=q,
            trials=(),
            no_answer=True,
            kind=kind,
            more=more,
            elapsed_ms=ms,
            message="No trial in the corpus supports this.",
        )
    return Answer(
        question=q, trials=tuple(r.answer for r in listed), no_answer=False, kind=kind, more=more, elapsed_ms=ms
    )


def _none(q: str, t0: float, message: str) -> Answer:
    return Answer(question=q, trials=(), no_answer=True, message=message, elapsed_ms=(time.perf_counter() - t0) * 1000)


def _weight(backend: EmbeddedBackend, group: tuple[str, ...], n: int) -> float:
    """A term group's weight: the idf of its rarest form; unknown terms weigh the most."""
    known = [backend.idf(t) for t in group if t in backend.bm25.vocab]
    w = max(known) if known else math.log(n + 1)
    return w * GENERIC_WEIGHT if group[0] in GENERIC else w


class _Ranked:
    def __init__(self, answer: TrialAnswer, support: float, best: float) -> None:
        self.answer = answer
        self.support = support
        self.best = best


def _drop(
    groups: list[tuple[str, ...]], links: set[tuple[int, int]], drop: set[int]
) -> tuple[list[tuple[str, ...]], set[tuple[int, int]]]:
    """Remove groups by index, renumbering the phrase links among the rest."""
    keep = [i for i in range(len(groups)) if i not in drop]
    new = {old: n for n, old in enumerate(keep)}
    return [groups[i] for i in keep], {(new[a], new[b]) for a, b in links if a in new and b in new}


def _rank_trials(
    hits: list[Hit],
    groups: list[tuple[str, ...]],
    links: set[tuple[int, int]],
    weights: list[float],
    atype: str | None,
    identity: Identity,
    across_sections: bool,
) -> list[_Ranked]:
    trials = identity.trials
    per: dict[str, list[Candidate]] = defaultdict(list)
    best_fused: dict[str, float] = {}
    for h in hits:
        nct = h.chunk.nct_id
        per[nct].extend(sentence_candidates(h, groups, weights, atype, identity.expansions(nct)))
        best_fused[h.chunk.nct_id] = max(best_fused.get(h.chunk.nct_id, 0.0), h.score)
    out: list[_Ranked] = []
    for nct, cands in per.items():
        value, best, chosen = support(cands, weights, across_sections, links)
        if atype is not None:
            typed = [c for c in cands if c.typed]
            typed.sort(key=lambda c: (-c.coverage, -c.fused))
            if typed:
                first = typed[0]
                chosen = [first, *[c for c in chosen if c is not first][:2]]
                value += 0.1
        t = trials.get(nct)
        score = 0.8 * min(value, 1.0) + 0.2 * best_fused[nct]
        ans = TrialAnswer(
            nct_id=nct,
            title=t.title if t else nct,
            url=t.url if t else f"https://clinicaltrials.gov/study/{nct}",
            score=score,
            citations=tuple(c.citation for c in chosen),
            support=value,
        )
        out.append(_Ranked(ans, value, best))
    out.sort(key=lambda r: (-r.answer.score, r.answer.nct_id))
    return out
