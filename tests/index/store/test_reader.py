"""Reading a generation: lazy chunks and trials, lexical matches, stored records, damage."""

import json
from pathlib import Path

import numpy as np
import pytest

from index.errors import IndexCorrupt
from index.store.reader import open_backend
from tests.helpers.index_data import chunk, clustered, synthetic_data, synthetic_index


def test_chunks_are_parsed_lazily_and_rows_of_trials(tmp_path: Path) -> None:
    backend = synthetic_index(tmp_path / "ix", clustered(50, 8, 2))
    chunks = backend.chunks()
    assert len(chunks) == 50 and chunks[7] == chunk(7, "NCT00000000") and chunks[-1].text == "text 49"
    assert list(chunks)[12] == chunks[12] == backend.chunk(12)
    assert backend.rows_of_trials({"NCT00000002", "NCT99999999"}).tolist() == list(range(20, 30))
    assert (backend.n_chunks, backend.n_trials, backend.dim) == (50, 5, 8)


def test_trials_are_parsed_only_when_read(tmp_path: Path) -> None:
    backend = synthetic_index(tmp_path / "ix", clustered(50, 8, 6))
    trials = backend.trials()
    assert len(trials) == 5 and list(trials) == [f"NCT{i:08d}" for i in range(5)]
    assert "NCT00000003" in trials and "NCT99999999" not in trials and trials._parsed == {}
    assert trials["NCT00000003"].title == "trial 3" and list(trials._parsed) == ["NCT00000003"]
    assert trials.order["NCT00000003"] == 3
    assert backend.rows_of_trials(["NCT00000003"]).tolist() == list(range(30, 40))
    assert backend.names() == {
        "trials": list(trials),
        "names": [[] for _ in range(5)],
        "conditions": [[] for _ in range(5)],
    }


def test_lexical_matches_over_all_rows_or_some(tmp_path: Path) -> None:
    docs = [["cat"], ["dog"], ["cat", "cat"], ["bird"], ["cat", "dog"]] * 2
    backend = synthetic_index(tmp_path / "ix", clustered(10, 4, 1), docs)
    rows, scores = backend.lexical_matches(["cat"])
    assert rows.tolist() == [0, 2, 4, 5, 7, 9]
    np.testing.assert_allclose(scores, backend.bm25.sparse_scores(["cat"])[rows])
    some, some_scores = backend.lexical_matches(["cat"], rows=np.array([1, 2, 3, 9]))
    assert some.tolist() == [2, 9] and some_scores.tolist() == scores[[1, 5]].tolist()
    assert backend.lexical_matches(["fish"])[0].tolist() == []
    assert backend.idf("cat") == pytest.approx(np.log(11 / 6)) and backend.idf("fish") == 0.0


def test_fact_record_is_the_stored_dict(tmp_path: Path) -> None:
    data = synthetic_data(clustered(20, 4, 3))
    data.facts = [{"trial": {"nct_id": t.nct_id}, "n": i} for i, t in enumerate(data.trials)]
    data.names = [["xijing"], ["hospital", "paris"]]
    data.conditions = [["cirrhosis"], []]
    from index.store.writer import write_index

    write_index(tmp_path / "ix", data)
    backend = open_backend(tmp_path / "ix")
    assert backend.fact_record("NCT00000001") == {"trial": {"nct_id": "NCT00000001"}, "n": 1}
    with pytest.raises(KeyError):
        backend.fact_record("NCT99999999")
    assert backend.names()["names"] == [["xijing"], ["hospital", "paris"]]
    assert backend.names()["conditions"] == [["cirrhosis"], []]


def test_a_damaged_names_record_is_corrupt(tmp_path: Path) -> None:
    backend = synthetic_index(tmp_path / "ix", clustered(20, 4, 4))
    gen = backend.dir
    (gen / "names.json").write_text(json.dumps({"trials": ["NCT00000000"], "names": [[]], "conditions": [[]]}))
    with pytest.raises(IndexCorrupt) as short:
        open_backend(tmp_path / "ix", full_check=False).names()
    assert "names.json" in str(short.value)  # the checksum catches it first
    fresh = type(backend)(gen, backend.manifest)  # past the checksum: the reader's own checks
    with pytest.raises(IndexCorrupt) as info:
        fresh.names()
    assert str(info.value) == f"{gen}: names.json disagrees with 2 trials"
    (gen / "names.json").write_text(json.dumps([1, 2]))
    with pytest.raises(IndexCorrupt) as shape:
        type(backend)(gen, backend.manifest).names()
    assert str(shape.value) == (
        f"{gen}: unreadable names.json (not a record of ('trials', 'names', 'conditions')); "
        "rebuild with `trialqa index`"
    )


def test_a_generation_whose_arrays_disagree_cannot_load(tmp_path: Path) -> None:
    backend = synthetic_index(tmp_path / "ix", clustered(20, 4, 5))
    np.save(backend.dir / "chunk_trial.npy", np.zeros(3, dtype=np.int32))
    from index.store.reader import open_written

    with pytest.raises(IndexCorrupt) as info:
        open_written(backend.dir)
    assert str(info.value) == f"{backend.dir}: array lengths disagree with 20 chunks"
