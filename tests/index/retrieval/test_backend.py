"""`SearchBackend` is a protocol only: the embedded backend offers all of it (the Milvus one is
checked in tests/index/milvus/test_backend.py)."""

from __future__ import annotations

from index.store.reader import EmbeddedBackend
from tests.helpers.protocol import MEMBERS, backend_gaps


def test_the_protocol_members() -> None:
    assert MEMBERS == [
        "chunk", "dense", "fact_record", "idf", "lexical_matches", "manifest", "n_chunks", "n_trials", "names",
        "rows_of_trials", "trials", "vectors_of",
    ]  # fmt: skip


def test_the_embedded_backend_satisfies_it(seed_index) -> None:
    backend = seed_index.backend
    assert isinstance(backend, EmbeddedBackend)
    assert backend_gaps(backend) == []
    assert (backend.n_chunks, backend.n_trials) == (131, 5)


def test_gaps_are_named() -> None:
    class Half:
        manifest = None

        def chunk(self, index: int) -> None: ...

    gaps = backend_gaps(Half())
    assert "chunk: takes ['index'], the protocol ['row']" in gaps
    assert "dense: missing" in gaps
    assert "manifest: missing" not in gaps
