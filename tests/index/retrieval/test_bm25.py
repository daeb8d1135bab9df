import random

import numpy as np
import pytest
import rank_bm25

from index.retrieval.bm25 import BM25, BM25Params, rank_bm25_class, scores_at, top_k
from index.text.tokenize import tokenize
from tests.conftest import CORPUS


def _random_docs(seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(60)]
    return [[rng.choice(words[: rng.randint(3, 60)]) for _ in range(rng.randint(1, 40))] for _ in range(300)]


@pytest.mark.parametrize(
    ("params", "kwargs"),
    [
        (BM25Params("plus"), {"delta": 1.0}),
        (BM25Params("okapi"), {"epsilon": 0.25}),
        (BM25Params("l", delta=0.5), {"delta": 0.5}),
    ],
)
def test_scores_equal_rank_bm25(params: BM25Params, kwargs: dict[str, float]) -> None:
    docs = _random_docs(7)
    ours = BM25.fit(docs, params)
    ref = rank_bm25_class(params)(docs, k1=params.k1, b=params.b, **kwargs)
    for query in (["w1", "w2", "w1"], ["w59", "unknown"], ["w0"], ["unknown"]):
        np.testing.assert_allclose(ours.scores(query), ref.get_scores(query), rtol=1e-6, atol=1e-6)


def test_parity_on_the_seed_corpus_tokens() -> None:
    docs = [tokenize(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.iterdir())]
    ours = BM25.fit(docs)
    ref = rank_bm25.BM25Plus(docs)
    for q in ("which trials use the hepatic artery?", "cirrhosis stem cell", "Child-Pugh CD133+"):
        toks = tokenize(q)
        np.testing.assert_allclose(ours.scores(toks), ref.get_scores(toks), rtol=1e-6)


def test_common_terms_keep_positive_weight() -> None:
    # "cirrhosis" is in every document: BM25Plus still rewards it, unlike BM25Okapi's idf.
    docs = [["cirrhosis", "artery"], ["cirrhosis"], ["cirrhosis", "vein"]]
    assert BM25.fit(docs).idf("cirrhosis") > 0
    assert rank_bm25.BM25Okapi(docs, epsilon=0).idf["cirrhosis"] <= 0


def test_top_returns_matching_documents_best_first() -> None:
    docs = [["a", "b"], ["a", "a", "c"], ["d"], ["c", "c", "c"]]
    idx, scores = BM25.fit(docs).top(["a"], 10)
    assert idx.tolist() == [1, 0]
    assert scores[0] > scores[1]
    assert BM25.fit(docs).top(["zzz"], 5)[0].tolist() == []


def _zipf_docs(n: int, seed: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(300)])
    p = 1.0 / np.arange(1, 301)
    p /= p.sum()
    return [list(rng.choice(words, size=rng.integers(1, 30), p=p)) for _ in range(n)]


def test_top_k_equals_a_full_sort_including_ties() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        scores = rng.integers(0, 6, size=400).astype(np.float64)  # many ties and zeros
        k = int(rng.integers(1, 60))
        rows, vals = top_k(scores, k)
        nz = np.flatnonzero(scores)
        ref = nz[np.lexsort((nz, -scores[nz]))][:k]
        assert rows.tolist() == ref.tolist()
        assert vals.tolist() == scores[ref].tolist()
    cand = np.array([5, 9, 1])
    s = np.zeros(10)
    s[[1, 9]] = [2.0, 3.0]
    assert top_k(s, 5, candidates=cand)[0].tolist() == [9, 1]


def test_vectorised_top_matches_reference_scores() -> None:
    docs = _zipf_docs(2000, 1)
    ours = BM25.fit(docs, BM25Params())
    for query in (["w1", "w7", "w1"], ["w250"], ["w0", "w299", "nope"], ["w250", "w280"], ["nope"]):
        full = ours.scores(query)
        base = ours.base(query)
        rows, vals = ours.top(query, 25)
        hit = np.flatnonzero(full > base + 1e-9)
        ref = hit[np.lexsort((hit, -full[hit]))][:25]
        assert rows.tolist() == ref.tolist()
        np.testing.assert_allclose(vals, full[ref])
        np.testing.assert_allclose(ours.sparse_scores(query) + base, full)
        docs, vals = ours.matches(query)
        scores = ours.sparse_scores(query)
        assert docs.tolist() == np.flatnonzero(scores).tolist()
        np.testing.assert_allclose(vals, scores[docs])


def test_scores_at_looks_rows_up_in_sorted_matches() -> None:
    docs, vals = np.array([2, 5, 9]), np.array([0.5, 1.5, 2.5])
    found, scores = scores_at(docs, vals, np.array([0, 5, 9, 10]))
    assert found.tolist() == [False, True, True, False] and scores.tolist() == [0.0, 1.5, 2.5, 0.0]
    assert scores_at(np.zeros(0, dtype=np.int64), np.zeros(0), np.array([1]))[1].tolist() == [0.0]
