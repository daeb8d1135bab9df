"""Updating an index in Milvus in place from a new build of its corpus (`IndexData`).

Chunks are matched by content id (`index.milvus.writer.content_id`): a chunk already stored
is left as it is (its row, vector and term counts), a new or changed one is inserted under a
new row, and the chunks no longer in the corpus (those of removed trials, the old versions
of changed ones) are deleted. Term ids are stable: new terms get new ids, terms no document
holds any more are deleted, and every term whose document frequency or idf changed is
rewritten; scores are computed from term counts and the corpus's current statistics (the
meta record), so the updated index answers as a full build would. Trials' filter rows are
rewritten (their order is the new build's), records only where their digest changed, and
the meta record last. The vectors come from the build, which embeds only texts the vector
cache does not hold.

Readers are not stopped: a question asked during an update may see part of it."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.milvus.client import Collections, query_all
from index.milvus.filters import EVERY
from index.milvus.writer import (
    check_bm25,
    chunk_batches,
    content_id,
    dim_of,
    doc_major,
    meta,
    put,
    put_columns,
    record,
    record_entities,
    term_entities,
    trial_entities,
    vectors,
)
from index.store.writer import IndexData

log = logging.getLogger(__name__)

DELETE_BATCH = 1000
SAME_INDEX = ("model", "dim", "tokenizer", "bm25")  # an update keeps these; else a full build


@dataclass(frozen=True)
class Update:
    """What an update changed."""

    chunks_added: int
    chunks_removed: int
    chunks_kept: int
    terms_written: int
    terms_removed: int
    records_written: int
    records_removed: int
    trials: int

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def stored_meta(client: Any, cols: Collections) -> dict[str, Any] | None:
    got = client.query(cols.records, filter='kind == "meta"', output_fields=["part", "value"])
    if not got:
        return None
    value: dict[str, Any] = json.loads("".join(e["value"] for e in sorted(got, key=lambda e: int(e["part"]))))
    return value


def update_milvus(client: Any, name: str, data: IndexData) -> Update | None:
    """Bring the index ``name`` to ``data`` in place; None when it cannot be updated (absent,
    or built with another model, tokenizer or BM25 parameters): then a full build is needed."""
    cols = Collections.of(name)
    if not all(client.has_collection(c) for c in cols.all()):
        return None
    old = stored_meta(client, cols)
    if old is None or "next_row" not in old:
        return None
    if any(old["manifest"].get(k) != data.manifest.get(k) for k in SAME_INDEX):
        return None
    check_bm25(data)
    ids, next_term, written, removed_terms = _terms(client, cols, data, int(old["next_term"]))
    added, removed, kept, next_row = _chunks(client, cols, data, ids, int(old["next_row"]))
    fit = all(ok for _, ok in trial_entities(data, check_only=True))
    n_trials = _trials(client, cols, data)
    rec_written, rec_removed = _records(client, cols, data)
    new_meta = list(
        record(
            "meta",
            "",
            meta(data, fit, next_row=next_row, next_term=next_term, dense_index=old.get("dense_index", "HNSW")),
        )
    )
    put(client, cols.records, new_meta, upsert=True)
    _delete(client, cols.records, "key", [f"meta::{p}" for p in range(len(new_meta), _meta_parts(client, cols))])
    u = Update(added, removed, kept, written, removed_terms, rec_written, rec_removed, n_trials)
    log.info("Milvus index %s updated: %s", name, u.to_dict())
    return u


def _terms(client: Any, cols: Collections, data: IndexData, next_term: int) -> tuple[np.ndarray, int, int, int]:
    """Index ids for the build's terms (kept, or new); terms rewritten and removed."""
    old = {
        e["term"]: (int(e["id"]), int(e["df"]), float(e["idf"]))
        for e in query_all(client, cols.terms, "id >= 0", ["term", "id", "df", "idf"])
    }
    df, idf = np.diff(data.tf.indptr), data.bm25.idfs()
    ids = np.zeros(len(data.bm25.vocab), dtype=np.int64)
    changed: list[int] = []
    for term, i in data.bm25.vocab.items():
        was = old.get(term)
        if was is None:
            ids[i], next_term = next_term, next_term + 1
            changed.append(i)
        else:
            ids[i] = was[0]
            if (was[1], was[2]) != (int(df[i]), float(idf[i])):
                changed.append(i)
    written = put(client, cols.terms, term_entities(data, ids, only=changed), upsert=True)
    gone = [t for t in old if t not in data.bm25.vocab]
    _delete(client, cols.terms, "term", gone)
    return ids, next_term, written, len(gone)


def _chunks(
    client: Any, cols: Collections, data: IndexData, ids: np.ndarray, next_row: int
) -> tuple[int, int, int, int]:
    """Insert the new chunks, then delete those gone: (added, removed, kept, next free row)."""
    stored = {e["content"]: int(e["row"]) for e in query_all(client, cols.chunks, "row >= 0", ["row", "content"])}
    wanted = [content_id(c) for c in data.chunks]
    new = [r for r, cid in enumerate(wanted) if cid not in stored]
    tf, weights = doc_major(data)
    vecs, has = vectors(data, dim_of(data))
    put_columns(client, cols.chunks, chunk_batches(data, new, next_row, ids, tf, weights, vecs, has))
    keep = set(wanted)
    gone = [row for cid, row in stored.items() if cid not in keep]
    _delete(client, cols.chunks, "row", gone)
    return len(new), len(gone), len(data.chunks) - len(new), next_row + len(new)


def _trials(client: Any, cols: Collections, data: IndexData) -> int:
    """Every trial's filter row (their numbers follow the new build's order); removed trials deleted."""
    old = {e["nct_id"] for e in query_all(client, cols.trials, EVERY, ["nct_id"])}
    put(client, cols.trials, (e for e, _ in trial_entities(data)), upsert=True)
    _delete(client, cols.trials, "nct_id", sorted(old - {t.nct_id for t in data.trials}))
    return len(data.trials)


def _records(client: Any, cols: Collections, data: IndexData) -> tuple[int, int]:
    """Records whose digest changed rewritten, those no longer wanted deleted."""
    old = {e["key"]: e["digest"] for e in query_all(client, cols.records, 'kind != "meta"', ["key", "digest"])}
    new = list(record_entities(data, None))
    written = put(client, cols.records, (e for e in new if old.get(e["key"]) != e["digest"]), upsert=True)
    keys = {e["key"] for e in new}
    gone = [k for k in old if k not in keys]
    _delete(client, cols.records, "key", gone)
    return written, len(gone)


def _meta_parts(client: Any, cols: Collections) -> int:
    return len(client.query(cols.records, filter='kind == "meta"', output_fields=["part"]))


def _delete(client: Any, collection: str, field: str, values: Sequence[Any]) -> None:
    for lo in range(0, len(values), DELETE_BATCH):
        client.delete(collection, filter=f"{field} in {json.dumps(list(values[lo : lo + DELETE_BATCH]))}")
    if values:
        client.flush(collection)
