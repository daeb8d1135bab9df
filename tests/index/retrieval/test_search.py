"""Hybrid search through the `SearchBackend` protocol: candidates, exact scores, fusion parts."""

from pathlib import Path

import numpy as np
import pytest

import index.retrieval.search as search
from index.retrieval.fusion import FusionParams
from index.retrieval.search import hybrid
from index.store.reader import EmbeddedBackend
from tests.helpers.index_data import clustered, synthetic_index

DOCS = [["cat"], ["dog"], ["cat", "cat"], ["bird"], ["cat", "dog"], ["fish"], ["dog"], ["cat"], ["bird"], ["owl"]]
ANGLES = np.linspace(0, np.pi, 10, endpoint=False)  # row i's vector points at angle i * 18 degrees


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedBackend:
    vectors = np.stack([np.cos(ANGLES), np.sin(ANGLES)], axis=1).astype(np.float32)
    return synthetic_index(tmp_path_factory.mktemp("tiny") / "ix", vectors, DOCS)


def _minmax(x: np.ndarray) -> np.ndarray:
    return (x - x.min()) / (x.max() - x.min())


def test_hybrid_fuses_exact_bm25_and_cosine_of_every_candidate(tiny: EmbeddedBackend) -> None:
    q = np.array([1.0, 0.0])
    hits = hybrid(tiny, ["cat"], q, 10, FusionParams())
    lex = tiny.bm25.sparse_scores(["cat"])
    cos = np.asarray(tiny.vectors_of(np.arange(10)) @ q, dtype=np.float64)
    bpart, dpart = 0.5 * _minmax(lex), 0.5 * _minmax(cos)
    expected = np.argsort(-(bpart + dpart), kind="stable")
    assert [h.row for h in hits] == expected.tolist() == [0, 2, 4, 7, 1, 3, 5, 6, 8, 9]
    for h in hits:
        assert h.chunk == tiny.chunk(h.row)
        assert h.bm25 == pytest.approx(lex[h.row]) and h.dense == pytest.approx(cos[h.row], abs=1e-3)
        assert h.bm25_part == pytest.approx(bpart[h.row]) and h.dense_part == pytest.approx(dpart[h.row], abs=1e-3)
        assert h.score == pytest.approx(h.bm25_part + h.dense_part)


def test_hybrid_within_rows_and_without_a_query_vector(tiny: EmbeddedBackend) -> None:
    hits = hybrid(tiny, ["dog"], None, 3, FusionParams(), rows=[6, 1, 5, 6])
    assert [h.row for h in hits] == [1, 6, 5]  # every allowed row is a candidate; ties by row
    assert [h.dense for h in hits] == [0.0, 0.0, 0.0] and hits[2].bm25 == 0.0
    assert hybrid(tiny, ["dog"], None, 0, FusionParams()) == []
    assert hybrid(tiny, ["zebra"], None, 5, FusionParams()) == []  # no candidate at all


def test_a_small_pool_takes_the_best_of_each_side(tiny: EmbeddedBackend) -> None:
    q = np.array([0.0, 1.0])  # nearest: row 5 (90 degrees), then 4 and 6
    hits = hybrid(tiny, ["bird"], q, 10, FusionParams(), pool=1)
    assert sorted(h.row for h in hits) == [3, 5]  # the best BM25 row (first "bird") and the nearest vector


def test_restricted_search_over_many_rows_uses_pools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vecs = clustered(3000, 32, 5)
    backend = synthetic_index(tmp_path / "ix", vecs)
    q = clustered(1, 32, 6)[0]
    rows = np.arange(0, 3000, 3)
    monkeypatch.setattr(search, "RESTRICT_ALL", 50)
    hits = hybrid(backend, ["text", "7"], q, 5, FusionParams(), pool=20, rows=rows)
    assert hits and all(h.row % 3 == 0 for h in hits)
    assert hits[0].row == 6 or hits[0].dense >= max(h.dense for h in hits[1:])
