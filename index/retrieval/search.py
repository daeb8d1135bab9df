"""Hybrid retrieval: BM25 and dense candidates, exact scores for both, fused."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.results import Hit
from index.retrieval.bm25 import top_k
from index.retrieval.fusion import FusionParams, fuse
from index.store.backend import SearchBackend

RESTRICT_ALL = 2000  # a search restricted to at most this many chunks scores every one of them


def hybrid(
    backend: SearchBackend,
    tokens: Sequence[str],
    qvec: np.ndarray | None,
    k: int,
    fusion: FusionParams,
    pool: int = 100,
    rows: Sequence[int] | None = None,
) -> list[Hit]:
    """Top-k chunks by fused score. ``rows`` restricts the search to those chunks.

    Candidates are the ``pool`` best chunks by BM25 and the ``pool`` best by cosine (within
    ``rows`` when given; a restriction to at most `RESTRICT_ALL` chunks makes every one of
    them a candidate); each candidate then gets its exact BM25 score (from the one pass
    over the query's posting lists that also picked the BM25 candidates) and its exact
    cosine."""
    n = backend.n_chunks
    if n == 0 or k <= 0:
        return []
    bm = getattr(backend, "bm25", None)
    docs, vals = bm.matches(tokens) if bm is not None else (None, None)
    within = None if rows is None else np.unique(np.asarray(rows, dtype=np.int64))
    if within is not None and len(within) <= max(RESTRICT_ALL, 2 * pool):
        cand = within
    else:
        if docs is not None:
            if within is not None:
                _, at, _ = np.intersect1d(docs, within, assume_unique=True, return_indices=True)
                docs_in, vals_in = docs[at], vals[at]
            else:
                docs_in, vals_in = docs, vals
            lex_rows = docs_in[top_k(vals_in, pool)[0]]
        else:  # pragma: no cover - other backends pick their own lexical candidates
            lex_rows, _ = backend.lexical(tokens, pool)
        if qvec is None:
            den_rows = np.zeros(0, dtype=np.int64)
        elif within is None:
            den_rows = backend.dense(qvec, pool)[0]
        else:  # the backend's restricted search (every backend here has one)
            den_rows = backend.dense(qvec, pool, rows=within)[0]  # type: ignore[call-arg]
        cand = np.unique(np.concatenate([lex_rows, den_rows]))
    if len(cand) == 0:
        return []
    lex = np.zeros(len(cand))  # (other backends would return lexical scores for their candidates)
    if docs is not None and len(docs):
        at = np.minimum(np.searchsorted(docs, cand), len(docs) - 1)
        found = docs[at] == cand
        lex[found] = vals[at[found]]
    den = backend.vectors_of(cand) @ qvec if qvec is not None else np.zeros(len(cand))
    fused, bpart, dpart = fuse(lex, np.asarray(den, dtype=np.float64), fusion)
    order = np.argsort(-fused, kind="stable")[:k]
    return [
        Hit(
            chunk=backend.chunk(int(cand[i])),
            row=int(cand[i]),
            score=float(fused[i]),
            bm25=float(lex[i]),
            dense=float(den[i]),
            bm25_part=float(bpart[i]),
            dense_part=float(dpart[i]),
        )
        for i in order
    ]
