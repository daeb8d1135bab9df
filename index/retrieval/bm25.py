"""Vectorised BM25 over a sparse term-by-document weight matrix.

Scores equal rank-bm25's classes on the same tokens (a parity test checks this):
``variant="plus"`` is ``rank_bm25.BM25Plus`` (idf = log((N+1)/n), always positive),
``"okapi"`` is ``BM25Okapi`` (with its epsilon floor for negative idf) and ``"l"`` is
``BM25L``. Each document's score is a constant part (what the variant gives a document
without the term; zero for okapi) plus a sparse part, so a query costs one pass over
the posting lists of its terms (concatenated, summed per document with ``np.bincount``),
not a pass over every token of every document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy builds the counts; a query reads plain arrays (no scipy import on the ask path)
    from scipy import sparse

VARIANTS = ("plus", "okapi", "l")


@dataclass(frozen=True)
class BM25Params:
    variant: str = "plus"
    k1: float = 1.5
    b: float = 0.75
    delta: float = 1.0  # plus: 1.0 in rank-bm25; l: 0.5
    epsilon: float = 0.25  # okapi only


@dataclass(frozen=True)
class Postings:
    """Compressed sparse rows (scipy's CSR layout) as plain arrays: row t's columns are
    ``indices[indptr[t]:indptr[t + 1]]`` with values ``data[...]``. A query reads only its
    terms' rows, so asking needs no scipy (`to_scipy` gives the matrix to code that does)."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]

    def to_scipy(self) -> sparse.csr_matrix:
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


class BM25:
    """Term-major weights: ``weights[t, d]`` is term t's contribution to document d
    beyond ``const[t]`` (what every document gets for t)."""

    def __init__(
        self,
        vocab: dict[str, int],
        weights: Postings,
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
    def from_tf(
        cls, vocab: dict[str, int], tf: sparse.csr_matrix | Postings, lengths: np.ndarray, params: BM25Params
    ) -> BM25:
        """Weights from term-by-document counts (canonical CSR: sorted, no duplicates); the
        weights share ``tf``'s structure, so this is a few passes over its nonzeros."""
        if params.variant not in VARIANTS:
            raise ValueError(f"unknown BM25 variant {params.variant!r}; choose one of {VARIANTS}")
        n = max(len(lengths), 1)
        avgdl = float(lengths.sum()) / n if len(lengths) else 1.0
        avgdl = avgdl or 1.0
        indptr = np.asarray(tf.indptr, dtype=np.int64)
        indices = np.asarray(tf.indices)
        df = np.diff(indptr).astype(np.float64)
        idf = _idf(df, n, params)
        k1, b, delta = params.k1, params.b, params.delta
        f = np.asarray(tf.data, dtype=np.float64)
        norm = (1.0 - b) + (b / avgdl) * np.asarray(lengths, dtype=np.float64)[indices]
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
        part *= np.repeat(idf, np.diff(indptr))
        weights = Postings(part.astype(np.float32), indices, indptr, (int(tf.shape[0]), int(tf.shape[1])))
        return cls(vocab, weights, const.astype(np.float64), params)

    def query_vector(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """(term id, count) for the query's known terms; each occurrence counts, as in rank-bm25."""
        counts = Counter(t for t in tokens if t in self.vocab)
        return [(self.vocab[t], c) for t, c in counts.items()]

    def base(self, tokens: Sequence[str]) -> float:
        """What every document scores for these tokens (BM25Plus's delta part; 0 for okapi)."""
        return float(sum(c * self.const[t] for t, c in self.query_vector(tokens)))

    def _postings(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray, int]:
        """The query terms' posting lists laid end to end: (documents, float64 weights, terms)."""
        terms = self.query_vector(tokens)
        indptr, indices, data = self.weights.indptr, self.weights.indices, self.weights.data
        parts_i, parts_w = [], []
        for t, c in terms:
            lo, hi = int(indptr[t]), int(indptr[t + 1])
            parts_i.append(indices[lo:hi])
            w = data[lo:hi].astype(np.float64)
            parts_w.append(w * c if c != 1 else w)
        if not parts_i:
            return np.zeros(0, dtype=np.int64), np.zeros(0), 0
        if len(parts_i) == 1:
            return parts_i[0], parts_w[0], 1
        return np.concatenate(parts_i), np.concatenate(parts_w), len(parts_i)

    def sparse_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Every document's score above `base` (0 for documents without a query term),
        float64: the query's posting lists concatenated and summed per document."""
        idx, w, _ = self._postings(tokens)
        return np.bincount(idx, weights=w, minlength=self.n_docs)

    def matches(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The documents that contain a query term (sorted) and their scores above `base`.
        With few postings they are summed per distinct document (no pass over every
        document); with many, through `sparse_scores`."""
        idx, w, n_terms = self._postings(tokens)
        if n_terms <= 1:  # one posting list: sorted, one entry per document
            return np.asarray(idx, dtype=np.int64), w
        if len(idx) * 8 < self.n_docs:
            docs, inverse = np.unique(idx, return_inverse=True)
            return docs.astype(np.int64), np.bincount(inverse, weights=w, minlength=len(docs))
        scores = np.bincount(idx, weights=w, minlength=self.n_docs)
        docs = np.flatnonzero(scores)
        return docs, scores[docs]

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Scores of every document, float64, equal to rank-bm25's ``get_scores``."""
        out = self.sparse_scores(tokens)
        base = self.base(tokens)
        if base:
            out += base
        return out

    def top(self, tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and scores of the k best documents, best first (only documents that
        contain at least one query term)."""
        docs, vals = self.matches(tokens)
        pos, above = top_k(vals, k)
        return docs[pos], above + self.base(tokens)

    def idfs(self) -> np.ndarray:
        """Every term's idf, by term id, as the weights were computed with it."""
        df = np.diff(np.asarray(self.weights.indptr, dtype=np.int64)).astype(np.float64)
        return _idf(df, self.n_docs, self.params)

    def idf(self, token: str) -> float:
        """The variant's idf of a token (0 for unknown tokens)."""
        t = self.vocab.get(token)
        if t is None:
            return 0.0
        df = float(self.weights.indptr[t + 1] - self.weights.indptr[t])
        return float(_idf(np.array([df]), self.n_docs, self.params)[0])


def top_k(scores: np.ndarray, k: int, candidates: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows and values of the k largest nonzero ``scores`` (of ``candidates`` when given),
    best first, ties by row. Selects with ``argpartition`` over the nonzero entries only."""
    hit = np.flatnonzero(scores) if candidates is None else candidates[scores[candidates] != 0]
    if len(hit) == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    sub = scores[hit]
    if len(hit) > k:
        part = np.argpartition(-sub, k - 1)[:k]
        # keep every row tied with the k-th value, so ties break by row as a full sort would
        kth = sub[part].min()
        part = np.flatnonzero(sub >= kth)
    else:
        part = np.arange(len(hit))
    order = part[np.lexsort((hit[part], -sub[part]))][:k]
    return hit[order].astype(np.int64), sub[order]


def scores_at(docs: np.ndarray, vals: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``rows``: whether it is one of ``docs`` (sorted, unique, as `BM25.matches`
    returns them) and its value there (0 where it is not)."""
    found = np.zeros(len(rows), dtype=bool)
    out = np.zeros(len(rows))
    if len(docs) and len(rows):
        at = np.minimum(np.searchsorted(docs, rows), len(docs) - 1)
        found = docs[at] == rows
        out[found] = vals[at[found]]
    return found, out


class _Vocab(dict):
    """term -> id, a new term getting the next id on first lookup."""

    def __missing__(self, term: str) -> int:
        i = self[term] = len(self)
        return i


def tf_matrix(docs: Sequence[Sequence[str]]) -> tuple[dict[str, int], sparse.csr_matrix, np.ndarray]:
    """Vocabulary (ids in order of first use), term-by-document term counts and document lengths."""
    vocab = _Vocab()
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    ids = np.fromiter(map(vocab.__getitem__, chain.from_iterable(docs)), dtype=np.int64, count=int(lengths.sum()))
    return dict(vocab), counts_matrix(ids, lengths, len(vocab)), lengths.astype(np.float64)


def counts_matrix(term_ids: np.ndarray, lengths: np.ndarray, n_terms: int) -> sparse.csr_matrix:
    """Term-by-document counts (canonical CSR, float64) from the documents' term ids laid
    end to end and each document's length."""
    n_docs = len(lengths)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    key = term_ids * max(n_docs, 1) + doc  # sorted key = term-major, then document
    uniq, counts = np.unique(key, return_counts=True)
    rows = uniq // max(n_docs, 1)
    from scipy import sparse

    cols = (uniq - rows * max(n_docs, 1)).astype(np.int32)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_terms), out=indptr[1:])
    return sparse.csr_matrix((counts.astype(np.float64), cols, indptr), shape=(n_terms, n_docs))


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


__all__ = [
    "BM25",
    "VARIANTS",
    "BM25Params",
    "Postings",
    "counts_matrix",
    "rank_bm25_class",
    "scores_at",
    "tf_matrix",
    "top_k",
]
