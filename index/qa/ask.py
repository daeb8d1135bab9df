"""From a question to an `Answer`: validate, read constraints, and answer from the trials'
facts (constraints, counts, comparisons) or from their text."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection
from dataclasses import replace

import numpy as np

from index.errors import BadQuestion
from index.facts.check import check_all
from index.facts.constraint import Constraint
from index.facts.constraints import Filters, parse, parse_filters
from index.qa.answer_types import answer_type
from index.qa.context import Context
from index.qa.eligibility import describes_patient
from index.qa.fact_answer import fact_answer
from index.qa.fact_lookup import named_fact_answer
from index.qa.identity import Identity
from index.qa.question import check_k, is_yes_no, question_mode, unmarked
from index.qa.spelling import correct
from index.qa.support import SentenceScorer, TraceFn
from index.qa.text_answer import one_named_trial, text_answer
from index.results import Answer
from index.retrieval.backend import SearchBackend
from index.retrieval.fusion import FusionParams
from index.text.clean import as_typed, clean_question, without_surrogates
from index.text.numbers import words_to_digits
from index.text.vocabulary import vocabulary


# A lookup that asks for a value ("What is the main outcome of the Xijing RCT?", "how many are
# in the dummy-treatment group of ...?"), not whether a fact holds: the facts only name the trial.
def ask(
    backend: SearchBackend,
    encode: Callable[[str], np.ndarray],
    identity: Identity,
    question: str,
    k: int = 10,
    fusion: FusionParams | None = None,
    filters: Filters = None,
    within: Collection[str] | None = None,
    scorer: SentenceScorer | None = None,
    trace: TraceFn | None = None,
    words: frozenset[str] = frozenset(),
) -> Answer:
    """``within``: NCT IDs to answer from (None: every trial); the listing rules stay those
    of the whole index, so a trial is listed only when it supports the question. ``scorer``
    embeds candidate sentences for the decision by meaning; ``trace`` is called with each list
    candidate's features (calibration); ``words``: the English words the query encoder knows,
    so that a misspelt word can be told from one the records lack (`index.qa.spelling`)."""
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
    scope = None if within is None else frozenset(within)
    ctx = Context(backend, encode, identity, fusion or FusionParams(), n_k, t0, scope, scorer, trace)
    spelt = correct(as_typed(q), backend.idf, words)  # "whats", "um", "exlude pregant", "auto logous"
    if spelt != q:
        return replace(_answer(ctx, spelt, explicit, identity), question=q)
    return _answer(ctx, q, explicit, identity)


def _answer(ctx: Context, q: str, explicit: list[Constraint], identity: Identity) -> Answer:
    mode = question_mode(q)
    concepts = identity.concepts if mode != "lookup" else None  # a lookup names a trial, not a condition
    found, rest = parse(words_to_digits(vocabulary().rewrite(q)), identity.condition_names, concepts)  # lay words too
    constraints = explicit + found
    if constraints and not explicit and (mode == "lookup" or (mode == "list" and unmarked(q))):
        named = one_named_trial(ctx, q)
        if named is not None and is_yes_no(q):  # "is the Royan trial still recruiting?": its record says
            return named_fact_answer(ctx, q, named, constraints)
        if named is not None:  # "the Beijing liver failure trial - dose per kg?": the words name it
            return text_answer(ctx, q)
        asks_value = mode == "lookup" and answer_type(q) is not None and not is_yes_no(q) and not _SEVERAL.search(q)
        one = _only_fit(ctx, constraints) if asks_value else None
        if one is not None:  # "the Iranian one - how many did it take in?": the one trial its facts fit
            found_one = text_answer(replace(ctx, within=frozenset({one})), q)
            if not found_one.no_answer:
                return found_one
    if constraints or mode in ("count", "compare") or (mode == "list" and describes_patient(q, rest)):
        return fact_answer(ctx, q, rest, constraints, mode)
    return text_answer(ctx, q)


# A question about trials in the plural ("pull the trials that are recruiting") asks for a list.
_SEVERAL = re.compile(r"\b(?:trials|studies|ones|protocols)\b", re.I)


def _only_fit(ctx: Context, constraints: list[Constraint]) -> str | None:
    """The one trial (of those the context answers from) whose facts satisfy every constraint."""
    trials = [n for n in ctx.backend.trials() if ctx.within is None or n in ctx.within]
    fit = [n for n in trials if check_all(constraints, ctx.identity.facts[n])[0] is True]
    return fit[0] if len(fit) == 1 else None
