"""What answer strategies are handed: elapsed time, the no-answer, a trial listed for its facts."""

from __future__ import annotations

import time

from index.qa.context import Context, fact_trial
from index.results import Citation


def context(seed_index, t0: float) -> Context:
    return Context(seed_index.backend, seed_index.embed_query, seed_index.identity, seed_index.fusion, 5, t0)


def test_none_is_an_answer_without_trials_that_says_why(seed_index) -> None:
    ctx = context(seed_index, time.perf_counter() - 0.25)
    a = ctx.none("what is the airspeed of a swallow?", "No trial in the index matches this question.")
    assert (a.question, a.trials, a.no_answer) == ("what is the airspeed of a swallow?", (), True)
    assert a.message == "No trial in the index matches this question."
    assert 250 <= a.elapsed_ms < 60_000
    assert ctx.within is None and ctx.scorer is None and ctx.trace is None


def test_ms_counts_from_when_the_question_came(seed_index) -> None:
    ctx = context(seed_index, time.perf_counter())
    first = ctx.ms()
    time.sleep(0.01)
    assert 0 <= first < ctx.ms()


def test_fact_trial_lists_the_trial_with_its_citations(seed_index) -> None:
    t = seed_index.backend.trials()["NCT01724697"]
    cite = Citation("Enrollment", "enrollment", "240 participants", t.source, None, 0, 16)
    ta = fact_trial(t, [cite])
    assert (ta.nct_id, ta.title, ta.url) == (
        "NCT01724697",
        "Safety and Efficacy of Human Bone Marrow Stem Cells for Treatment of HBV-related Liver Cirrhosis",
        "https://clinicaltrials.gov/study/NCT01724697",
    )
    assert (ta.score, ta.support, ta.citations, ta.last_update) == (1.0, 1.0, (cite,), None)
