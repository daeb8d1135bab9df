"""Writing a build's `IndexData` into Milvus: the collections of the index are replaced.

The same `IndexData` the embedded writer gets (`index.store.writer`): chunks with their
float16-rounded vectors and BM25 weights, the vocabulary, and each trial's record, facts and
names. A full build writes new collections under temporary names and renames them over the
old ones at the end, so readers see the old index until the new one is complete."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import numpy as np

from index.errors import IndexWriteError
from index.milvus import schema
from index.milvus.client import Collections
from index.model import trial_to_dict
from index.retrieval.bm25 import BM25
from index.store.writer import IndexData

log = logging.getLogger(__name__)

BATCH = 512  # entities per insert


def write_milvus(client: Any, name: str, data: IndexData) -> None:
    """Store ``data`` as the index ``name`` (replacing it), switching at the end."""
    if data.carry is not None:
        raise ValueError("the Milvus writer takes full builds only (no carried generation)")
    final = Collections.of(name)
    tmp = Collections.of(f"{name}__building")
    for c in tmp.all():
        if client.has_collection(c):
            client.drop_collection(c)
    dim = int(data.vectors.shape[1]) if data.vectors.ndim == 2 and data.vectors.shape[1] else int(data.manifest["dim"])
    schema.create_chunks(client, tmp.chunks, dim)
    schema.create_terms(client, tmp.terms)
    schema.create_records(client, tmp.records)
    try:
        _insert(client, tmp.chunks, _chunk_entities(data, dim))
        _insert(client, tmp.terms, _term_entities(data.bm25))
        _insert(client, tmp.records, _record_entities(data))
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


def _insert(client: Any, collection: str, entities: Iterator[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for e in entities:
        batch.append(e)
        if len(batch) == BATCH:
            client.insert(collection, batch)
            batch = []
    if batch:
        client.insert(collection, batch)
    client.flush(collection)


def _chunk_entities(data: IndexData, dim: int) -> Iterator[dict[str, Any]]:
    """Each chunk row with its vector (float16-rounded, as the embedded backend stores it)
    and its BM25 weights (document-major)."""
    vectors = np.zeros((len(data.chunks), dim), dtype=np.float32)
    has = np.zeros(len(data.chunks), dtype=bool)
    rows = np.asarray(data.vector_rows, dtype=np.int64)
    live = rows >= 0
    vectors[rows[live]] = np.asarray(data.vectors, dtype=np.float16)[live].astype(np.float32)
    has[rows[live]] = True
    by_doc = data.bm25.weights.T.tocsr()
    for row, c in enumerate(data.chunks):
        lo, hi = by_doc.indptr[row], by_doc.indptr[row + 1]
        yield {
            "row": row,
            "trial": int(data.chunk_trial[row]),
            "nct_id": c.nct_id,
            "section": c.section,
            "heading": c.heading,
            "text": c.text,
            "source": c.source,
            "field": c.field or "",
            "has_field": c.field is not None,
            "start": c.start,
            "end": c.end,
            "has_vector": bool(has[row]),
            "dense": vectors[row].tolist(),
            "bm25": _sparse(by_doc.indices[lo:hi], by_doc.data[lo:hi]),
        }


def _sparse(indices: np.ndarray, values: np.ndarray) -> dict[int, float]:
    """A chunk's BM25 weights; a chunk without terms gets one zero-free entry no query can hit."""
    if len(indices) == 0:
        return {2**32 - 2: 1e-30}
    return {int(i): float(v) for i, v in zip(indices, values, strict=True)}


def _term_entities(bm25: BM25) -> Iterator[dict[str, Any]]:
    for term, i in bm25.vocab.items():
        if len(term) > schema.MAX_TERM:
            continue
        yield {"term": term, "id": i, "idf": bm25.idf(term), "placeholder": schema.PLACEHOLDER}


def _record_entities(data: IndexData) -> Iterator[dict[str, Any]]:
    """Each trial's record, facts and names, then the meta record, in parts."""
    for i, t in enumerate(data.trials):
        yield from _record("trial", t.nct_id, i, trial_to_dict(t))
        yield from _record("facts", t.nct_id, i, data.facts[i])
        yield from _record("names", t.nct_id, i, [data.names[i], data.conditions[i]])
    meta = {
        "manifest": dict(data.manifest, kind="trialqa-index", backend="milvus"),
        "n_chunks": len(data.chunks),
        "n_trials": len(data.trials),
        "sources": data.sources,
    }
    yield from _record("meta", "", -1, meta)


def _record(kind: str, nct: str, trial: int, value: Any) -> Iterator[dict[str, Any]]:
    text = json.dumps(value, ensure_ascii=False)
    for p, part in enumerate(schema.parts(text)):
        yield {
            "key": f"{kind}:{nct}:{p}",
            "kind": kind,
            "nct_id": nct,
            "trial": trial,
            "part": p,
            "value": part,
            "placeholder": schema.PLACEHOLDER,
        }
