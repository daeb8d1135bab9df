"""Dense search over stored vectors: exact scans, the int8 scan, restrictions, dropped slots."""

from pathlib import Path

import numpy as np
import pytest

import index.store.vectors as vectors_mod
from index.build.stages import UNEMBEDDED
from index.store.reader import open_backend
from index.store.writer import write_index
from tests.helpers.index_data import clustered, synthetic_data, synthetic_index


def test_exact_search_returns_rows_and_cosines_best_first_skipping_dropped_slots(tmp_path: Path) -> None:
    v = np.array([[1, 0], [0.6, 0.8], [0, 1], [-1, 0], [0.8, 0.6]] * 2, dtype=np.float32)
    data = synthetic_data(v)
    data.vector_rows = np.array([0, 1, 2, 3, -1, 5, 6, 7, 8, 9])  # slot 4 dropped, row 4 has no vector
    write_index(tmp_path / "ix", data)
    b = open_backend(tmp_path / "ix")
    rows, sims = b.dense(np.array([1.0, 0.0]), 4)
    assert rows.tolist() == [0, 5, 9, 1] and sims.tolist() == pytest.approx([1.0, 1.0, 0.8, 0.6], abs=1e-3)
    rows, sims = b.dense(np.array([0.0, 1.0]), 2, rows=np.array([3, 4, 6, 8]))
    assert rows.tolist() == [6, 8] and sims.tolist() == pytest.approx([0.8, 0.0], abs=1e-3)
    assert b.slot.tolist() == [0, 1, 2, 3, -1, 5, 6, 7, 8, 9]
    assert b.vectors_of([4, 2]).tolist() == [[0.0, 0.0], [0.0, 1.0]]
    assert b.dense(np.array([1.0, 0.0]), 0)[0].tolist() == []


def test_float16_vectors_and_int8_scan_keep_float32_ranking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vecs = clustered(3000, 64, 0)
    backend = synthetic_index(tmp_path / "ix", vecs)
    assert backend.vectors.dtype == np.float16
    np.testing.assert_allclose(backend.vectors_of(np.arange(3000)), vecs, atol=1e-3)
    queries = clustered(40, 64, 1)
    exact = []
    for q in queries:
        rows, sims = backend.dense(q, 10)  # small index: exact scan
        ref = np.argsort(-(vecs @ q), kind="stable")[:10]
        exact.append(set(ref.tolist()))
        assert len(set(rows.tolist()) & set(ref.tolist())) >= 9
        np.testing.assert_allclose(sims, vecs[rows] @ q, atol=2e-3)
    monkeypatch.setattr(vectors_mod, "EXACT_SCAN_MAX", 0)
    monkeypatch.setattr(vectors_mod, "RESCORE_MIN", 50)
    scan = open_backend(tmp_path / "ix")
    assert scan.scanner is not None
    found = 0
    for q, ref in zip(queries, exact, strict=True):
        rows, sims = scan.dense(q, 10)
        assert sims.tolist() == sorted(sims.tolist(), reverse=True)
        found += len(set(rows.tolist()) & ref)
    assert found / (10 * len(queries)) >= 0.99


def test_restricted_dense_search_exact_and_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vecs = clustered(3000, 32, 5)
    backend = synthetic_index(tmp_path / "ix", vecs)
    q = clustered(1, 32, 6)[0]
    rows = np.arange(0, 3000, 3)
    exact = rows[np.argsort(-(vecs[rows] @ q), kind="stable")[:10]]
    got, _ = backend.dense(q, 10, rows=rows)
    assert got.tolist() == exact.tolist()
    monkeypatch.setattr(vectors_mod, "EXACT_SCAN_MAX", 0)  # the int8 scan, restricted
    scan = open_backend(tmp_path / "ix")
    assert len(set(scan.dense(q, 10, rows=rows)[0].tolist()) & set(exact.tolist())) >= 9


def test_the_int8_scanner_is_loaded_once_under_concurrent_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(vectors_mod, "EXACT_SCAN_MAX", 0)
    synthetic_index(tmp_path / "ix", clustered(300, 16, 5))
    backend = open_backend(tmp_path / "ix")
    made: list[object] = []
    real = vectors_mod.Int8Scan

    def counting(*args: object) -> object:
        made.append(args)
        return real(*args)

    monkeypatch.setattr(vectors_mod, "Int8Scan", counting)
    with ThreadPoolExecutor(8) as pool:
        scanners = list(pool.map(lambda _: backend.scanner, range(16)))
    assert len(made) == 1 and scanners[0] is not None and all(s is scanners[0] for s in scanners)


def test_sections_without_vectors_score_zero_cosine(seed_index_dir: Path) -> None:
    backend = open_backend(seed_index_dir)
    no_vec = [i for i in range(backend.n_chunks) if backend.slot[i] < 0]
    assert no_vec and all(backend.chunk(i).section in UNEMBEDDED for i in no_vec)
    assert not backend.vectors_of(no_vec).any()
