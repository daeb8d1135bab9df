"""From a question to an `Answer`: validate, read constraints, find named trials,
retrieve, group by trial, decide what to list."""

from __future__ import annotations

import math
import operator
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.errors import BadQuestion
from index.facts.check import check_all
from index.facts.constraints import Constraint, parse, parse_filters
from index.facts.extract import FactIndex
from index.model import NCT_RE, Trial
from index.qa.evidence import (
    LIST_MIN_SUPPORT,
    SENTENCE_MIN,
    Candidate,
    answer_type,
    question_kind,
    sentence_candidates,
    support,
)
from index.qa.support import LOOKUP_MIN, Judge, SentenceScorer, TraceFn, question_terms_text
from index.results import Answer, CompareRow, Hit, TrialAnswer
from index.retrieval.fusion import FusionParams
from index.retrieval.search import hybrid
from index.store.backend import EmbeddedBackend
from index.text.abbrev import expansions
from index.text.numbers import words_to_digits
from index.text.tokenize import GENERIC, parse_terms, tokenize
from index.text.vocabulary import vocabulary

MAX_QUESTION_CHARS = 2000
MAX_K = 100  # the most trials one answer lists
POOL = 200  # chunks retrieved before grouping by trial
GENERIC_WEIGHT = 0.25  # "patients" in "exclude patients with HIV" says little
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 (but tab and newline), DEL, C1
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone halves: undecodable input, unencodable output
# Invisible format characters pasted from web pages and PDFs (soft hyphen, zero-width space and
# joiners, bidirectional marks and overrides, BOM): they would split or hide words.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_PAPER_WORDS = frozenset(tokenize("reference references publication publications paper papers article articles cited"))
# "which trials test X": the verb after "trials" frames the question; X is what to find.
_FRAME_VERB = re.compile(
    r"\b(trials?|studies|study)\s+(?:that\s+|which\s+)?(?:test|tests|testing|evaluate|evaluates|evaluating|assess"
    r"|assesses|investigate|investigates|examine|examines|explore|explores|look at|looks at)\b",
    re.I,
)
_COUNT = re.compile(r"^\s*how many\s+(?:\w+\s+){0,3}?(?:trials|studies)\b", re.I)
_COMPARE = re.compile(r"^\s*(?:compare|contrast|tabulate)\b", re.I)
# Words that frame a fact question rather than add text to search for.
_FACT_FRAME = frozenset(
    tokenize(
        "accept accepts accepting enroll enrolls enrolled enrolling enrol include includes including recruit "
        "recruits allow allows admit admits open take takes patients participants people subjects volunteers "
        "many number count compare contrast tabulate each all across currently still now"
    )
)


def clean_question(question: str) -> tuple[str, str | None]:
    """(usable text, message when the question cannot be answered as given)."""
    if not isinstance(question, str):
        return "", "A question must be text."
    q = _CONTROL.sub(" ", _INVISIBLE.sub("", without_surrogates(question))).strip()
    if not q:
        return "", 'Ask a question about the trials, e.g. "which trials use the hepatic artery?"'
    if len(q) > MAX_QUESTION_CHARS:
        return "", (
            f"That question is {len(q):,} characters long; ask in under {MAX_QUESTION_CHARS:,} "
            'characters, e.g. "which trials exclude HIV?"'
        )
    return q, None


def without_surrogates(text: str) -> str:
    """`text` with lone surrogates (bytes that were not UTF-8, kept by `surrogateescape`)
    replaced by U+FFFD, so it can be tokenized, encoded and printed."""
    return _SURROGATE.sub("\ufffd", text)


def check_k(k: object) -> int:
    """``k`` (the most trials an answer lists) as an int from 1 to `MAX_K`; `BadQuestion` otherwise."""
    try:
        n = operator.index(k)  # type: ignore[arg-type]
    except TypeError:
        raise BadQuestion(f"k must be a whole number from 1 to {MAX_K}, not {k!r}") from None
    if isinstance(k, bool) or not 1 <= n <= MAX_K:
        raise BadQuestion(f"k must be a whole number from 1 to {MAX_K} (the most trials to list), not {k!r}")
    return n


class Identity:
    """What the answer layer knows of each trial besides its chunks: the words that name
    it (sponsor, places: a question word names trials when few trials carry it, so
    "hospital" names none and "Xijing" names one), the abbreviations it defines, its facts
    and the corpus's condition names."""

    def __init__(
        self,
        trials: Mapping[str, Trial],
        facts: FactIndex,
        names: Sequence[Sequence[str]],
        conditions: Sequence[Sequence[str]],
    ) -> None:
        """``names`` and ``conditions``: each trial's (`index.facts.names`), in the order of
        ``trials``, as an index stores them (see `of`)."""
        self.trials = trials
        self.facts = facts
        self._abbr: dict[str, dict[str, set[str]]] = {}
        self._abbr_lock = threading.Lock()  # one index answers from many threads (Slack, servers)
        self.by_token: dict[str, set[str]] = defaultdict(set)
        for nct, toks in zip(trials, names, strict=True):
            for tok in toks:
                self.by_token[tok].add(nct)
        self.limit = max(1, int(0.02 * len(trials)))
        self.condition_names = {c for cs in conditions for c in cs}

    @classmethod
    def of(cls, backend: EmbeddedBackend) -> Identity:
        """The identity of an index's trials from what its build stored: no trial is parsed."""
        stored = backend.names()
        trials = backend.trials()
        return cls(trials, FactIndex(trials, load=backend.facts_of), stored["names"], stored["conditions"])

    def expansions(self, nct: str) -> dict[str, set[str]]:
        """Abbreviations the trial defines, computed once per trial."""
        found = self._abbr.get(nct)
        if found is None:
            with self._abbr_lock:
                found = self._abbr.get(nct)
                if found is None:
                    t = self.trials.get(nct)
                    found = self._abbr[nct] = expansions(t) if t else {}
        return found

    def named(self, groups: list[tuple[str, ...]]) -> tuple[set[str], set[int]]:
        hits: set[str] | None = None
        used: set[int] = set()
        for i, g in enumerate(groups):
            owners = self.by_token.get(g[0], set())
            if 0 < len(owners) <= self.limit:
                hits = set(owners) if hits is None else (hits & owners or hits)
                used.add(i)
        return hits or set(), used


@dataclass
class _Ranked:
    answer: TrialAnswer
    support: float
    best: float
    listed: bool = False  # a list question's decision (`index.qa.support.Judge`)


@dataclass
class _Context:
    backend: EmbeddedBackend
    encode: Callable[[str], np.ndarray]
    identity: Identity
    fusion: FusionParams
    k: int
    t0: float
    scorer: SentenceScorer | None = None
    trace: TraceFn | None = None

    def ms(self) -> float:
        return (time.perf_counter() - self.t0) * 1000


def ask(
    backend: EmbeddedBackend,
    encode: Callable[[str], np.ndarray],
    identity: Identity,
    question: str,
    k: int = 10,
    fusion: FusionParams | None = None,
    filters: Sequence[str] | str | None = None,
    scorer: SentenceScorer | None = None,
    trace: TraceFn | None = None,
) -> Answer:
    """Answer ``question``. ``scorer`` embeds candidate sentences for the decision by meaning;
    ``trace`` is called with each list candidate's (trial, support, best, cosine) (calibration)."""
    t0 = time.perf_counter()
    n_k = check_k(k)
    q, message = clean_question(question)
    if message:
        return Answer(
            question=without_surrogates(question) if isinstance(question, str) else "",
            trials=(),
            no_answer=True,
            message=message,
        )
    try:
        explicit = parse_filters(filters)
    except ValueError as exc:
        raise BadQuestion(str(exc)) from None
    ctx = _Context(backend, encode, identity, fusion or FusionParams(), n_k, t0, scorer, trace)
    found, rest = parse(words_to_digits(q), identity.condition_names)
    constraints = explicit + found
    mode = "count" if _COUNT.search(q) else "compare" if _COMPARE.search(q) else question_kind(q)
    if constraints or mode in ("count", "compare"):
        return _fact_answer(ctx, q, rest, constraints, mode)
    return _text_answer(ctx, q)


def _text_answer(ctx: _Context, q: str) -> Answer:
    trials = ctx.backend.trials()
    kind = question_kind(q)
    atype = answer_type(q) if kind == "lookup" else None
    groups, links = parse_terms(_FRAME_VERB.sub(r"\1", question_terms_text(q, listing=kind == "list")))
    restrict: set[str] = set()
    named_ids = {m.upper() for m in NCT_RE.findall(q.upper())}
    if named_ids:
        missing = sorted(named_ids - trials.keys())
        restrict = named_ids & trials.keys()
        if not restrict:
            return _none(q, ctx, f"{', '.join(missing)} is not in this index ({len(trials)} trials).")
        groups, links = _drop(groups, links, {i for i, g in enumerate(groups) if NCT_RE.fullmatch(g[0].upper())})
    else:
        named, used = ctx.identity.named(groups)
        if named and kind == "lookup":
            restrict = named
            groups, links = _drop(groups, links, used)
    if not groups and not restrict:
        return _none(
            q,
            ctx,
            'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"',
        )
    ranked = _rank(ctx, q, groups, links, atype, restrict or None, across_sections=kind == "lookup")
    k = ctx.k
    if restrict and not groups:  # "tell me about NCT..." : the named trial, best passages
        listed = ranked[:k]
    elif kind == "lookup":
        named_min = LOOKUP_MIN if groups else 0.0  # a named record that does not state it: say so
        listed = [r for r in ranked if r.support >= (named_min if restrict else SENTENCE_MIN)][:1]
        listed += [r for r in ranked[1:] if r.support >= LIST_MIN_SUPPORT and r not in listed][: k - 1]
    else:
        listed = [r for r in ranked if r.listed][:k]
    more = tuple(r.answer for r in ranked if r not in listed)[:k]
    if not listed:
        return Answer(
            question=q,
            trials=(),
            no_answer=True,
            kind=kind,
            more=more,
            elapsed_ms=ctx.ms(),
            message=_not_stated(restrict) if restrict and kind == "lookup" else "No trial in the corpus supports this.",
        )
    return Answer(
        question=q, trials=tuple(r.answer for r in listed), no_answer=False, kind=kind, more=more, elapsed_ms=ctx.ms()
    )


def _rank(
    ctx: _Context,
    q: str,
    groups: list[tuple[str, ...]],
    links: set[tuple[int, int]],
    atype: str | None,
    restrict: set[str] | None,
    across_sections: bool,
) -> list[_Ranked]:
    """Retrieve chunks (within ``restrict`` trials when given) and rank trials by support."""
    backend = ctx.backend
    n = max(backend.n_chunks, 1)
    weights = [_weight(backend, g, n) for g in groups]
    tokens = [t for g in groups for t in g]
    tokens += vocabulary().query_tokens(q, known=backend.bm25.vocab.__contains__)  # no "kidney": "renal"
    rows = backend.rows_of_trials(restrict) if restrict is not None else None
    if rows is not None and not len(rows):
        return []
    hits = hybrid(backend, tokens, ctx.encode(q), POOL, ctx.fusion, pool=POOL, rows=rows)
    judge = None if across_sections else Judge(q, ctx.scorer, ctx.encode, trace=ctx.trace)
    return _rank_trials(hits, groups, links, weights, atype, ctx.identity, across_sections, judge)


def _fact_answer(ctx: _Context, q: str, rest: str, constraints: list[Constraint], mode: str) -> Answer:
    trials = ctx.backend.trials()
    facts = ctx.identity.facts
    matched: dict[str, list] = {}
    left_out = 0
    for nct in trials:
        ok, cites = check_all(constraints, facts[nct])
        if ok:
            matched[nct] = cites
        elif ok is None:
            left_out += 1
    labels = [c.label for c in constraints]
    facts_part = {"constraints": tuple(labels), "left_out": left_out}
    groups, links = parse_terms(_FRAME_VERB.sub(r"\1", question_terms_text(rest)))
    keep = {i for i, g in enumerate(groups) if g[0] not in _FACT_FRAME}
    groups, links = _drop(groups, links, set(range(len(groups))) - keep)
    if mode == "compare":
        return _compare(ctx, q, matched if constraints else {n: [] for n in trials}, facts_part)
    if groups:  # text to search for among the trials that satisfy the constraints
        ranked = _rank(ctx, rest or q, groups, links, None, set(matched), across_sections=False)
        passing = [r for r in ranked if r.listed]
        answers = [_with_citations(r.answer, matched[r.answer.nct_id], first=False) for r in passing]
    else:
        answers = [_fact_trial(facts[n].trial, cites) for n, cites in matched.items()]
    count = len(answers) if mode == "count" else None
    understood = " · ".join(labels)
    plural = "s" if left_out != 1 else ""
    note = f" ({left_out} trial{plural} left out: the record does not state it)" if left_out else ""
    if not answers:
        return Answer(
            question=q,
            trials=(),
            no_answer=True,
            kind=mode,
            elapsed_ms=ctx.ms(),
            count=count,
            message=f"No trial in the corpus matches {understood or 'this'}{note}.",
            **facts_part,
        )
    shown = answers if mode == "count" else answers[: ctx.k]
    message = f"Understood: {understood}{note}." if understood else None
    if mode == "count":
        message = f"{len(answers)} trial{'s' if len(answers) != 1 else ''} match {understood}{note}."
    return Answer(
        question=q,
        trials=tuple(shown),
        no_answer=False,
        kind=mode,
        elapsed_ms=ctx.ms(),
        message=message,
        count=count,
        more=tuple(answers[len(shown) :]),
        **facts_part,
    )


def _fact_trial(t: Trial, cites: list) -> TrialAnswer:
    return TrialAnswer(
        nct_id=t.nct_id,
        title=t.title,
        url=t.url,
        score=1.0,
        citations=tuple(cites),
        support=1.0,
        last_update=t.last_update,
    )


def _with_citations(a: TrialAnswer, cites: list, first: bool) -> TrialAnswer:
    extra = tuple(c for c in cites if c not in a.citations)
    return TrialAnswer(
        a.nct_id,
        a.title,
        a.url,
        a.score,
        (extra + a.citations) if first else (a.citations + extra),
        a.support,
        a.last_update,
    )


_COMPARE_FIELDS = (
    ("dose", re.compile(r"\bdos(?:e|es|age|ing)\b|\bhow (?:much|many cells)\b", re.I)),
    ("age", re.compile(r"\bages?\b|\bage ranges?\b", re.I)),
    ("enrollment", re.compile(r"\benrol|\bsizes?\b|\bnumber of (?:patients|participants)\b", re.I)),
    ("status", re.compile(r"\bstatus(?:es)?\b", re.I)),
    ("phase", re.compile(r"\bphases?\b", re.I)),
    ("masking", re.compile(r"\bmasking\b|\bblind", re.I)),
    ("allocation", re.compile(r"\ballocation\b|\brandomi", re.I)),
    ("route", re.compile(r"\broutes?\b|\bdeliver|\badminist", re.I)),
    ("source", re.compile(r"\bsources?\b|\bcell types?\b", re.I)),
)


def _compare(ctx: _Context, q: str, matched: dict[str, list], facts_part: dict[str, Any]) -> Answer:
    field = next((name for name, rx in _COMPARE_FIELDS if rx.search(q)), None)
    if field is None:
        names = ", ".join(n for n, _ in _COMPARE_FIELDS)
        return _none(q, ctx, f'Say what to compare: one of {names} (e.g. "compare the cell doses").')
    rows: list[CompareRow] = []
    answers: list[TrialAnswer] = []
    missing = 0
    for nct in matched:
        value, cites = _compare_value(ctx.identity.facts[nct], field)
        if value is None:
            missing += 1
            continue
        c0 = cites[0] if cites else None
        rows.append(CompareRow(nct, ctx.identity.facts[nct].trial.title, value, c0))
        answers.append(_fact_trial(ctx.identity.facts[nct].trial, cites))
    table = {"table": tuple(rows), "compared": field, "not_stated": missing}
    if not rows:
        return Answer(
            question=q,
            trials=(),
            no_answer=True,
            kind="compare",
            elapsed_ms=ctx.ms(),
            message=f"No trial in the corpus states its {field}.",
            **facts_part,
            **table,
        )
    msg = f"{field.capitalize()} of {len(rows)} trial{'s' if len(rows) != 1 else ''}" + (
        f"; {missing} do not state it." if missing else "."
    )
    return Answer(
        question=q,
        trials=tuple(answers),
        no_answer=False,
        kind="compare",
        elapsed_ms=ctx.ms(),
        message=msg,
        **facts_part,
        **table,
    )


def _compare_value(f, field: str) -> tuple[str | None, list]:
    t = f.trial
    if field == "dose":
        if not f.doses:
            return None, []
        ranked = sorted(f.doses, key=lambda d: (d[1].name not in ("arms", "interventions"), -len(d[0])))
        return ranked[0][0], [ranked[0][1]]
    if field == "age":
        if t.min_age_years is None and t.max_age_years is None:
            return None, []
        lo = f"{t.min_age_years:g}" if t.min_age_years is not None else "any"
        hi = f"{t.max_age_years:g}" if t.max_age_years is not None else "no maximum"
        return f"{lo} to {hi} years", f.cite("age")
    if field in ("route", "source"):
        found = f.routes if field == "route" else f.sources
        if not found:
            return None, []
        return ", ".join(found), list(found.values())
    value = {
        "enrollment": t.enrollment,
        "status": t.status,
        "phase": ", ".join(t.phases) or None,
        "masking": t.masking,
        "allocation": t.allocation,
    }[field]
    if value is None:
        return None, []
    return str(value), f.cite(field)


def _not_stated(ncts: set[str]) -> str:
    names = ", ".join(sorted(ncts))
    return (
        f"The record of {names} does not state this."
        if len(ncts) == 1
        else f"The records of {names} do not state this."
    )


def _none(q: str, ctx: _Context, message: str) -> Answer:
    return Answer(question=q, trials=(), no_answer=True, message=message, elapsed_ms=ctx.ms())


def _weight(backend: EmbeddedBackend, group: tuple[str, ...], n: int) -> float:
    """A term group's weight: the idf of its rarest form; unknown terms weigh the most."""
    known = [backend.idf(t) for t in group if t in backend.bm25.vocab]
    w = max(known) if known else math.log(n + 1)
    return w * GENERIC_WEIGHT if group[0] in GENERIC else w


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
    judge: Judge | None = None,
) -> list[_Ranked]:
    trials = identity.trials
    per: dict[str, list[Candidate]] = defaultdict(list)
    best_fused: dict[str, float] = {}
    asks_for_papers = any(g[0] in _PAPER_WORDS for g in groups)
    for h in hits:
        if h.chunk.section == "references" and not asks_for_papers:
            continue  # a reference reports another study, not what this trial does
        nct = h.chunk.nct_id
        per[nct].extend(sentence_candidates(h, groups, weights, atype, identity.expansions(nct)))
        best_fused[nct] = max(best_fused.get(nct, 0.0), h.score)
    if judge is not None:  # a listing: only sentences whose role fits the question support it
        per = defaultdict(list, {nct: judge.admissible(cands) for nct, cands in per.items()})
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
            last_update=t.last_update if t else None,
        )
        out.append(_Ranked(ans, value, best))
    out.sort(key=lambda r: (-r.answer.score, r.answer.nct_id))
    if judge is not None:
        chosen_ids = judge.decide(per, [(r.answer.nct_id, r.support, r.best) for r in out])
        for r in out:
            r.listed = r.answer.nct_id in chosen_ids
    return out
