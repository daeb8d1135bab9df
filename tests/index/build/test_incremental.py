"""Incremental builds: only what changed is read and embedded, and the result scores as a
full build of the same corpus would; many updates are compacted."""

import shutil
from pathlib import Path

import numpy as np
import pytest

import index.build.incremental as inc
import index.store.vectors as vectors_mod
from index.build.incremental import should_link
from index.build.pipeline import build_index
from index.retrieval.fusion import FusionParams
from index.retrieval.search import hybrid
from index.store.reader import EmbeddedBackend, open_backend
from index.text.tokenize import tokenize
from tests.conftest import CORPUS

MODEL = "all-MiniLM-L6-v2"


def _segments(chunks: list[int], dense: list[int], trials: int = 1) -> dict:
    return {
        "trials": [{"rows": 1}] * trials,
        "chunks": [{"rows": n} for n in chunks],
        "dense": [{"rows": n} for n in dense],
    }


def test_old_segments_are_linked_unless_many_or_mostly_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    assert should_link(_segments([100], [80]), kept_rows=75, kept_vectors=60)
    assert not should_link(_segments([100], [80]), kept_rows=74, kept_vectors=60)  # over a quarter dropped
    assert not should_link(_segments([100], [80]), kept_rows=90, kept_vectors=59)
    assert not should_link(_segments([100], [80]), kept_rows=0, kept_vectors=0)
    monkeypatch.setattr(inc, "MAX_SEGMENTS", 3)
    assert should_link(_segments([50, 50], [40, 40]), kept_rows=100, kept_vectors=80)
    assert not should_link(_segments([40, 30, 30], [80]), kept_rows=100, kept_vectors=80)


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
    monkeypatch.setattr(vectors_mod, "EXACT_SCAN_MAX", 0)  # the int8 scan skips the dropped vectors too
    scanned = open_backend(tmp_path / "ix")
    rows3, _ = scanned.dense(q, 20)
    assert (rows3 >= 0).all() and len(set(rows3.tolist()) & set(rows.tolist())) >= 18


def test_many_updates_are_compacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
        fa, fb = a.fact_record(nct), b.fact_record(nct)
        fa["trial"].pop("source"), fb["trial"].pop("source")  # the two may index other copies of a file
        assert fa == fb
