"""What every answer strategy is handed: the backend, the query encoder, the trials'
identity, the fusion weights, how many trials to list and when the question came."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.model import Trial
from index.qa.identity import Identity
from index.qa.support import SentenceScorer, TraceFn
from index.results import Answer, Citation, TrialAnswer
from index.retrieval.backend import SearchBackend
from index.retrieval.fusion import FusionParams


@dataclass
class Context:
    backend: SearchBackend
    encode: Callable[[str], np.ndarray]
    identity: Identity
    fusion: FusionParams
    k: int
    t0: float
    within: frozenset[str] | None = None  # answer only from these trials (a conversation's follow-up)
    scorer: SentenceScorer | None = None  # sentence vectors for the decision by meaning
    trace: TraceFn | None = None  # called with each list candidate's features (calibration)

    def ms(self) -> float:
        """Milliseconds since the question came."""
        return (time.perf_counter() - self.t0) * 1000

    def none(self, q: str, message: str) -> Answer:
        """No answer, and why."""
        return Answer(question=q, trials=(), no_answer=True, message=message, elapsed_ms=self.ms())


def fact_trial(t: Trial, cites: list[Citation]) -> TrialAnswer:
    """A trial listed for its facts, with the citations that state them."""
    return TrialAnswer(
        nct_id=t.nct_id,
        title=t.title,
        url=t.url,
        score=1.0,
        citations=tuple(cites),
        support=1.0,
        last_update=t.last_update,
    )
