"""Answers from the text: the trials whose sentences support the question (a list), or the
trial a lookup names, or the best supported one, with the passages that answer it."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from index.model import NCT_RE
from index.qa.alternatives import alternatives, asides, without_context
from index.qa.context import Context, fact_trial
from index.qa.evidence import LIST_MIN_SUPPORT, SENTENCE_MIN
from index.qa.identity import NameShare
from index.qa.outcome_time import ASKS_WHEN, with_time_frame
from index.qa.question import (
    AnswerType,
    Groups,
    Kind,
    Links,
    answer_type,
    drop,
    is_asked,
    naming_phrase,
    question_kind,
    search_terms,
    type_words,
)
from index.qa.rank import Ranked, idle_words, rank, unmet
from index.qa.support import LOOKUP_MIN
from index.results import Answer
from index.retrieval.backend import SearchBackend
from index.text.roles import question_polarity
from index.text.tokenize import GENERIC

# Kinds of value only a sentence that states them plainly answers: an arm's own count, not the total.
_ONLY_PLAINLY: frozenset[AnswerType] = frozenset({"split"})
# A question about several trials; "X, Y, Z - which of those ...": of the trials it names.
_OF_THOSE = re.compile(r"\bwhich\s+of\s+(?:those|these|them|the\s+(?:two|three|four))\b", re.I)
_MANY = re.compile(r"\b(?:trials|studies|records|ones)\b|" + _OF_THOSE.pattern, re.I)
# Kinds of value that answer a named trial's lookup by themselves ("how many took part in X?": its
# enrolment); the others must also cover the question's words ("who": a sponsor is not an investigator).
_VALUE_IS_ANSWER: frozenset[AnswerType] = frozenset(
    {
        "count",
        "split",
        "dose",
        "age",
        "route",
        "status",
        "duration",
        "followup",
        "schedule",
        "source",
        "contact",
        "investigator",
        "phone",
        "outcome",
        "when",
        "control",
        "where",
        "place",
        "sponsor",
    }
)
# A description names a trial when its record supports it this well (a listing's line) and this
# much better than the next trial's: "the hepatic artery bone marrow study" names one seed trial.
DESCRIBED_MIN = LIST_MIN_SUPPORT
DESCRIBED_MARGIN = 0.2
DESCRIBE_POOL = 60  # chunks read to find it: the trials that fit a description best come first
NO_WORDS = 'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"'


def text_answer(ctx: Context, q: str) -> Answer:
    kind = question_kind(q)
    groups, links = search_terms(q, listing=kind == "list")
    named = _named_trials(ctx, q, kind, groups, links)
    if isinstance(named, Answer):
        return named
    restrict, groups, links = named
    if restrict and not _MANY.search(q):
        kind = "lookup"  # "which route does the Royan trial use?" asks one trial
    pool = restrict or ctx.within  # a conversation's follow-up answers from the trials it refers to
    if not groups and not pool:
        return ctx.none(q, NO_WORDS)
    atype = answer_type(q) if kind == "lookup" else None
    if (atype in ("duration", "followup") and question_polarity(q) is not None) or (
        atype == "duration" and _REQUIRED.search(q)
    ):
        atype = "entry_duration"  # "how long must the cirrhosis have lasted for entry?": read in the criteria
    if atype == "followup" and pool and len(pool) == 1 and (stated := _follow_up(ctx, q, next(iter(pool)))):
        return stated  # one trial, named or the one a conversation refers to
    if atype in _FACT_TYPES and pool and len(pool) == 1:
        return _stated_fact(ctx, q, atype, next(iter(pool)))
    groups, links = drop(groups, links, {i for i, g in enumerate(groups) if g[0] in type_words(atype)})
    ranked = rank(ctx, q, groups, links, atype, None if pool is None else set(pool), across_sections=kind == "lookup")
    passages_only = bool(pool) and not groups and atype is None
    listed = _listed(ranked, kind, bool(restrict), passages_only, ctx.k, atype, bool(groups))
    if kind == "list" and not passages_only:
        listed = _without_idle(ctx, q, groups, links, pool, listed, unmet(ranked, len(groups)))
        have = {r.answer.nct_id for r in listed}
        ask = without_context(q)  # the ask alone, after a story told before it
        listed += [r for r in _either(ctx, ask or q, pool) if r.answer.nct_id not in have]
        if ask:  # "For the P of PICO: which study population is ...?": the ask alone too
            ask_groups, ask_links = search_terms(ask, listing=True)
            found = _without_idle(ctx, ask, ask_groups, ask_links, pool, _list(ctx, ask, ask_groups, ask_links, pool))
            have = {r.answer.nct_id for r in listed}
            listed += [r for r in found if r.answer.nct_id not in have]
        listed = listed[: ctx.k]
    elif restrict and atype is None and not listed and groups:  # "what Child-Pugh range qualifies in X?"
        ranked, listed = _lookup_without_idle(ctx, q, groups, links, restrict, ranked, passages_only)
    if kind == "lookup" and atype == "outcome" and listed and ASKS_WHEN.search(q):  # "endpoint & timepoint"
        listed[0] = replace(listed[0], answer=with_time_frame(ctx.backend.trials(), listed[0].answer))
    shown = {r.answer.nct_id for r in listed}
    more = tuple(r.answer for r in ranked if r.answer.nct_id not in shown)[: ctx.k]
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


# A duration a trial asks of its patients: "what minimum disease duration does the Haikou trial require?",
# "how long does the cirrhosis hx need to be / must it have lasted / does it have to be?"
_REQUIRED = re.compile(
    r"\brequir(?:e|es|ed|ing|ement|ements)\b|\bminimum\b|\bmust\b|\bneeds?\s+to\b|\b(?:has|have)\s+to\b", re.I
)


def _follow_up(ctx: Context, q: str, nct: str) -> Answer | None:
    """A named trial's follow-up ("how long is f/u in the Beijing 302 study?"): the longest its
    record states, cited by the sentence or time frame that states it (`TrialFacts.follow_up`);
    None when it states none (the text is searched)."""
    facts = ctx.identity.facts[nct]
    if facts.follow_up is None:
        return None
    return Answer(
        question=q,
        trials=(fact_trial(facts.trial, [facts.follow_up[1]]),),
        no_answer=False,
        kind="lookup",
        elapsed_ms=ctx.ms(),
    )


def _list(ctx: Context, q: str, groups: Groups, links: Links, pool: frozenset[str] | set[str] | None) -> list[Ranked]:
    ranked = rank(ctx, q, groups, links, None, None if pool is None else set(pool), across_sections=False)
    return _listed(ranked, "list", False, False, ctx.k)


def _without_idle(
    ctx: Context,
    q: str,
    groups: Groups,
    links: Links,
    pool: frozenset[str] | set[str] | None,
    listed: list[Ranked],
    unmet: frozenset[int] = frozenset(),
) -> list[Ranked]:
    """A list question nothing supports, asked again without the words no record (or no
    candidate's sentence, ``unmet``) says and the question does not need (`idle_words`):
    "which trials exclude HIV positive patients?"; only text worded as a question."""
    idle = idle_words(ctx, q, groups, unmet) if not listed and groups and is_asked(q) else set()
    if not idle or all(not g[0][:1].isalpha() for i, g in enumerate(groups) if i not in idle):
        return listed  # nothing, or only numbers, left to search for ("DROP TABLE trials; -- OR 1=1")
    return _list(ctx, q, *drop(groups, links, idle), pool)


def _lookup_without_idle(
    ctx: Context, q: str, groups: Groups, links: Links, restrict: set[str], ranked: list[Ranked], passages_only: bool
) -> tuple[list[Ranked], list[Ranked]]:
    """A named trial's lookup its record does not support, asked again without the words no
    record says and the question does not need (`idle_words`): "what Child-Pugh range qualifies?"."""
    idle = idle_words(ctx, q, groups)
    if not idle or len(idle) >= len(groups):
        return ranked, []
    groups, links = drop(groups, links, idle)
    ranked = rank(ctx, q, groups, links, None, set(restrict), across_sections=True)
    return ranked, _listed(ranked, "lookup", True, passages_only, ctx.k, None, True)


def _either(ctx: Context, q: str, pool: frozenset[str] | set[str] | None) -> list[Ranked]:
    """The trials that support one of the alternatives a question (its ask, not the story told
    before it) names ("exclude
    alcohol-related cirrhosis or alcohol misuse") or the question without its aside, or one of
    the examples it gives, `index.qa.alternatives`."""
    out: list[Ranked] = []
    for alt in [*alternatives(q), *asides(q)]:
        groups, links = search_terms(alt, listing=True)
        if any(g[0][:1].isalpha() for g in groups):  # not a number alone ("... OR 1=1")
            found = _list(ctx, alt, groups, links, pool)
            seen = {r.answer.nct_id for r in out}
            out += [r for r in _without_idle(ctx, alt, groups, links, pool, found) if r.answer.nct_id not in seen]
    return out


def _named_trials(
    ctx: Context, q: str, kind: Kind, groups: Groups, links: Links
) -> tuple[set[str], Groups, Links] | Answer:
    """The trials the question names (by NCT ID, or for a lookup by sponsor or place) with the
    terms left to search for; an answer when every NCT ID it names is missing."""
    trials = ctx.backend.trials()
    named_ids = {m.upper() for m in NCT_RE.findall(q.upper())}
    if named_ids:
        restrict = {n for n in named_ids if n in trials}
        if not restrict:
            missing = sorted(n for n in named_ids if n not in trials)
            return ctx.none(q, f"{', '.join(missing)} is not in this index ({len(trials)} trials).")
        ids = {i for i, g in enumerate(groups) if NCT_RE.fullmatch(g[0].upper())}
        return (restrict, *drop(groups, links, ids))
    of_those = kind == "list" and bool(_OF_THOSE.search(q))
    named, used = ctx.identity.named(groups, _name_share(ctx.backend), every=of_those)
    if ctx.within is not None:
        named &= ctx.within
    if kind == "list" and _MANY.search(q) and not (named and of_those):
        return set(), groups, links
    phrase = naming_phrase(q)
    if phrase is not None:  # "the hepatic artery bone marrow study": its words name it, not ask
        words = {g[0] for g in search_terms(phrase, listing=False)[0]}
        in_phrase = {i for i, g in enumerate(groups) if g[0] in words}
        if not named:
            named, used = _described(ctx, phrase.rsplit(" ", 1)[0]), in_phrase
        elif used & in_phrase:  # "the Xijing decompensated cirrhosis study"
            used = used | in_phrase
    if named:
        return (named, *drop(groups, links, used))
    return set(), groups, links


def _described(ctx: Context, phrase: str) -> set[str]:
    """The one trial a description names ("the hepatic artery bone marrow study"): the trial
    whose record supports the phrase well (`DESCRIBED_MIN`) and clearly better than any other
    (`DESCRIBED_MARGIN`); none when several fit ("the MSC trial")."""
    groups, links = search_terms(phrase, listing=False)
    if all(g[0] in GENERIC for g in groups):
        return set()
    within = None if ctx.within is None else set(ctx.within)
    ranked = rank(ctx, phrase, groups, links, None, within, across_sections=True, describing=True, pool=DESCRIBE_POOL)
    by_support = sorted((r.support for r in ranked), reverse=True)
    if not by_support or by_support[0] < DESCRIBED_MIN:
        return set()
    if len(by_support) > 1 and by_support[0] - by_support[1] < DESCRIBED_MARGIN:
        return set()
    return {max(ranked, key=lambda r: r.support).answer.nct_id}


def one_named_trial(ctx: Context, q: str) -> str | None:
    """The one trial a question names (by NCT ID, sponsor or place), if it names exactly one."""
    named = _named_trials(ctx, q, "lookup", *search_terms(q, listing=False))
    if isinstance(named, Answer) or len(named[0]) != 1:
        return None
    return next(iter(named[0]))


def _name_share(backend: SearchBackend) -> NameShare:
    """The share of a word's mentions in the corpus that lie in the records of the trials it
    names (1 when no chunk holds it): "Royan" is Royan's own word, "cell" everyone's."""

    def share(token: str, owners: set[str]) -> float:
        rows, _ = backend.lexical_matches([token])
        if not len(rows):
            return 1.0
        return float(np.isin(rows, backend.rows_of_trials(owners)).mean())

    return share


def _listed(
    ranked: list[Ranked],
    kind: Kind,
    restricted: bool,
    passages_only: bool,
    k: int,
    atype: AnswerType | None = None,
    content: bool = True,
) -> list[Ranked]:
    """The trials to list: the named (or referred-to) trials' best passages when nothing is left
    to search for; a lookup's answer (the named trial, or the best supported one) and others that
    clear the listing line; or, for a list, every trial that clears it. A named trial asked for a
    kind of value (a dose, a route, its enrolment) answers only with a sentence that states one."""
    if passages_only:  # "tell me about NCT..." : the named trial, best passages
        return ranked[:k]
    if kind == "lookup" and restricted and atype is not None:
        enough = not content or atype in _VALUE_IS_ANSWER
        plain = atype in _ONLY_PLAINLY  # "how many in each arm": the total enrolment does not say
        return [r for r in ranked if r.typed and (r.plainly or not plain) and (enough or r.support >= LOOKUP_MIN)][:1]
    if kind == "lookup":  # a named record that does not state what is asked: say so (LOOKUP_MIN)
        listed = [r for r in ranked if r.support >= (LOOKUP_MIN if restricted else SENTENCE_MIN)][:1]
        return listed + [r for r in ranked[1:] if r.support >= LIST_MIN_SUPPORT and r not in listed][: k - 1]
    return [r for r in ranked if r.listed][:k]  # the decision by meaning (`index.qa.support.Judge`)


# Lookups a trial's facts answer (`TrialFacts`): the Child-Pugh limit its criteria set, how many
# times it gives the cells.
_FACT_TYPES = frozenset({"child_pugh", "doses"})


def _stated_fact(ctx: Context, q: str, atype: str, nct: str) -> Answer:
    """One trial's fact that ``atype`` asks for, cited by the lines that state it; that its
    record does not state it when none does (not unrelated lines that share a word)."""
    facts = ctx.identity.facts[nct]
    if atype == "child_pugh":
        cites = [*facts.cite("child_pugh"), *facts.cite("child_pugh_excluded")]
    else:  # a line that states the count ("Three times of MSC infusion") before one that implies it ("at week 0, 4, 8")
        cites = sorted((c for _, c in facts.dose_counts), key=lambda c: not _STATES_COUNT.search(c.snippet))
    if not cites:
        message = _not_stated({nct})
        return Answer(question=q, trials=(), no_answer=True, kind="lookup", message=message, elapsed_ms=ctx.ms())
    trial = fact_trial(facts.trial, list(dict.fromkeys(cites)))
    return Answer(question=q, trials=(trial,), no_answer=False, kind="lookup", elapsed_ms=ctx.ms())


_STATES_COUNT = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|once|twice|thrice)\s+(?:times?|doses?|infusions?|injections?)\b", re.I
)


def _not_stated(ncts: set[str]) -> str:
    names = ", ".join(sorted(ncts))
    if len(ncts) == 1:
        return f"The record of {names} does not state this."
    return f"The records of {names} do not state this."
