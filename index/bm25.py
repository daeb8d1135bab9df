"""Vectorised BM25 over a sparse term-by-document weight matrix.

Scores equal rank-bm25's classes on the same tokens (a parity test checks this):
``variant="plus"`` is ``rank_bm25.BM25Plus`` (idf = log((N+1)/n), always positive),
``"okapi"`` is ``BM25Okapi`` (with its epsilon floor for negative idf) and ``"l"`` is
``BM25L``. Each document's score is a constant part (what the variant gives a document
without the term; zero for okapi) plus a sparse part, so a query costs one sparse
row-sum over the query's terms, not a pass over every token of every document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

VARIANTS = ("plus", "okapi", "l")


@dataclass(frozen=True)
class BM25Params:
    variant: str = "plus"
    k1: float = 1.5
    b: float = 0.75
    delta: float = 1.0  # plus: 1.0 in rank-bm25; l: 0.5
    epsilon: float = 0.25  # okapi only


class BM25:
    """Term-major weights: ``weights[t, d]`` is term t's contribution to document d
    beyond ``const[t]`` (what every document gets for t)."""

    def __init__(
        self,
        vocab: dict[str, int],
        weights: sparse.csr_matrix,
        const: np.ndarray,
        params: BM25Params,
    ) -> None:
        self.vocab = vocab
        self.weights = weights
        self.const = const
        self.params = params

    @property
    def n_docs(self) -> int:
        return int(self.weights.shape[1])

    @classmethod
    def fit(cls, docs: Sequence[Sequence[str]], params: BM25Params | None = None) -> BM25:
        vocab, tf, lengths = tf_matrix(docs)
        return cls.from_tf(vocab, tf, lengths, params or BM25Params())

    @classmethod
    def from_tf(cls, vocab: dict[str, int], tf: sparse.csr_matrix, lengths: np.ndarray, params: BM25Params) -> BM25:
        if params.variant not in VARIANTS:
            raise ValueError(f"unknown BM25 variant {params.variant!r}; choose one of {VARIANTS}")
        n = max(len(lengths), 1)
        avgdl = float(lengths.sum()) / n if len(lengths) else 1.0
        avgdl = avgdl or 1.0
        df = np.diff(tf.indptr).astype(np.float64)
        idf = _idf(df, n, params)
        k1, b, delta = params.k1, params.b, params.delta
        coo = tf.tocoo()
        f = coo.data
        norm = 1.0 - b + b * lengths[coo.col] / avgdl
        if params.variant == "okapi":
            part = f * (k1 + 1) / (f + k1 * norm)
            const = np.zeros(len(vocab))
        elif params.variant == "plus":
            part = f * (k1 + 1) / (k1 * norm + f)  # delta term is in const
            const = idf * delta
        else:  # BM25L as rank-bm25 writes it (tf times the BM25L term)
            ctd = f / norm
            part = f * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
            const = np.zeros(len(vocab))
        data = idf[coo.row] * part
        weights = sparse.csr_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)
        return cls(vocab, weights, const.astype(np.float64), params)

    def query_vector(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """(term id, count) for the query's known terms; each occurrence counts, as in rank-bm25."""
        counts = Counter(t for t in tokens if t in self.vocab)
        return [(self.vocab[t], c) for t, c in counts.items()]

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Scores of every document, float64, equal to rank-bm25's ``get_scores``."""
        out = np.zeros(self.n_docs, dtype=np.float64)
        for t, c in self.query_vector(tokens):
            lo, hi = self.weights.indptr[t], self.weights.indptr[t + 1]
            np.add.at(out, self.weights.indices[lo:hi], c * self.weights.data[lo:hi].astype(np.float64))
            if self.const[t]:
                out += c * self.const[t]
        return out

    def top(self, tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and scores of the k best documents, best first (only documents that
        contain at least one query term)."""
        scores = self.scores(tokens)
        base = sum(c * self.const[t] for t, c in self.query_vector(tokens))
        hit = np.flatnonzero(scores > base + 1e-12) if base else np.flatnonzero(scores != 0)
        if len(hit) == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        sub = scores[hit]
        part = np.argpartition(-sub, k - 1)[:k] if len(hit) > k else np.arange(len(hit))
        order = part[np.argsort(-sub[part], kind="stable")]
        return hit[order], sub[order]

    def idf(self, token: str) -> float:
        """The variant's idf of a token (0 for unknown tokens)."""
        t = self.vocab.get(token)
        if t is None:
            return 0.0
        df = float(self.weights.indptr[t + 1] - self.weights.indptr[t])
        return float(_idf(np.array([df]), self.n_docs, self.params)[0])


def tf_matrix(docs: Sequence[Sequence[str]]) -> tuple[dict[str, int], sparse.csr_matrix, np.ndarray]:
    """Vocabulary, term-by-document term counts and document lengths."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    lengths = np.zeros(len(docs), dtype=np.float64)
    for d, toks in enumerate(docs):
        lengths[d] = len(toks)
        for tok, n in Counter(toks).items():
            rows.append(vocab.setdefault(tok, len(vocab)))
            cols.append(d)
            vals.append(n)
    tf = sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(vocab), len(docs)),
    )
    return vocab, tf, lengths


def _idf(df: np.ndarray, n: int, params: BM25Params) -> np.ndarray:
    if params.variant == "okapi":
        idf = np.log(n - df + 0.5) - np.log(df + 0.5)
        avg = float(idf.sum()) / len(idf) if len(idf) else 0.0
        eps = params.epsilon * avg
        return np.where(idf < 0, eps, idf)
    if params.variant == "plus":
        return np.log((n + 1) / np.maximum(df, 1))
    return np.log((n + 1) / (df + 0.5))


def rank_bm25_class(params: BM25Params) -> type:
    """The rank-bm25 class this scorer matches (for parity tests and benchmarks)."""
    import rank_bm25

    return {"plus": rank_bm25.BM25Plus, "okapi": rank_bm25.BM25Okapi, "l": rank_bm25.BM25L}[params.variant]


__all__ = ["BM25", "VARIANTS", "BM25Params", "rank_bm25_class"]
