"""What `index.milvus.backend` makes of stored entities: chunks, and the trial table whose
trials are fetched from the records collection when first read (or a question's candidates
together)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from index.errors import IndexCorrupt
from index.model import LazyTrials, trial_from_dict
from index.text.chunk import Chunk

CHUNK_FIELDS = ["row", "nct_id", "section", "heading", "text", "source", "field", "has_field", "start", "end"]


class RecordTrials(LazyTrials):
    """Trials by NCT ID in index order, each fetched from Milvus on first access."""

    def __init__(self, ids: Sequence[str], backend: Any) -> None:
        self._backend = backend
        super().__init__(ids, self._fetch)

    def prefetch(self, nct_ids: Collection[str]) -> None:
        want = [n for n in sorted(nct_ids) if n in self.order and n not in self._parsed]
        for nct, record in self._backend.records_of("trial", want).items():
            self._parsed.setdefault(nct, trial_from_dict(record))

    def _fetch(self, row: int) -> dict[str, Any]:
        nct_id = self.ids[row]
        record = self._backend.trial_record(nct_id)
        if record is None:
            raise IndexCorrupt(f"Milvus index {self._backend.name!r}: no record of {nct_id}")
        return record


def chunk_of(e: dict[str, Any]) -> Chunk:
    """A chunk from its entity (`CHUNK_FIELDS`)."""
    return Chunk(
        nct_id=e["nct_id"],
        section=e["section"],
        heading=e["heading"],
        text=e["text"],
        source=e["source"],
        field=e["field"] if e["has_field"] else None,
        start=int(e["start"]),
        end=int(e["end"]),
    )
