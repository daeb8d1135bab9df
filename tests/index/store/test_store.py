"""Storage and retrieval at scale: float16 vectors, the int8 scan, the vectorised BM25
top-k, lazy chunks, resumable and incremental builds."""

import shutil
from pathlib import Path

import numpy as np
import pytest

import index.build.pipeline as build_mod
import index.store.backend as store
from index.build.pipeline import build_index
from index.errors import IndexStale
from index.facts.stored import facts_to_dict
from index.model import Trial
from index.retrieval.bm25 import BM25, BM25Params, top_k
from index.retrieval.fusion import FusionParams
from index.retrieval.search import hybrid
from index.store.backend import EmbeddedBackend, IndexData, open_backend, write_index
from index.text.chunk import Chunk
from index.text.tokenize import tokenize
from tests.conftest import CORPUS

MODEL = "all-MiniLM-L6-v2"


def _random_docs(n: int, seed: int) -> list[list[str]]:
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
    docs = _random_docs(2000, 1)
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


def _chunk(i: int, nct: str) -> Chunk:
    return Chunk(nct, "summary", "Summary", f"text {i}", "x.txt", None, 0, 6)


def _synthetic(d: Path, vectors: np.ndarray) -> EmbeddedBackend:
    n = len(vectors)
    trials = [Trial(f"NCT{i:08d}", f"trial {i}", "x.txt", "text") for i in range(n // 10)]
    chunks = [_chunk(i, trials[i // 10].nct_id) for i in range(n)]
    bm = BM25.fit([["text", str(i)] for i in range(n)])
    from index.retrieval.bm25 import tf_matrix

    _, tf, lengths = tf_matrix([["text", str(i)] for i in range(n)])
    data = IndexData(
        trials=trials,
        chunks=chunks,
        chunk_trial=np.arange(n) // 10,
        bm25=bm,
        tf=tf,
        lengths=lengths,
        vectors=vectors,
        vector_rows=np.arange(n),
        vector_keys=np.array([f"{i:040d}".encode() for i in range(n)]),
        manifest={"model": MODEL, "dim": vectors.shape[1], "bm25": {"variant": "plus"}},
    )
    write_index(d, data)
    return open_backend(d)


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors in clusters, like sentence embeddings (not uniform on the sphere)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, dim)).astype(np.float32)
    v = centres[rng.integers(0, 40, n)] + 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_float16_vectors_and_int8_scan_keep_float32_ranking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vecs = _clustered(3000, 64, 0)
    backend = _synthetic(tmp_path / "ix", vecs)
    assert backend.vectors.dtype == np.float16
    np.testing.assert_allclose(backend.vectors_of(np.arange(3000)), vecs, atol=1e-3)
    queries = _clustered(40, 64, 1)
    exact = []
    for q in queries:
        rows, sims = backend.dense(q, 10)  # small index: exact scan
        ref = np.argsort(-(vecs @ q), kind="stable")[:10]
        exact.append(set(ref.tolist()))
        assert len(set(rows.tolist()) & set(ref.tolist())) >= 9
        np.testing.assert_allclose(sims, vecs[rows] @ q, atol=2e-3)
    monkeypatch.setattr(store, "EXACT_SCAN_MAX", 0)
    monkeypatch.setattr(store, "RESCORE_MIN", 50)
    scan = open_backend(tmp_path / "ix")
    assert scan.scanner is not None
    found = 0
    for q, ref in zip(queries, exact, strict=True):
        rows, sims = scan.dense(q, 10)
        assert sims.tolist() == sorted(sims.tolist(), reverse=True)
        found += len(set(rows.tolist()) & ref)
    assert found / (10 * len(queries)) >= 0.99


def test_chunks_are_parsed_lazily_and_rows_of_trials(tmp_path: Path) -> None:
    backend = _synthetic(tmp_path / "ix", _clustered(50, 8, 2))
    chunks = backend.chunks()
    assert len(chunks) == 50 and chunks[7] == _chunk(7, "NCT00000000") and chunks[-1].text == "text 49"
    assert list(chunks)[12] == chunks[12]
    assert backend.rows_of_trials({"NCT00000002", "NCT99999999"}).tolist() == list(range(20, 30))


def test_an_old_format_asks_for_a_rebuild(seed_index_dir: Path, tmp_path: Path) -> None:
    import json

    d = tmp_path / "index"
    shutil.copytree(seed_index_dir, d)
    gen = store.current_generation(d)
    m = json.loads((gen / "manifest.json").read_text())
    m["format_version"] = 1
    (gen / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexStale, match="rebuild with `trialqa index`"):
        open_backend(d)


def test_an_interrupted_build_resumes_without_re_embedding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_mod, "EMBED_BATCH", 16)
    cache = tmp_path / "cache"

    class Stop(Exception):
        pass

    def stop_after_first_batch(stage: str, done: int, total: int) -> None:
        if stage == "embed":
            raise Stop(f"interrupted at {done}/{total}")

    with pytest.raises(Stop):
        build_index([CORPUS], tmp_path / "ix", MODEL, progress=stop_after_first_batch, cache_dir=cache)
    assert not (tmp_path / "ix" / "CURRENT").exists()
    backend, _ = build_index([CORPUS], tmp_path / "ix", MODEL, cache_dir=cache)
    c = backend.manifest["counts"]
    distinct = len({backend.chunk(int(r)).key for r in backend.vector_rows})
    assert c["embedded"] == distinct - 16  # the first batch came from the cache


def test_adding_a_trial_embeds_only_its_chunks_and_scores_as_a_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = sorted(CORPUS.iterdir())
    for f in files[:4]:
        shutil.copy(f, corpus / f.name)
    cache = tmp_path / "cache"
    first, _ = build_index([corpus], tmp_path / "ix", MODEL, cache_dir=cache)
    known = {first.chunk(int(r)).key for r in first.vector_rows}
    shutil.copy(files[4], corpus / files[4].name)
    delta, _ = build_index([corpus], tmp_path / "ix", MODEL, cache_dir=cache)
    full, _ = build_index([corpus], tmp_path / "full", MODEL, cache_dir=tmp_path / "cache2")
    c = delta.manifest["counts"]
    assert c["read_files"] == 1 and c["carried_chunks"] == 106
    added = {delta.chunk(int(r)).key for r in delta.vector_rows if r >= 106}
    assert (
        c["embedded"] == len(added - known) > 0
        and c["trials"] == 5
        and c["chunks"] == full.manifest["counts"]["chunks"]
    )
    assert delta.manifest["corpus_fingerprint"] == full.manifest["corpus_fingerprint"]
    _same_stored_meta(delta, full)
    ident = [(ch.nct_id, ch.section, ch.start, ch.end) for ch in delta.chunks()]
    perm = np.array([ident.index((ch.nct_id, ch.section, ch.start, ch.end)) for ch in full.chunks()])
    for q in ("which trials use the hepatic artery?", "cirrhosis stem cell", "exclude HIV"):
        toks = tokenize(q)
        np.testing.assert_allclose(delta.bm25.scores(toks)[perm], full.bm25.scores(toks), rtol=1e-6)
        qvec = np.asarray(full.vectors[3], dtype=np.float32)
        a = hybrid(delta, toks, qvec, 5, FusionParams())
        b = hybrid(full, toks, qvec, 5, FusionParams())
        assert {ident[h.row] for h in a} == {ident[perm[h.row]] for h in b}
        np.testing.assert_allclose([h.score for h in a], [h.score for h in b], atol=1e-4)
    np.testing.assert_allclose(delta.vectors_of(perm), full.vectors_of(np.arange(len(perm))), atol=1e-3)
    assert c["segments_linked"] and [len(delta.manifest["segments"][k]) for k in ("trials", "chunks", "dense")] == [
        2,
        2,
        2,
    ]
    # removing a file drops its trial and every term only it had; its vectors stay in the
    # linked segment, marked dropped, and are never returned
    (corpus / files[1].name).unlink()
    smaller, _ = build_index([corpus], tmp_path / "ix", MODEL, cache_dir=cache)
    again, _ = build_index([corpus], tmp_path / "full3", MODEL, cache_dir=cache)
    assert smaller.manifest["counts"]["embedded"] == 0 and smaller.manifest["counts"]["segments_linked"]
    assert len(smaller.trials()) == 4 and len(smaller.bm25.vocab) == len(again.bm25.vocab)
    _same_stored_meta(smaller, again)
    toks = tokenize("cirrhosis stem cell")
    np.testing.assert_allclose(sorted(smaller.bm25.scores(toks)), sorted(again.bm25.scores(toks)), rtol=1e-6)
    assert (smaller.vector_rows < 0).sum() > 0
    assert list(smaller.chunks()) == [smaller.chunk(i) for i in range(smaller.n_chunks)]  # dropped lines skipped
    q = np.asarray(again.vectors[5], dtype=np.float32)
    rows, sims = smaller.dense(q, 20)
    rows2, sims2 = again.dense(q, 20)
    np.testing.assert_allclose(sims, sims2, atol=1e-6)
    np.testing.assert_allclose((smaller.vectors_of(rows) * q).sum(axis=1), sims, atol=1e-5)
    assert {smaller.chunk(int(r)).key for r in rows} == {again.chunk(int(r)).key for r in rows2}
    monkeypatch.setattr(store, "EXACT_SCAN_MAX", 0)  # the int8 scan skips the dropped vectors too
    scanned = open_backend(tmp_path / "ix")
    rows3, _ = scanned.dense(q, 20)
    assert (rows3 >= 0).all() and len(set(rows3.tolist()) & set(rows.tolist())) >= 18


def test_many_updates_are_compacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.build.incremental as inc

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = sorted(CORPUS.iterdir())
    cache = tmp_path / "cache"
    shutil.copy(files[0], corpus / files[0].name)
    build_index([corpus], tmp_path / "ix", MODEL, cache_dir=cache)
    monkeypatch.setattr(inc, "MAX_SEGMENTS", 3)
    linked = []
    for f in files[1:]:
        shutil.copy(f, corpus / f.name)
        backend, _ = build_index([corpus], tmp_path / "ix", MODEL, cache_dir=cache)
        assert backend.manifest["counts"]["read_files"] == 1
        assert max(len(v) for v in backend.manifest["segments"].values()) <= 3
        linked.append(backend.manifest["counts"]["segments_linked"])
    assert linked == [True, True, False, True]  # the third update compacted three segments into one
    full, _ = build_index([CORPUS], tmp_path / "full", MODEL, cache_dir=cache)
    assert sorted(c.key for c in backend.chunks()) == sorted(c.key for c in full.chunks())
    toks = tokenize("which trials use the hepatic artery?")
    np.testing.assert_allclose(sorted(backend.bm25.scores(toks)), sorted(full.bm25.scores(toks)), rtol=1e-6)
    assert len(list((tmp_path / "ix").glob("gen-*"))) == 2  # older generations cleaned up
    _same_stored_meta(backend, full)


def _same_stored_meta(a: EmbeddedBackend, b: EmbeddedBackend) -> None:
    """Two indexes of the same trials (in any order) store the same names and facts."""

    def by_trial(x: EmbeddedBackend) -> dict[str, tuple]:
        n = x.names()
        return {nct: (tuple(t), tuple(c)) for nct, t, c in zip(n["trials"], n["names"], n["conditions"], strict=True)}

    assert by_trial(a) == by_trial(b) and set(a.trials()) == set(b.trials())
    for nct in b.trials():
        fa, fb = facts_to_dict(a.facts_of(nct)), facts_to_dict(b.facts_of(nct))
        fa["trial"].pop("source"), fb["trial"].pop("source")  # the two may index other copies of a file
        assert fa == fb


def test_sections_without_vectors_score_zero_cosine(seed_index_dir: Path) -> None:
    backend = open_backend(seed_index_dir)
    no_vec = [i for i in range(backend.n_chunks) if backend.slot[i] < 0]
    assert no_vec and all(backend.chunk(i).section in build_mod.UNEMBEDDED for i in no_vec)
    assert not backend.vectors_of(no_vec).any()


def test_restricted_search_over_many_rows_uses_pools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.retrieval.search as search

    vecs = _clustered(3000, 32, 5)
    backend = _synthetic(tmp_path / "ix", vecs)
    q = _clustered(1, 32, 6)[0]
    rows = np.arange(0, 3000, 3)
    exact = rows[np.argsort(-(vecs[rows] @ q), kind="stable")[:10]]
    got, _ = backend.dense(q, 10, rows=rows)
    assert got.tolist() == exact.tolist()
    monkeypatch.setattr(store, "EXACT_SCAN_MAX", 0)  # the int8 scan, restricted
    scan = open_backend(tmp_path / "ix")
    assert len(set(scan.dense(q, 10, rows=rows)[0].tolist()) & set(exact.tolist())) >= 9
    monkeypatch.setattr(search, "RESTRICT_ALL", 50)
    hits = hybrid(backend, ["text", "7"], q, 5, FusionParams(), pool=20, rows=rows)
    assert hits and all(h.row % 3 == 0 for h in hits)
    assert hits[0].row == 6 or hits[0].dense >= max(h.dense for h in hits[1:])


def test_row_file_reads_any_rows_like_the_array(tmp_path: Path) -> None:
    from index.store.segments import RowFile, RowSegments

    a = np.arange(50 * 4, dtype=np.float16).reshape(50, 4)
    b = np.arange(7 * 4, dtype=np.float16).reshape(7, 4) + 1000
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    rf = RowFile(tmp_path / "a.npy")
    assert len(rf) == 50 and (rf[3] == a[3]).all() and (rf[-1] == a[-1]).all()
    idx = np.array([49, 0, 7, 8, 7, 30])
    assert (rf[idx] == a[idx]).all() and (rf[10:20] == a[10:20]).all() and (np.asarray(rf) == a).all()
    seg = RowSegments([rf, RowFile(tmp_path / "b.npy")], 4, np.float16)
    both = np.concatenate([a, b])
    pick = np.array([52, 1, 56, 49, 50])
    assert len(seg) == 57 and (seg[pick] == both[pick]).all() and (np.asarray(seg) == both).all()
    with pytest.raises(IndexError):
        rf[np.array([50])]


def test_the_generation_current_named_before_a_switch_is_kept(tmp_path: Path) -> None:
    d = tmp_path / "ix"
    _synthetic(d, _clustered(30, 8, 3))  # gen-000001, CURRENT
    (d / "gen-000002").mkdir()  # a generation renamed into place by a build killed before the switch
    (d / ".tmp-gen-abc").mkdir()  # a killed build's temporary directory
    _synthetic(d, _clustered(30, 8, 4))  # gen-000003
    assert (d / "CURRENT").read_text() == "gen-000003\n"
    # the orphan and the temporary directory go; the generation readers may still be opening stays
    assert sorted(p.name for p in d.iterdir()) == ["CURRENT", "gen-000001", "gen-000003"]
    assert (d / "gen-000003" / "manifest.sha256").is_file()


def test_builds_of_one_directory_take_turns(tmp_path: Path) -> None:
    import threading

    d = tmp_path / "ix"
    order: list[str] = []
    with store.writer_lock(d):

        def second() -> None:
            with store.writer_lock(d):
                order.append("second")

        t = threading.Thread(target=second)
        t.start()
        t.join(0.5)
        assert t.is_alive() and order == []  # waits while the first holds the lock
        order.append("first")
    t.join(10)
    assert order == ["first", "second"]


def test_the_int8_scanner_is_loaded_once_under_concurrent_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(store, "EXACT_SCAN_MAX", 0)
    _synthetic(tmp_path / "ix", _clustered(300, 16, 5))
    backend = open_backend(tmp_path / "ix")
    made: list[object] = []
    real = store.Int8Scan

    def counting(*args: object) -> object:
        made.append(args)
        return real(*args)

    monkeypatch.setattr(store, "Int8Scan", counting)
    with ThreadPoolExecutor(8) as pool:
        scanners = list(pool.map(lambda _: backend.scanner, range(16)))
    assert len(made) == 1 and scanners[0] is not None and all(s is scanners[0] for s in scanners)


def test_hashing_the_corpus_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    import os

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("NCT00000001 hello")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        build_mod._sha256_regular(fifo)
    import hashlib

    assert build_mod._sha256_regular(corpus / "a.txt") == hashlib.sha256(b"NCT00000001 hello").hexdigest()


def test_trials_are_parsed_only_when_read(tmp_path: Path) -> None:
    backend = _synthetic(tmp_path / "ix", _clustered(50, 8, 6))
    trials = backend.trials()
    assert len(trials) == 5 and list(trials) == [f"NCT{i:08d}" for i in range(5)]
    assert "NCT00000003" in trials and "NCT99999999" not in trials and trials._parsed == {}
    assert trials["NCT00000003"].title == "trial 3" and list(trials._parsed) == ["NCT00000003"]
    assert backend.rows_of_trials(["NCT00000003"]).tolist() == list(range(30, 40))
    assert backend.names() == {
        "trials": list(trials),
        "names": [[] for _ in range(5)],
        "conditions": [[] for _ in range(5)],
    }


def test_a_build_reports_each_stage_in_order(tmp_path: Path) -> None:
    seen: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not seen or seen[-1] != stage:
            seen.append(stage)
        assert 0 <= done <= total

    backend, _ = build_index([CORPUS], tmp_path / "ix", MODEL, progress=progress, cache_dir=tmp_path / "cache")
    assert seen == ["read", "tokenize", "facts", "embed", "write"]
    assert list(backend.manifest["timings"]) == ["hash_and_open", "read", "chunk", "tokenize", "bm25", "facts", "embed"]


def test_an_unchanged_corpus_writes_nothing_and_tidies_up(tmp_path: Path) -> None:
    import os

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    d, cache = tmp_path / "ix", tmp_path / "cache"
    first, _ = build_index([corpus], d, MODEL, cache_dir=cache)
    (d / ".tmp-gen-killed").mkdir()  # left by a killed build
    (d / "gen-000009").mkdir()  # renamed into place by a killed build, never switched to
    again, corpus_again = build_index([corpus], d, MODEL, cache_dir=cache)
    assert again.dir == first.dir and len(corpus_again.trials) == 5
    assert sorted(p.name for p in d.iterdir()) == ["CURRENT", "LOCK", first.dir.name]
    f = next(corpus.iterdir())
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))  # same content, new time: recorded
    touched, _ = build_index([corpus], d, MODEL, cache_dir=cache)
    assert touched.dir != first.dir and touched.manifest["counts"]["read_files"] == 0  # hashed, not re-read
