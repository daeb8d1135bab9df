"""The collections of one index and how they are created.

``NAME_chunks``: one entity per chunk row: the chunk's fields (trial id, section, heading,
text, source, field, start/end offsets), its content id (``content``: a hash of those fields,
by which an update finds the chunks it keeps), its dense vector (the float16 values the
embedded backend stores, so cosines agree; zeros and ``has_vector`` false for metadata
chunks), its term counts (``tf``, term id -> count) and length, and its BM25 weights as a
sparse vector (term id -> the BM25Plus weight beyond the per-term constant, as the corpus
stood when the chunk was written). Milvus finds the chunks that share a query term by the
sparse vector; their scores are then computed exactly from the term counts and the corpus's
current statistics, so they equal the embedded backend's after updates too.

``NAME_terms``: the vocabulary: term -> id (stable across updates), document frequency and idf.

``NAME_trials``: one entity per trial (by NCT ID, with its number in index order) holding
the facts the structured filters read as scalar fields (`index.milvus.filters.trial_fields`),
so a filter runs inside Milvus as an expression.

``NAME_records``: stored JSON records split in parts: each trial (``trial``), its facts
(``facts``), its name tokens and condition names (``names``) and the index's ``meta``
(manifest, counts, BM25 statistics), each with the digest of its whole value (an update
rewrites only the records that changed). A question fetches only the records of the trials
it reads. Milvus requires a vector field in every collection: terms, trials and records
carry a 2-d placeholder.
"""

from __future__ import annotations

from typing import Any

from index.milvus.filters import MAX_ITEM, MAX_ITEMS

MAX_TEXT = 65535  # VARCHAR limit (bytes)
PART_CHARS = 16000  # a record part: at most 4 bytes a character stays under MAX_TEXT
MAX_TERM = 1024  # longer tokens are not stored (no query can usefully match them)
PLACEHOLDER = [0.0, 0.0]


DENSE_INDEXES = ("FLAT", "HNSW")


def create_chunks(client: Any, name: str, dim: int, dense_index: str = "HNSW") -> None:
    """``dense_index``: FLAT (exact: every vector compared; Milvus Lite and up to about a
    million chunks) or HNSW (approximate, for larger collections on a server; identical
    vectors, such as one keyword in many trials, can be unreachable in its graph)."""
    from pymilvus import DataType

    s = client.create_schema(auto_id=False)
    s.add_field("row", DataType.INT64, is_primary=True)
    s.add_field("content", DataType.VARCHAR, max_length=64)
    s.add_field("nct_id", DataType.VARCHAR, max_length=64)
    s.add_field("section", DataType.VARCHAR, max_length=256)
    s.add_field("heading", DataType.VARCHAR, max_length=MAX_TEXT)
    s.add_field("text", DataType.VARCHAR, max_length=MAX_TEXT)
    s.add_field("source", DataType.VARCHAR, max_length=4096)
    s.add_field("field", DataType.VARCHAR, max_length=256)
    s.add_field("has_field", DataType.BOOL)
    s.add_field("start", DataType.INT64)
    s.add_field("end", DataType.INT64)
    s.add_field("has_vector", DataType.BOOL)
    s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    s.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
    s.add_field("length", DataType.INT64)
    s.add_field("tf", DataType.JSON)
    ip = client.prepare_index_params()
    if dense_index == "HNSW":
        ip.add_index("dense", index_type="HNSW", metric_type="IP", params={"M": 16, "efConstruction": 200})
    else:
        ip.add_index("dense", index_type="FLAT", metric_type="IP")
    ip.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    ip.add_index("nct_id", index_type="INVERTED")
    client.create_collection(name, schema=s, index_params=ip)


def create_terms(client: Any, name: str) -> None:
    from pymilvus import DataType

    s = client.create_schema(auto_id=False)
    s.add_field("term", DataType.VARCHAR, is_primary=True, max_length=MAX_TERM * 4)
    s.add_field("id", DataType.INT64)
    s.add_field("idf", DataType.DOUBLE)
    s.add_field("df", DataType.INT64)
    s.add_field("placeholder", DataType.FLOAT_VECTOR, dim=len(PLACEHOLDER))
    _create_with_placeholder(client, name, s)


def create_trials(client: Any, name: str) -> None:
    from pymilvus import DataType

    s = client.create_schema(auto_id=False)
    s.add_field("nct_id", DataType.VARCHAR, is_primary=True, max_length=64)
    s.add_field("trial", DataType.INT64)
    for name_ in ("status", "sex", "allocation", "masking", "study_type"):
        s.add_field(name_, DataType.VARCHAR, max_length=256)
        s.add_field(f"has_{name_}", DataType.BOOL)
    s.add_field("phases", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=16, max_length=64)
    s.add_field("has_phases", DataType.BOOL)
    for name_ in ("enrollment", "min_age", "max_age"):
        s.add_field(name_, DataType.DOUBLE)
        s.add_field(f"has_{name_}", DataType.BOOL)
    s.add_field("has_placebo", DataType.BOOL)
    s.add_field("has_arms", DataType.BOOL)
    for name_ in ("countries", "cities", "condition_words"):
        s.add_field(
            name_, DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=MAX_ITEMS, max_length=MAX_ITEM * 4
        )
    for name_ in ("has_countries", "has_locations", "has_cities", "has_conditions"):
        s.add_field(name_, DataType.BOOL)
    s.add_field("routes", DataType.VARCHAR, max_length=MAX_TEXT)
    s.add_field("sources", DataType.VARCHAR, max_length=MAX_TEXT)
    s.add_field("placeholder", DataType.FLOAT_VECTOR, dim=len(PLACEHOLDER))
    _create_with_placeholder(client, name, s)


def create_records(client: Any, name: str) -> None:
    from pymilvus import DataType

    s = client.create_schema(auto_id=False)
    s.add_field("key", DataType.VARCHAR, is_primary=True, max_length=256)
    s.add_field("kind", DataType.VARCHAR, max_length=16)
    s.add_field("nct_id", DataType.VARCHAR, max_length=64)
    s.add_field("digest", DataType.VARCHAR, max_length=64)
    s.add_field("part", DataType.INT64)
    s.add_field("value", DataType.VARCHAR, max_length=MAX_TEXT)
    s.add_field("placeholder", DataType.FLOAT_VECTOR, dim=len(PLACEHOLDER))
    _create_with_placeholder(client, name, s)


def _create_with_placeholder(client: Any, name: str, schema: Any) -> None:
    ip = client.prepare_index_params()
    ip.add_index("placeholder", index_type="FLAT", metric_type="L2")
    client.create_collection(name, schema=schema, index_params=ip)


def parts(value: str) -> list[str]:
    """A record's text in parts that each fit a VARCHAR field."""
    return [value[i : i + PART_CHARS] for i in range(0, len(value), PART_CHARS)] or [""]
