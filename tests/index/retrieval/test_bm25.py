import random

import numpy as np
import pytest
import rank_bm25

from index.retrieval.bm25 import BM25, BM25Params, rank_bm25_class
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
