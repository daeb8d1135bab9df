"""What the writer stores: one record per trial's parts and the meta record; full builds only."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from index.milvus.writer import _rename, _sparse, content_id, record, write_milvus
from tests.helpers.index_data import clustered, synthetic_data


def test_the_seed_meta_record(milvus_seed_index) -> None:
    client = milvus_seed_index.backend.client
    got = client.query("seeds_records", filter='kind == "meta"', output_fields=["key", "part", "value"])
    assert [(e["key"], e["part"]) for e in got] == [("meta::0", 0)]
    meta = json.loads(got[0]["value"])
    assert (meta["n_chunks"], meta["n_trials"], meta["next_row"], meta["places_fit"]) == (131, 5, 131, True)
    lengths = client.query("seeds_chunks", filter="row >= 0", output_fields=["length"], limit=1000)
    assert meta["total_length"] == sum(e["length"] for e in lengths) > 0
    assert (meta["manifest"]["kind"], meta["manifest"]["backend"]) == ("trialqa-index", "milvus")


def test_each_trial_has_a_trial_facts_and_names_record(milvus_seed_index) -> None:
    client = milvus_seed_index.backend.client
    got = client.query("seeds_records", filter='nct_id == "NCT01724697"', output_fields=["key", "kind", "digest"])
    assert sorted((e["kind"], e["key"]) for e in got) == [
        ("facts", "facts:NCT01724697:0"), ("names", "names:NCT01724697:0"), ("trial", "trial:NCT01724697:0"),
    ]  # fmt: skip
    assert all(len(e["digest"]) == 64 for e in got)
    names = client.query("seeds_records", filter='key == "names:NCT01724697:0"', output_fields=["value"])
    tokens, conditions = json.loads(names[0]["value"])
    assert conditions == ["liver cirrhosis", "end stage liver disease"]
    assert "militari" in tokens


def test_long_records_are_split_and_join_again() -> None:
    value = {"text": "x" * 40000}
    parts = list(record("trial", "NCT1", value))
    assert [p["key"] for p in parts] == ["trial:NCT1:0", "trial:NCT1:1", "trial:NCT1:2"]
    assert len({p["digest"] for p in parts}) == 1
    assert json.loads("".join(p["value"] for p in parts)) == value


def test_sparse_weights() -> None:
    assert _sparse(np.array([3, 7]), np.array([0.5, 1.25], dtype=np.float32)) == {3: 0.5, 7: 1.25}
    assert _sparse(np.array([], dtype=np.int64), np.array([])) == {2**32 - 2: 1e-30}  # no query term hits it


class _RowsOnly:
    """A client without pymilvus's column-based insert: the writer sends rows."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name == "_get_connection":
            raise AttributeError(name)
        return getattr(self._client, name)


def test_columns_and_rows_store_the_same_entities(milvus_seed_index) -> None:
    from index.milvus.client import Collections, fields_of, query_all

    docs = [["text", str(i), "word"] if i % 7 else [] for i in range(30)]  # some chunks without terms
    data = synthetic_data(clustered(30, 8, seed=2), docs)
    chunks = [replace(c, field="conditions") if i % 4 == 0 else c for i, c in enumerate(data.chunks)]
    data = replace(data, chunks=chunks, vector_rows=np.where(np.arange(30) % 5 == 0, -1, np.arange(30)))
    client = milvus_seed_index.backend.client
    write_milvus(client, "by_columns", data)
    write_milvus(_RowsOnly(client), "by_rows", data)
    assert fields_of(client, "by_columns_chunks") and not fields_of(_RowsOnly(client), "by_rows_chunks")
    keys = {"chunks": "row", "terms": "term", "trials": "nct_id", "records": "key"}
    for kind, key in keys.items():
        flt = "row >= 0" if key == "row" else f'{key} != ""'
        got = [
            sorted(query_all(client, getattr(Collections.of(name), kind), flt, ["*"]), key=lambda e: e[key])
            for name in ("by_columns", "by_rows")
        ]
        assert got[0] == got[1] and len(got[0]) == {"chunks": 30, "terms": 27, "trials": 3, "records": 10}[kind]
    (empty,) = client.query("by_columns_chunks", filter="row == 7", output_fields=["bm25", "tf", "has_vector"])
    assert (empty["bm25"], empty["tf"], empty["has_vector"]) == ({2**32 - 2: pytest.approx(1e-30)}, {"t": []}, True)
    for name in ("by_columns", "by_rows"):
        for c in Collections.of(name).all():
            client.drop_collection(c)


def test_a_carried_generation_is_refused() -> None:
    data = synthetic_data(clustered(20, 8, seed=1))
    with pytest.raises(ValueError, match="full builds only"):
        write_milvus(None, "x", replace(data, carry=object()))


def test_chunks_carry_their_content_id_term_counts_and_length(milvus_seed_index) -> None:
    b = milvus_seed_index.backend
    (e,) = b.client.query("seeds_chunks", filter="row == 0", output_fields=["content", "tf", "length"])
    assert e["content"] == content_id(b.chunk(0))
    assert sum(c for _, c in e["tf"]["t"]) == e["length"] > 0


def test_a_rename_reported_failed_after_it_was_done_is_done(milvus_seed_index, monkeypatch) -> None:
    """pymilvus resends a slow rename (Milvus Lite waits for index builds): the second attempt
    fails after the first renamed the collection."""
    from index.milvus import schema

    client = milvus_seed_index.backend.client
    schema.create_terms(client, "renamed_a")
    real = client.rename_collection

    def done_then_failed(old: str, new: str) -> None:
        real(old, new)
        raise RuntimeError("('default', 'renamed_a')")

    monkeypatch.setattr(client, "rename_collection", done_then_failed)
    _rename(client, "renamed_a", "renamed_b")
    assert (client.has_collection("renamed_a"), client.has_collection("renamed_b")) == (False, True)

    def failed(old: str, new: str) -> None:
        raise RuntimeError("no")

    monkeypatch.setattr(client, "rename_collection", failed)
    with pytest.raises(RuntimeError, match="no"):
        _rename(client, "renamed_b", "renamed_c")
    client.drop_collection("renamed_b")
