"""Fusing lexical and dense scores.

`linear` (the default, chosen on the dev questions and SciFact: see README) min-max
normalises each score over the candidate pool and mixes them with a BM25 weight;
`rrf` is reciprocal-rank fusion. Both return, per candidate, the fused score and each
side's contribution to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METHODS = ("linear", "rrf")


@dataclass(frozen=True)
class FusionParams:
    method: str = "linear"
    bm25_weight: float = 0.5
    rrf_k: int = 60


def fuse(bm25: np.ndarray, dense: np.ndarray, params: FusionParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fused, bm25 part, dense part) for candidates with raw scores ``bm25`` and ``dense``."""
    if params.method == "rrf":
        b = params.bm25_weight * 2 / (params.rrf_k + _ranks(bm25))
        d = (1 - params.bm25_weight) * 2 / (params.rrf_k + _ranks(dense))
        return b + d, b, d
    if params.method != "linear":
        raise ValueError(f"unknown fusion method {params.method!r}; choose one of {METHODS}")
    b = params.bm25_weight * _minmax(bm25)
    d = (1 - params.bm25_weight) * _minmax(dense)
    return b + d, b, d


def _minmax(x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return x.astype(np.float64)
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-12:
        return np.ones(len(x)) if hi > 0 else np.zeros(len(x))
    return (x - lo) / (hi - lo)


def _ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(-x, kind="stable")
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = np.arange(1, len(x) + 1)
    return ranks
