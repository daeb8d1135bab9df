"""The collections of one index in Milvus: their fields, and records split into parts."""

from __future__ import annotations

from index.milvus import schema


def fields(client, collection: str) -> list[str]:
    return [f["name"] for f in client.describe_collection(collection)["fields"]]


def test_the_seed_index_collections(milvus_seed_index) -> None:
    client = milvus_seed_index.backend.client
    assert fields(client, "seeds_chunks") == [
        "row", "trial", "nct_id", "section", "heading", "text", "source", "field", "has_field", "start", "end",
        "has_vector", "dense", "bm25",
    ]  # fmt: skip
    assert fields(client, "seeds_terms") == ["term", "id", "idf", "placeholder"]
    assert fields(client, "seeds_records") == ["key", "kind", "nct_id", "trial", "part", "value", "placeholder"]
    dense = next(f for f in client.describe_collection("seeds_chunks")["fields"] if f["name"] == "dense")
    assert int(dense["params"]["dim"]) == 384


def test_parts_fit_a_varchar_field() -> None:
    assert schema.parts("") == [""]
    assert schema.parts("abc") == ["abc"]
    long = "é" * (2 * schema.PART_CHARS + 5)
    got = schema.parts(long)
    assert [len(p) for p in got] == [schema.PART_CHARS, schema.PART_CHARS, 5]
    assert "".join(got) == long
    assert max(len(p.encode("utf-8")) for p in schema.parts("😀" * schema.PART_CHARS)) <= schema.MAX_TEXT
