"""Hybrid retrieval: BM25 and dense candidates, exact scores for both, fused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.chunk import Chunk
from index.fusion import FusionParams, fuse
from index.store import SearchBackend


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with every score that put it where it is."""

    chunk: Chunk
    row: int
    score: float  # fused
    bm25: float  # raw BM25 score above what a chunk without any query term gets
    dense: float  # cosine similarity of the chunk and the query
    bm25_part: float  # BM25's contribution to `score`
    dense_part: float  # the dense side's contribution to `score`


def hybrid(
    backend: SearchBackend,
    tokens: Sequence[str],
    qvec: np.ndarray | None,
    k: int,
    fusion: FusionParams,
    pool: int = 100,
    rows: Sequence[int] | None = None,
) -> list[Hit]:
    """Top-k chunks by fused score. ``rows`` restricts the search to those chunks."""
    n = backend.n_chunks
    if n == 0 or k <= 0:
        return []
    bm = backend.bm25 if hasattr(backend, "bm25") else None
    if rows is not None:
        cand = np.unique(np.asarray(rows, dtype=np.int64))
    else:
        lex_rows, _ = backend.lexical(tokens, pool)
        den_rows = backend.dense(qvec, pool)[0] if qvec is not None else np.zeros(0, dtype=np.int64)
        cand = np.unique(np.concatenate([lex_rows, den_rows]))
    if len(cand) == 0:
        return []
    if bm is not None:
        full = bm.scores(tokens)
        base = sum(c * bm.const[t] for t, c in bm.query_vector(tokens))
        lex = full[cand] - base
    else:  # pragma: no cover - other backends return lexical scores for candidates only
        lex = np.zeros(len(cand))
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
