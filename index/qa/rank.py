"""Retrieve chunks for a question's terms and rank the trials they come from by how well
their sentences support it (`index.qa.evidence`)."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from index.qa.context import Context
from index.qa.evidence import Candidate, arm_description, sentence_candidates, support
from index.qa.identity import Identity
from index.qa.phrases import Phrase, question_phrases
from index.qa.question import AnswerType, Groups, Links, asks_for_papers
from index.qa.support import Judge, admissible, embedding_text, question_terms_text
from index.qa.value_kinds import home_section
from index.results import Hit, TrialAnswer
from index.retrieval.backend import PrefetchesTrials, SearchBackend
from index.retrieval.search import hybrid
from index.text.roles import (
    BACKGROUND,
    DESIGN,
    EXCLUDE,
    INCLUDE,
    Role,
    asks_outcome,
    defined_subject,
    question_polarity,
)
from index.text.tokenize import ALONE, CURRENT, EARLIER, GENERIC, VAGUE, tokenize, words
from index.text.vocabulary import vocabulary

POOL = 200  # chunks retrieved before grouping by trial
LIGHT = GENERIC | VAGUE | EARLIER | CURRENT | ALONE  # the words `weight` weighs a quarter
GENERIC_WEIGHT = 0.25  # "patients" in "exclude patients with HIV", "problems" in "bleeding problems" say little
TYPED_BONUS = 0.1  # a lookup's trial that states the kind of value asked for
# A list question that nothing supports is asked again without the words no record contains
# and the vocabulary does not know, when the question without them means nearly the same
# (cosine of the two at least this): "HIV positive", "w/ placebo", "had albumin recently".
# Calibrated on tuning questions (README, "How the decision works"): such words scored
# 0.94-0.99, content words no record has ("intrathecally", "diabetes", "children",
# "alcoholic") 0.07-0.84.
IDLE_COSINE = 0.93
# Words that state amounts and bounds: records state them otherwise ("twice": "2 doses").
_AMOUNT_WORDS = frozenset(
    tokenize(
        "once twice thrice per every each least most more less fewer than over under above below many much few "
        "half quarter double triple dozen single multiple several"
    )
)


@dataclass
class Ranked:
    answer: TrialAnswer
    support: float
    best: float
    listed: bool = False  # a list question's decision (`index.qa.support.Judge`)
    typed: bool = False  # a lookup's trial states the kind of value asked for
    plainly: bool = False  # ... and states it plainly (an arm's own count, not only the total)
    covered: frozenset[int] = frozenset()  # the term groups any of its admissible sentences covers


def rank(
    ctx: Context,
    q: str,
    groups: Groups,
    links: Links,
    atype: AnswerType | None,
    restrict: set[str] | None,
    across_sections: bool,
    describing: bool = False,
    pool: int = POOL,
    judged: str | None = None,
) -> list[Ranked]:
    """Retrieve chunks (within ``restrict`` trials when given) and rank trials by support.
    ``describing``: the words describe a trial ("the liver failure one"), so only what the
    trial itself does supports them, not its background or what it excludes. ``pool``: the
    chunks retrieved. ``judged``: the question whose side of the criteria the sentences'
    roles are checked against, when ``q`` is only what is left of it ("recruiting" read as
    a status still says the question asks whom trials enrol)."""
    backend = ctx.backend
    n = max(backend.n_chunks, 1)
    weights = kind_heads([weight(backend, g, n) for g in groups], groups, links)
    tokens = [t for g in groups for t in g]
    tokens += vocabulary().query_tokens(q, known=lambda t: backend.idf(t) > 0)  # no "kidney" in the corpus: "renal"
    rows: Any = backend.rows_of_trials(restrict) if restrict is not None else None  # hybrid takes any int rows
    if rows is not None and not len(rows):
        return []
    hits = hybrid(backend, tokens, ctx.encode(q), pool, ctx.fusion, pool=pool, rows=rows)
    if isinstance(backend, PrefetchesTrials):  # their titles and abbreviations are read below
        backend.prefetch_trials({h.chunk.nct_id for h in hits})
    judge = None if across_sections else Judge(judged or q, ctx.scorer, ctx.encode, trace=ctx.trace)
    if describing:
        return rank_trials(hits, groups, links, weights, atype, ctx.identity, True, describing=True)
    phrases = question_phrases(question_terms_text(q), groups) if judge is not None else []
    asked = (judged or q) if across_sections else None
    return rank_trials(
        hits, groups, links, weights, atype, ctx.identity, across_sections, judge, phrases=phrases, asked=asked
    )


def criteria_first(cands: list[Candidate], question: str, atype: AnswerType | None) -> list[Candidate]:
    """A lookup about a criterion ("the albumin washout rule in the Haikou trial", "what must
    patients have had before entry"): what the trial measures does not answer it, when
    another of its sentences is at hand ("Number of Participants with abnormal albumin" is an
    outcome, "Use of human serum albumin within 3 weeks prior to clinical registration" the rule)."""
    if atype == "outcome" or asks_outcome(question) or question_polarity(question) is None:
        return cands
    kept = [c for c in cands if not c.citation.name.startswith("outcomes")]
    return kept if any(c.coverage > 0 for c in kept) else cands


def idle_words(ctx: Context, q: str, groups: Groups, unmet: frozenset[int] = frozenset()) -> set[int]:
    """The groups whose words no record contains (or, ``unmet``, no sentence of a candidate
    trial that may support the question covers), the vocabulary does not know, and the
    question barely needs: without them it means nearly the same (`IDLE_COSINE`). Only words
    as the question writes them: not number, duration or comparison tokens, which records
    state in other words."""
    backend, v = ctx.backend, vocabulary()
    # the words the vocabulary knows: its one-word terms, and the words of a longer term the
    # question names whole ("healthy volunteers": neither word is idle there)
    known = v.term_tokens | {t for m in v.find(q) if not m.term.lay for t in tokenize(m.term.text)}
    unknown = [
        i
        for i, g in enumerate(groups)
        if g[0].isalpha()
        and g[0] not in _AMOUNT_WORDS
        and (i in unmet or all(backend.idf(t) == 0.0 for t in g))
        and not any(t in known for t in g)
    ]
    if not unknown:
        return set()
    text = embedding_text(q)
    base = ctx.encode(text)
    out = set()
    for i in unknown:
        forms = set(groups[i])
        without = " ".join(_without(text, forms).split())
        if without and without != " ".join(text.split()) and float(np.dot(base, ctx.encode(without))) >= IDLE_COSINE:
            out.add(i)
    return out


def _without(text: str, forms: set[str]) -> str:
    """``text`` with the words whose token is one of ``forms`` cut out."""
    parts, at = [], 0
    for a, b, tok in words(text):
        if tok in forms:
            parts.append(text[at:a])
            at = b
    return "".join(parts) + text[at:]


# Head nouns that leave the kind to the words before them: "autologous cell therapy", "BM cell
# therapy" ask for those cells, whose trials all give a therapy; in "cell therapy plus standard
# care" or "6 mo therapy" the therapy itself is asked for.
KIND_HEADS = frozenset(["therapi"])


def _words_before(i: int, groups: Groups, links: Links) -> int:
    """How many words run up to group ``i`` in the question (linked, next to each other)."""
    n = 0
    while (before := next((a for a, b in links if b == i and groups[a][0].isalpha()), None)) is not None:
        n, i = n + 1, before
        if n > len(groups):
            break
    return n


def kind_heads(weights: list[float], groups: Groups, links: Links) -> list[float]:
    """``weights`` with a `KIND_HEADS` word after two words of the question (a kind of a kind),
    or a `GIVING_ACTS` word after a route (`ROUTE_WORDS`: "intra-arterial injection"), weighed as
    a vague head noun (`GENERIC_WEIGHT`)."""
    return [
        w * GENERIC_WEIGHT
        if (groups[i][0] in KIND_HEADS and _words_before(i, groups, links) >= 2)
        or (groups[i][0] in GIVING_ACTS and any(b == i and _is_route(groups[a]) for a, b in links))
        else w
        for i, w in enumerate(weights)
    ]


# How a route's treatment is given: after a route ("intraportal injection", "IV infusion") it
# says only that the cells are given so, as a record's "via portal vein" does.
GIVING_ACTS = frozenset(tokenize("injection injections infusion infusions delivery administration transfusion"))


ROUTE_WORDS = frozenset(
    tokenize(
        "intra-arterial intraarterial arterial artery intraportal portal vein venous intravenous intrahepatic "
        "intrasplenic subcutaneous intramuscular intrathecal intracoronary peripheral oral"
    )
)


def _is_route(group: tuple[str, ...]) -> bool:
    """Whether a term group names a route of giving the cells ("intra-arterial", "portal vein")."""
    return any(t in ROUTE_WORDS for t in group)


def weight(backend: SearchBackend, group: tuple[str, ...], n: int) -> float:
    """A term group's weight: the idf of its rarest form; a term no record writes weighs as
    the vocabulary's other words for it do ("pts": "patients"), else the most; a word for
    people, a vague head noun, a word placing treatment before entry or a condition now, or
    "alone" (`LIGHT`: `GENERIC`, `VAGUE`, `EARLIER`, `CURRENT`, `ALONE`) a quarter of that."""
    known = [w for w in (backend.idf(t) for t in group) if w != 0.0]
    generic = group[0] in LIGHT
    if not known:
        same = vocabulary().equivalents(group[0])
        known = [w for w in (backend.idf(t) for t in same) if w != 0.0]
        generic = generic or bool(same & GENERIC)
    w = max(known) if known else math.log(n + 1)
    return w * GENERIC_WEIGHT if generic else w


def _order(atype: AnswerType, c: Candidate) -> tuple[float]:
    """Among equally plain sentences, outcomes in record order (the first primary outcome
    first), other values by their chunk's retrieval score."""
    return (float(c.citation.start),) if atype == "outcome" else (-c.fused,)


def rank_trials(
    hits: list[Hit],
    groups: Groups,
    links: Links,
    weights: list[float],
    atype: AnswerType | None,
    identity: Identity,
    across_sections: bool,
    judge: Judge | None = None,
    describing: bool = False,
    phrases: list[Phrase] | None = None,
    asked: str | None = None,
) -> list[Ranked]:
    """The trials of the hits, best supported first (ties by NCT ID); with a ``judge`` (a list
    question), only sentences whose role fits the question count, and it decides which to list;
    ``asked``: a lookup's question, whose criteria its trial's outcomes do not answer (`criteria_first`)."""
    per: dict[str, list[Candidate]] = defaultdict(list)
    best_fused: dict[str, float] = {}
    papers = asks_for_papers(groups)
    for h in hits:
        if h.chunk.section == "references" and not papers:
            continue  # a reference reports another study, not what this trial does
        nct = h.chunk.nct_id
        per[nct].extend(sentence_candidates(h, groups, weights, atype, identity.expansions(nct), links, phrases or ()))
        best_fused[nct] = max(best_fused.get(nct, 0.0), h.score)
    if judge is not None:
        if not judge.giving:  # what its patients have, never what a trial gives
            per = {nct: _own_condition_defined(identity, nct, cands) for nct, cands in per.items()}
        if judge.polarity == EXCLUDE:
            per = {nct: _other_than_included(cands) for nct, cands in per.items()}
    elif asked is not None and not describing:
        per = {nct: criteria_first(cands, asked, atype) for nct, cands in per.items()}
    fits = per if judge is None else {nct: judge.admissible(cands) for nct, cands in per.items()}
    if describing:  # a trial is named by what it is and does, not by what it measures ("the portal vein one")
        fits = {
            nct: [
                c
                for c in cands
                if (c.role is None or admissible(c.role, None, True, c.citation.name))
                and not c.citation.name.startswith("outcomes")
            ]
            for nct, cands in per.items()
        }
    out = [
        _ranked(identity, nct, fits[nct], weights, links, atype, across_sections, best_fused[nct])
        if fits[nct]
        else _unfit(_ranked(identity, nct, cands, weights, links, atype, across_sections, best_fused[nct]))
        for nct, cands in per.items()
    ]
    out.sort(key=lambda r: (-r.answer.score, r.answer.nct_id))
    if judge is not None:
        chosen = judge.decide(fits, [(r.answer.nct_id, r.support, r.best) for r in out])
        for r in out:
            r.listed = r.answer.nct_id in chosen
    return out


def unmet(ranked: list[Ranked], n_groups: int) -> frozenset[int]:
    """The term groups no candidate trial's admissible sentences cover."""
    met = frozenset(i for r in ranked for i in r.covered)
    return frozenset(range(n_groups)) - met


def _own_condition_defined(identity: Identity, nct: str, cands: list[Candidate]) -> list[Candidate]:
    """The candidates with a sentence that says what the trial's own condition is ("Liver
    failure (LF) is a dramatic clinical syndrome with massive necrosis of liver cells" in a
    trial of Liver Failure) read as the trial's: it says what its patients have. Other
    background stays background."""
    if not any(c.role is not None and c.role.kind == BACKGROUND for c in cands):
        return cands
    own = [set(tokenize(x)) for x in identity.facts[nct].trial.conditions]
    out = []
    for c in cands:
        subject = defined_subject(c.citation.snippet) if c.role is not None and c.role.kind == BACKGROUND else None
        words = set(tokenize(subject)) if subject else set()
        if words and any(x and (x <= words or words <= x) for x in own):
            c = replace(c, role=Role(DESIGN))
        out.append(c)
    return out


# "Coinfection with HIV or other viral hepatitis": "other" than what the trial itself enrols.
_OTHER = re.compile(r"\bother\b", re.I)


def _other_than_included(cands: list[Candidate]) -> list[Candidate]:
    """Without the exclusion lines of "other" kinds whose words the trial's own inclusion lines
    say: a trial of HBV-related cirrhosis that excludes "other viral hepatitis" does not
    exclude hepatitis B."""
    included = frozenset(
        i for c in cands if c.role is not None and c.role.polarity == INCLUDE and c.own > 0 for i in c.covered
    )
    if not included:
        return cands
    return [
        c
        for c in cands
        if not (
            c.role is not None
            and c.role.polarity == EXCLUDE
            and c.covered
            and c.covered <= included
            and _OTHER.search(c.citation.snippet)
        )
    ]


def _unfit(r: Ranked) -> Ranked:
    """A trial none of whose sentences may support the question (their roles do not fit it):
    no support, but its best passages stay to show among the weaker candidates."""
    return Ranked(r.answer, 0.0, 0.0)


def _labelled_arm(cands: list[Candidate]) -> Candidate | None:
    """The description of the first arm whose label covers the question as well as any sentence
    does; None when there is none. It answers in place of a background sentence ("what does
    the Xijing control arm receive?": the arm labelled "control", not "Randomization controlled
    studies are needed ...")."""
    top = max(c.coverage for c in cands)
    labels = sorted(
        (c for c in cands if c.citation.name == "arms" and c.coverage >= top), key=lambda c: c.citation.start
    )
    return next((d for c in labels if (d := arm_description(c, cands)) is not None), None)


def _ranked(
    identity: Identity,
    nct: str,
    cands: list[Candidate],
    weights: list[float],
    links: Links,
    atype: AnswerType | None,
    across_sections: bool,
    best_fused: float,
) -> Ranked:
    """One trial's answer: its support, score and chosen sentences (for a lookup, first the
    sentence that holds the kind of value asked for)."""
    value, best, chosen = support(cands, weights, across_sections, links)
    typed: list[Candidate] = []
    if atype is not None:
        typed = sorted(
            (c for c in cands if c.typed),
            key=lambda c: (-c.typed, -c.coverage, -home_section(atype, c.citation.name), *_order(atype, c)),
        )
        if typed:
            first = typed[0]
            chosen = [first, *[c for c in chosen if c is not first][:2]]
            value += TYPED_BONUS
    elif across_sections and chosen and chosen[0].coverage > 0:  # an arm's name: what the arm gets
        background = chosen[0].role is not None and chosen[0].role.kind == BACKGROUND
        described = (_labelled_arm(cands) if background else None) or arm_description(chosen[0], cands)
        if described is not None:
            chosen = [described, *[c for c in chosen if c is not described][:2]]
    t = identity.trial(nct)
    ans = TrialAnswer(
        nct_id=nct,
        title=t.title if t else nct,
        url=t.url if t else f"https://clinicaltrials.gov/study/{nct}",
        score=0.8 * min(value, 1.0) + 0.2 * best_fused,
        citations=tuple(c.citation for c in chosen),
        support=value,
        last_update=t.last_update if t else None,
    )
    plain = bool(typed) and typed[0].typed >= 2
    return Ranked(
        ans, value, best, typed=bool(typed), plainly=plain, covered=frozenset(i for c in cands for i in c.covered)
    )
