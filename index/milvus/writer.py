"""Writing a build's `IndexData` into Milvus: the collections of the index are replaced.

The same `IndexData` the embedded writer gets (`index.store.writer`): chunks with their
float16-rounded vectors, term counts and BM25 weights, the vocabulary, and each trial's
record, facts and names. A full build writes new collections under temporary names and
renames them over the old ones at the end, so readers see the old index until the new one
is complete. `index.milvus.update` changes an index in place with the same entities."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from index.errors import IndexWriteError
from index.facts.stored import facts_from_dict
from index.milvus import schema
from index.milvus.client import Collections, fields_of, write_columns
from index.milvus.filters import trial_fields
from index.model import trial_to_dict
from index.store.writer import IndexData
from index.text.chunk import Chunk

log = logging.getLogger(__name__)

BATCH = 512  # entities per insert


def write_milvus(client: Any, name: str, data: IndexData, dense_index: str = "HNSW") -> None:
    """Store ``data`` as the index ``name`` (replacing it), switching at the end; the dense
    vectors in a ``dense_index`` (`index.milvus.schema.create_chunks`)."""
    if data.carry is not None:
        raise ValueError("the Milvus writer takes full builds only (no carried generation)")
    check_bm25(data)
    final = Collections.of(name)
    tmp = Collections.of(f"{name}__building")
    for c in tmp.all():
        if client.has_collection(c):
            client.drop_collection(c)
    dim = dim_of(data)
    schema.create_chunks(client, tmp.chunks, dim, dense_index)
    schema.create_terms(client, tmp.terms)
    schema.create_trials(client, tmp.trials)
    schema.create_records(client, tmp.records)
    try:
        tf, weights = doc_major(data)
        ids = np.arange(len(data.bm25.vocab), dtype=np.int64)
        vecs, has = vectors(data, dim)
        put_columns(client, tmp.chunks, chunk_batches(data, range(len(data.chunks)), 0, ids, tf, weights, vecs, has))
        put(client, tmp.terms, term_entities(data, ids))
        fit = all(ok for _, ok in trial_entities(data, check_only=True))
        put(client, tmp.trials, (e for e, _ in trial_entities(data)))
        put(
            client,
            tmp.records,
            record_entities(
                data, meta(data, fit, next_row=len(data.chunks), next_term=len(ids), dense_index=dense_index)
            ),
        )
    except Exception as exc:  # pymilvus raises its own exceptions for a failed insert
        for c in tmp.all():
            client.drop_collection(c)
        raise IndexWriteError(
            f"cannot write the Milvus index {name!r} ({exc}); the index it holds is unchanged"
        ) from None
    for old, new in zip(final.all(), tmp.all(), strict=True):
        if client.has_collection(old):
            client.drop_collection(old)
        _rename(client, new, old)
    for c in final.all():
        client.load_collection(c)


def _rename(client: Any, old: str, new: str) -> None:
    """Rename a collection. Milvus Lite closes a collection to rename it, waiting for its
    background index builds (minutes at 100k chunks); pymilvus then sends the rename again and
    the second attempt fails although the first one renamed it: that failure is not one."""
    try:
        client.rename_collection(old, new)
    except Exception:  # pymilvus raises its own exceptions
        if client.has_collection(old) or not client.has_collection(new):
            raise
        log.warning("renaming %s to %s reported an error after it was done (a retried request)", old, new)


def check_bm25(data: IndexData) -> None:
    if data.bm25.params.variant != "plus":
        raise ValueError(f"the Milvus backend scores BM25Plus only, not {data.bm25.params.variant!r}")


def dim_of(data: IndexData) -> int:
    return int(data.vectors.shape[1]) if data.vectors.ndim == 2 and data.vectors.shape[1] else int(data.manifest["dim"])


def put(client: Any, collection: str, entities: Iterable[dict[str, Any]], upsert: bool = False) -> int:
    """Insert (or upsert) the entities in batches; how many."""
    fields = fields_of(client, collection)
    batch: list[dict[str, Any]] = []
    n = 0
    for e in entities:
        batch.append(e)
        if len(batch) == BATCH:
            n += write_columns(client, collection, _by_field(batch), upsert, fields)
            batch = []
    if batch:
        n += write_columns(client, collection, _by_field(batch), upsert, fields)
    client.flush(collection)
    return n


def _by_field(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r[k] for r in rows] for k in rows[0]}


def put_columns(client: Any, collection: str, batches: Iterable[dict[str, list[Any]]]) -> int:
    """Insert batches given by field (`chunk_columns`); how many entities."""
    fields = fields_of(client, collection)
    n = sum(write_columns(client, collection, cols, fields=fields) for cols in batches)
    client.flush(collection)
    return n


def content_id(c: Chunk) -> str:
    """A chunk's content id: what it holds and where (its vector follows from its text)."""
    key = [c.nct_id, c.section, c.heading, c.text, c.source, c.field, c.start, c.end]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


def doc_major(data: IndexData) -> tuple[Any, Any]:
    """Term counts and BM25 weights by chunk (CSR rows)."""
    return data.tf.T.tocsr(), data.bm25.weights.to_scipy().T.tocsr()


def vectors(data: IndexData, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Each chunk row's vector (float16-rounded, as the embedded backend stores it) and whether it has one."""
    out = np.zeros((len(data.chunks), dim), dtype=np.float32)
    has = np.zeros(len(data.chunks), dtype=bool)
    rows = np.asarray(data.vector_rows, dtype=np.int64)
    live = rows >= 0
    out[rows[live]] = np.asarray(data.vectors, dtype=np.float16)[live].astype(np.float32)
    has[rows[live]] = True
    return out, has


def chunk_batches(
    data: IndexData,
    rows: Sequence[int],
    first_pk: int,
    ids: np.ndarray,
    tf: Any,
    weights: Any,
    vecs: np.ndarray,
    has: np.ndarray,
) -> Iterator[dict[str, list[Any]]]:
    """Chunk ``rows`` of ``data`` in batches of `chunk_columns`, stored under primary keys
    ``first_pk``, ``first_pk + 1``, ..."""
    picked = np.asarray(rows, dtype=np.int64)
    for lo in range(0, len(picked), BATCH):
        yield chunk_columns(data, picked[lo : lo + BATCH], first_pk + lo, ids, tf, weights, vecs, has)


def chunk_columns(
    data: IndexData,
    rows: np.ndarray,
    first_pk: int,
    ids: np.ndarray,
    tf: Any,
    weights: Any,
    vecs: np.ndarray,
    has: np.ndarray,
) -> dict[str, list[Any]]:
    """Chunks ``rows`` of ``data`` as columns (field -> values), under primary keys from
    ``first_pk``, with their vectors and whether they have one (`vectors`); term ids mapped by
    ``ids`` (the build's id -> the index's); ``tf``, ``weights``: `doc_major`."""
    cs = [data.chunks[r] for r in rows.tolist()]
    t_ids, t_counts = _csr_rows(tf, rows, ids)
    w_ids, w_values = _csr_rows(weights, rows, ids)
    return {
        "row": list(range(first_pk, first_pk + len(rows))),
        "content": [content_id(c) for c in cs],
        "nct_id": [c.nct_id for c in cs],
        "section": [c.section for c in cs],
        "heading": [c.heading for c in cs],
        "text": [c.text for c in cs],
        "source": [c.source for c in cs],
        "field": [c.field or "" for c in cs],
        "has_field": [c.field is not None for c in cs],
        "start": [c.start for c in cs],
        "end": [c.end for c in cs],
        "has_vector": has[rows].tolist(),
        "dense": vecs[rows].tolist(),
        "bm25": [_sparse(i, v) for i, v in zip(w_ids, w_values, strict=True)],
        "length": [round(x) for x in np.asarray(data.lengths, dtype=np.float64)[rows].tolist()],
        "tf": [{"t": [[t, round(f)] for t, f in zip(i, c, strict=True)]} for i, c in zip(t_ids, t_counts, strict=True)],
    }


def _csr_rows(m: Any, rows: np.ndarray, ids: np.ndarray) -> tuple[list[list[int]], list[list[float]]]:
    """The ``rows`` of the CSR matrix ``m``: each one's column ids mapped by ``ids``, and values."""
    sub = m[rows]
    cols = ids[sub.indices].tolist()
    vals = sub.data.tolist()
    spans = list(itertools.pairwise(sub.indptr.tolist()))
    return [cols[a:b] for a, b in spans], [vals[a:b] for a, b in spans]


def _sparse(indices: Sequence[int] | np.ndarray, values: Sequence[float] | np.ndarray) -> dict[int, float]:
    """A chunk's BM25 weights; a chunk without terms gets one zero-free entry no query can hit."""
    if len(indices) == 0:
        return {2**32 - 2: 1e-30}
    return {int(i): float(v) for i, v in zip(indices, values, strict=True)}


def term_entities(data: IndexData, ids: np.ndarray, only: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
    """The vocabulary's terms (those at the build's ids ``only`` when given), each with its
    index id, document frequency and idf (the values the weights were computed with)."""
    df = np.diff(data.tf.indptr)
    idf = data.bm25.idfs()
    terms = list(data.bm25.vocab.items())
    for term, i in terms if only is None else [terms[j] for j in only]:
        if len(term) > schema.MAX_TERM:
            continue
        yield {
            "term": term,
            "id": int(ids[i]),
            "idf": float(idf[i]),
            "df": int(df[i]),
            "placeholder": schema.PLACEHOLDER,
        }


def trial_entities(data: IndexData, check_only: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    """Each trial's filter fields (`index.milvus.filters`) and whether its place lists fit."""
    for i, d in enumerate(data.facts):
        fields, ok = trial_fields(i, facts_from_dict(d))
        yield ({} if check_only else dict(fields, placeholder=schema.PLACEHOLDER)), ok


def meta(data: IndexData, places_fit: bool, next_row: int, next_term: int, dense_index: str) -> dict[str, Any]:
    """The index's meta record: manifest, counts, BM25 statistics, the next free row and term id."""
    return {
        "manifest": dict(data.manifest, kind="trialqa-index", backend="milvus"),
        "n_chunks": len(data.chunks),
        "n_trials": len(data.trials),
        "total_length": round(float(np.asarray(data.lengths, dtype=np.float64).sum())),
        "sources": data.sources,
        "places_fit": places_fit,
        "next_row": next_row,
        "next_term": next_term,
        "dense_index": dense_index,
    }


def record_entities(data: IndexData, meta_value: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    """Each trial's record, facts and names, then the meta record (when given), in parts."""
    for i, t in enumerate(data.trials):
        yield from record("trial", t.nct_id, trial_to_dict(t))
        yield from record("facts", t.nct_id, data.facts[i])
        yield from record("names", t.nct_id, [data.names[i], data.conditions[i]])
    if meta_value is not None:
        yield from record("meta", "", meta_value)


def record(kind: str, nct: str, value: Any) -> Iterator[dict[str, Any]]:
    text = json.dumps(value, ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for p, part in enumerate(schema.parts(text)):
        yield {
            "key": f"{kind}:{nct}:{p}",
            "kind": kind,
            "nct_id": nct,
            "digest": digest,
            "part": p,
            "value": part,
            "placeholder": schema.PLACEHOLDER,
        }
