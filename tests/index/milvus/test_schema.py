"""The collections of one index in Milvus: their fields, and records split into parts."""

from __future__ import annotations

from index.milvus import schema


def fields(client, collection: str) -> list[str]:
    return [f["name"] for f in client.describe_collection(collection)["fields"]]


def test_the_seed_index_collections(milvus_seed_index) -> None:
    client = milvus_seed_index.backend.client
    assert fields(client, "seeds_chunks") == [
        "row", "content", "nct_id", "section", "heading", "text", "source", "field", "has_field", "start", "end",
        "has_vector", "dense", "bm25", "length", "tf",
    ]  # fmt: skip
    assert fields(client, "seeds_terms") == ["term", "id", "idf", "df", "placeholder"]
    assert fields(client, "seeds_trials") == [
        "nct_id", "trial", "status", "has_status", "sex", "has_sex", "allocation", "has_allocation", "masking",
        "has_masking", "study_type", "has_study_type", "phases", "has_phases", "enrollment", "has_enrollment",
        "min_age", "has_min_age", "max_age", "has_max_age", "has_placebo", "has_arms", "countries", "cities",
        "condition_words", "has_countries", "has_locations", "has_cities", "has_conditions", "routes", "sources",
        "placeholder",
    ]  # fmt: skip
    assert fields(client, "seeds_records") == ["key", "kind", "nct_id", "digest", "part", "value", "placeholder"]
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


def test_the_hepatic_artery_trial_s_filter_fields(milvus_seed_index) -> None:
    client = milvus_seed_index.backend.client
    (e,) = client.query("seeds_trials", filter='nct_id == "NCT01724697"', output_fields=["*"])
    assert (e["trial"], e["status"], list(e["phases"]), e["enrollment"], e["has_placebo"], e["has_arms"]) == (
        0, "Unknown", ["Phase 1", "Phase 2"], 240.0, False, True,
    )  # fmt: skip
    assert (e["countries"], e["has_locations"], e["has_conditions"]) == (["china"], False, True)  # its sponsor's name
    assert {"liver", "cirrhosi"} <= set(e["condition_words"])
    (e,) = client.query("seeds_trials", filter='nct_id == "NCT05106972"', output_fields=["countries", "cities"])
    assert (list(e["countries"]), sorted(e["cities"])) == (["china"], ["china", "haikou", "haikou people's hospital"])


def test_dense_index_is_flat_in_milvus_lite_and_hnsw_on_a_server(milvus_seed_index, milvus_server_index) -> None:
    lite, server = milvus_seed_index.backend.client, milvus_server_index.backend.client
    assert lite.describe_index("seeds_chunks", "dense")["index_type"] == "FLAT"
    assert server.describe_index("seeds_chunks", "dense")["index_type"] == "HNSW"
