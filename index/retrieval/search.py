"""Hybrid retrieval: BM25 and dense candidates, exact scores for both, fused."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.results import Hit
from index.retrieval.backend import ScoresRows, SearchBackend
from index.retrieval.bm25 import scores_at, top_k
from index.retrieval.fusion import FusionParams, fuse

RESTRICT_ALL = 2000  # a search restricted to at most this many chunks scores every one of them


def hybrid(
    backend: SearchBackend,
    tokens: Sequence[str],
    qvec: np.ndarray | None,
    k: int,
    fusion: FusionParams,
    pool: int = 100,
    rows: Sequence[int] | np.ndarray | None = None,
) -> list[Hit]:
    """Top-k chunks by fused score. ``rows`` restricts the search to those chunks.

    Candidates are the ``pool`` best chunks by BM25 and the ``pool`` best by cosine (within
    ``rows`` when given; a restriction to at most `RESTRICT_ALL` chunks makes every one of
    them a candidate); each candidate then gets its exact BM25 score (from the one pass
    over the query's posting lists that also picked the BM25 candidates) and its exact
    cosine."""
    if backend.n_chunks == 0 or k <= 0:
        return []
    within = None if rows is None else np.unique(np.asarray(rows, dtype=np.int64))
    docs, vals = backend.lexical_matches(tokens, within)
    if within is not None and len(within) <= max(RESTRICT_ALL, 2 * pool):
        cand = within
    else:
        lex_rows = docs[top_k(vals, pool)[0]]
        den_rows = backend.dense(qvec, pool, rows=within)[0] if qvec is not None else np.zeros(0, dtype=np.int64)
        cand = np.unique(np.concatenate([lex_rows, den_rows]))
    if len(cand) == 0:
        return []
    lex = scores_at(docs, vals, cand)[1]
    if isinstance(backend, ScoresRows) and not (lex != 0).all():  # candidates beyond its best matches
        unscored = lex == 0
        lex[unscored] = backend.lexical_scores(tokens, cand[unscored])
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
