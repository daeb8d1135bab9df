"""Answers from trial facts: the trials that satisfy the question's constraints ("older than
65", "recruiting", "in China"), searched for the rest of the question's text if it has any,
listed, counted or compared."""

from __future__ import annotations

import re

from index.facts.check import check, check_all
from index.facts.constraint import Constraint
from index.facts.constraints import frame_words
from index.qa.alternatives import after_context, before_context, unattributed, without_context
from index.qa.compare import compare
from index.qa.context import Context, fact_trial
from index.qa.count import count_answer
from index.qa.eligibility import asks_eligibility, asks_turned_away, findings, ruled_out
from index.qa.lab_values import measured
from index.qa.matching import Matching, match
from index.qa.question import Mode, drop, fact_search_terms
from index.qa.rank import LIGHT, Ranked, idle_words, rank
from index.results import Answer, Citation, TrialAnswer
from index.retrieval.backend import FiltersTrials


def fact_answer(ctx: Context, q: str, rest: str, constraints: list[Constraint], mode: Mode) -> Answer:
    """``rest``: the question without the text its constraints were read from. A question by
    age alone (`_BY_AGE`) keeps only its age constraints."""
    by_age = bool(_BY_AGE.search(q)) and any(c.key in _AGE_KEYS for c in constraints)
    if by_age:  # "nineteen, with cirrhosis - which trials does her age fit?"
        constraints = [c for c in constraints if c.key in _AGE_KEYS]
    trials = [n for n in ctx.backend.trials() if ctx.within is None or n in ctx.within]
    if isinstance(ctx.backend, FiltersTrials):  # filtered inside the backend, facts fetched together
        found = ctx.backend.filter_trials(constraints, ctx.within)
        m = match(found.candidates, ctx.identity.facts, constraints, found.left_out)
    else:
        m = match(trials, ctx.identity.facts, constraints)
    if mode == "compare":
        return compare(ctx, q, list(m.trials) if constraints else trials, m)
    if mode == "list" and not by_age and asks_eligibility(q):  # "58yo, HBV cirrhosis, CP 8 - which would take her?"
        answers = _eligible(ctx, rest, constraints, trials)
        if answers:  # a record that states no limit on a fact is not left out: it sets none
            m = Matching(m.constraints, m.trials, 0, ELIGIBLE_NOTE)
    elif mode == "list" and asks_turned_away(q):  # "62yo, CP 8, which trials would rule her out?"
        answers = _eligible(ctx, rest, constraints, trials, turned_away=True)
        m = Matching(m.constraints, {}, 0)
    else:
        answers = _matching_answers(ctx, q, rest, m, frame_words(constraints), by_age)
    if mode == "count":
        return count_answer(ctx, q, answers, m)
    if not answers:
        return m.no_match(ctx, q, mode, None)
    shown = answers[: ctx.k]
    return Answer(
        question=q,
        trials=tuple(shown),
        no_answer=False,
        kind=mode,
        elapsed_ms=ctx.ms(),
        message=f"Understood: {m.understood}{m.note}." if m.understood else None,
        more=tuple(answers[len(shown) :]),
        constraints=m.constraints,
        left_out=m.left_out,
    )


ELIGIBLE_NOTE = " (a trial whose record states no limit on one of these is not ruled out by it)"
# A question that asks which trials a person fits by age alone ("which trials does his age fit?",
# "age-eligible for which", "on age grounds"): what it tells of the person besides is no need.
_AGE_KEYS = ("age", "max_age")
_BY_AGE = re.compile(
    r"\b(?:his|her|their|my|your|whose)\s+age\b|\bage[\s-]+(?:eligib\w*|wise|grounds?|alone|only)\b"
    r"|\b(?:on|by|for)\s+(?:the\s+)?(?:grounds?\s+of\s+)?age(?:\s+(?:grounds?|alone|only))?\b"
    r"|\bage\s+(?:ranges?|limits?|rules?|criteri(?:on|a)|requirements?|brackets?|window|band)\b",
    re.I,
)


def _matching_answers(
    ctx: Context, q: str, rest: str, m: Matching, frame: frozenset[str], by_age: bool = False
) -> list[TrialAnswer]:
    """The matching trials cited for their facts; when the question has text left to search
    for (not only ``frame`` words, `frame_words`), only those whose sentences support it, best
    first, cited for both. A question that asks by age alone (``by_age``, `_BY_AGE`) is answered
    by the age it states."""
    if by_age:
        return [fact_trial(ctx.identity.facts[n].trial, cites) for n, cites in m.trials.items()]
    passing = _supported(ctx, q, rest, m, frame)
    bare = unattributed(rest)
    if passing == [] and bare is not None:  # "which studies are unblinded per the design table"
        passing = _supported(ctx, q, bare, m, frame)
    ask = after_context(rest) if without_context(q) else None  # the ask has content of its own
    if passing == [] and ask:
        # "scared of a 'fake' treatment - which trial has a placebo group?": the ask alone, when it asks something
        passing = _supported(ctx, q, ask, m, frame)
    if passing == [] and (first := before_context(rest)):  # "anything still recruiting? ...": the ask alone
        passing = _supported(ctx, q, first, m, frame)
    if passing is None:
        return [fact_trial(ctx.identity.facts[n].trial, cites) for n, cites in m.trials.items()]
    return [_with_citations(r.answer, m.trials[r.answer.nct_id]) for r in passing]


def _eligible(
    ctx: Context, rest: str, constraints: list[Constraint], trials: list[str], turned_away: bool = False
) -> list[TrialAnswer]:
    """The trials a described patient could join (`index.qa.eligibility`): no stated fact rules
    the patient out (a trial that states no Child-Pugh limit sets none), nor does an exclusion
    the patient's findings meet, nor an inclusion line naming what the patient lacks. Each is
    cited for the facts that admit the patient. With ``turned_away``, the other trials."""
    found, lacking, values = findings(rest), findings(rest, denied=True), measured(rest)
    full = ctx.backend.trials()  # with their criteria sections
    out = []
    for n in trials:
        f = ctx.identity.facts[n]
        ok, cites = check_all(constraints, f)
        why = ruled_out(full[n], found, lacking, values)
        if turned_away and (ok is False or why):  # cited for the facts and lines that turn the patient away
            failed = [x for c in constraints if (v := check(c, f))[0] is False for x in v[1]]
            out.append(fact_trial(f.trial, [*failed, *why]))
        elif not turned_away and ok is not False and not why:
            out.append(fact_trial(f.trial, cites))
    return out


def _supported(ctx: Context, q: str, rest: str, m: Matching, frame: frozenset[str]) -> list[Ranked] | None:
    """The matching trials whose sentences support ``rest``, best first; None when it has
    nothing left to search for."""
    groups, links = fact_search_terms(rest)
    groups, links = drop(groups, links, {i for i, g in enumerate(groups) if _frames(g, frame)})
    if all(g[0] in LIGHT for g in groups):  # nothing, or only "the kind where", "patients", left
        return None
    ranked = rank(ctx, rest or q, groups, links, None, set(m.trials), across_sections=False, judged=q)
    passing = [r for r in ranked if r.listed]
    idle = idle_words(ctx, q, groups) if not passing else set()
    if idle:  # "studies w/ placebo": only words no record says are left to search for
        groups, links = drop(groups, links, idle)
        if not groups:
            return None
        ranked = rank(ctx, rest or q, groups, links, None, set(m.trials), across_sections=False, judged=q)
        passing = [r for r in ranked if r.listed]
    return passing


def _frames(group: tuple[str, ...], frame: frozenset[str]) -> bool:
    """Whether a term group only names the fact or the asker: a frame word, or a compound
    of frame words ("early-stage" of a phase question)."""
    return group[0] in frame or (len(group) > 1 and all(t in frame for t in group[1:]))


def _with_citations(a: TrialAnswer, cites: list[Citation]) -> TrialAnswer:
    """The answer with the fact citations it lacks added after its own."""
    have = {(c.source, c.start, c.end) for c in a.citations}  # the same sentence, highlighted or not
    extra = tuple(c for c in cites if (c.source, c.start, c.end) not in have)
    return TrialAnswer(a.nct_id, a.title, a.url, a.score, a.citations + extra, a.support, a.last_update)
