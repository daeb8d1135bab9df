"""Writing generations: the files written, carried segments (linked or compacted), the switch."""

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.retrieval.bm25 import BM25, tf_matrix
from index.store.reader import open_backend
from index.store.writer import Carry, write_index
from tests.helpers.index_data import clustered, synthetic_data, synthetic_index


def _files(gen: Path) -> list[str]:
    return sorted(str(p.relative_to(gen)) for p in gen.rglob("*") if p.is_file())


def test_a_generation_holds_exactly_these_files(tmp_path: Path) -> None:
    backend = synthetic_index(tmp_path / "ix", clustered(20, 4, 0))
    assert backend.dir == tmp_path / "ix" / "gen-000001"
    assert _files(backend.dir) == [
        "bm25/const.npy",
        "bm25/indices.npy",
        "bm25/indptr.npy",
        "bm25/lengths.npy",
        "bm25/tf.npy",
        "bm25/vocab.json",
        "bm25/weights.npy",
        "chunk_spans.npy",
        "chunk_trial.npy",
        "chunks-000001.jsonl",
        "dense-000001/codes.npy",
        "dense-000001/vectors.npy",
        "dense/keys.npy",
        "dense/rows.npy",
        "dense/scale.npy",
        "dense/scan.onnx",
        "fact_spans.npy",
        "facts-000001.jsonl",
        "manifest.json",
        "manifest.sha256",
        "names.json",
        "sources.json",
        "trial_spans.npy",
        "trials-000001.jsonl",
    ]
    m = backend.manifest
    assert (m["kind"], m["format_version"], m["model"]) == ("trialqa-index", 11, "all-MiniLM-L6-v2")
    assert set(m["files"]) == set(_files(backend.dir)) - {"manifest.json", "manifest.sha256"}
    assert m["segments"] == {
        "trials": [{"name": "trials-000001.jsonl", "rows": 2}],
        "chunks": [{"name": "chunks-000001.jsonl", "rows": 20}],
        "dense": [{"name": "dense-000001", "rows": 20}],
        "facts": [{"name": "facts-000001.jsonl", "rows": 2}],
    }


def test_data_that_disagrees_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    data = synthetic_data(clustered(20, 4, 1))
    data.names = data.names[:1]
    with pytest.raises(ValueError) as info:
        write_index(tmp_path / "ix", data)
    assert str(info.value) == "index data disagrees: 2 trials, 2 fact records, 1 name lists, 2 condition lists"
    data = synthetic_data(clustered(20, 4, 1))
    data.vector_rows = data.vector_rows[:5]
    with pytest.raises(ValueError, match="index data disagrees: 20 vectors, 5 rows"):
        write_index(tmp_path / "ix", data)
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == []


def _carry_data(tmp_path: Path, link: bool) -> tuple[Path, Path]:
    """A second generation keeping the first's trial 1 (rows 10-19), adding one new trial."""
    first = synthetic_index(tmp_path / "ix", clustered(20, 4, 2)).dir
    new = synthetic_data(clustered(10, 4, 3))
    new.trials[0] = replace(new.trials[0], nct_id="NCT00000042")
    new.chunks = [replace(c, nct_id="NCT00000042") for c in new.chunks]
    kept_rows = np.arange(10, 20)
    new.chunk_trial = np.repeat(np.arange(2, dtype=np.int32), 10)
    docs = [["text", str(i)] for i in range(20)]
    _, new.tf, new.lengths = tf_matrix(docs)
    new.bm25 = BM25.fit(docs)
    old_keys = np.load(first / "dense" / "keys.npy")
    if link:
        new.vector_rows = np.concatenate([np.full(10, -1), np.arange(10), np.arange(10, 20)])
        new.vector_keys = np.concatenate([old_keys, new.vector_keys])
    else:
        old = open_backend(tmp_path / "ix")
        new.vectors = np.concatenate([np.asarray(old.vectors[kept_rows]), new.vectors])
        new.vector_rows = np.arange(20)
        new.vector_keys = np.concatenate([old_keys[kept_rows], new.vector_keys])
    new.carry = Carry(first, np.array([1]), kept_rows, link=link)
    return first, write_index(tmp_path / "ix", new)


def test_a_linked_carry_hard_links_the_old_segments(tmp_path: Path) -> None:
    first, second = _carry_data(tmp_path, link=True)
    b = open_backend(tmp_path / "ix")
    assert [s["name"] for s in b.manifest["segments"]["chunks"]] == ["chunks-000001.jsonl", "chunks-000002.jsonl"]
    assert os.stat(first / "chunks-000001.jsonl").st_ino == os.stat(second / "chunks-000001.jsonl").st_ino
    assert list(b.trials()) == ["NCT00000001", "NCT00000042"]
    assert [c.nct_id for c in b.chunks()] == ["NCT00000001"] * 10 + ["NCT00000042"] * 10
    assert b.chunk(0).text == "text 10" and b.chunk(10).text == "text 0"
    assert b.vector_rows.tolist()[:10] == [-1] * 10


def test_a_compacting_carry_copies_the_kept_rows_into_one_segment(tmp_path: Path) -> None:
    _carry_data(tmp_path, link=False)
    b = open_backend(tmp_path / "ix")
    assert b.manifest["segments"]["chunks"] == [{"name": "chunks-000002.jsonl", "rows": 20}]
    assert b.manifest["segments"]["dense"] == [{"name": "dense-000002", "rows": 20}]
    assert list(b.trials()) == ["NCT00000001", "NCT00000042"] and b.chunk(0).text == "text 10"
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == ["CURRENT", "gen-000001", "gen-000002"]


def test_the_generation_current_named_before_a_switch_is_kept(tmp_path: Path) -> None:
    d = tmp_path / "ix"
    synthetic_index(d, clustered(30, 8, 3))  # gen-000001, CURRENT
    (d / "gen-000002").mkdir()  # a generation renamed into place by a build killed before the switch
    (d / ".tmp-gen-abc").mkdir()  # a killed build's temporary directory
    synthetic_index(d, clustered(30, 8, 4))  # gen-000003
    assert (d / "CURRENT").read_text() == "gen-000003\n"
    # the orphan and the temporary directory go; the generation readers may still be opening stays
    assert sorted(p.name for p in d.iterdir()) == ["CURRENT", "gen-000001", "gen-000003"]
    assert (d / "gen-000003" / "manifest.sha256").is_file()
