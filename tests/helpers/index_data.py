"""Small synthetic indexes written through the real writer (no model needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.build.stages import trial_records
from index.model import Trial
from index.retrieval.bm25 import BM25, tf_matrix
from index.store.reader import EmbeddedBackend, open_backend
from index.store.writer import IndexData, write_index
from index.text.chunk import Chunk

MODEL = "all-MiniLM-L6-v2"
PER_TRIAL = 10  # chunks of each synthetic trial


def chunk(i: int, nct: str) -> Chunk:
    """The synthetic chunk of row i: text "text i"."""
    return Chunk(nct, "summary", "Summary", f"text {i}", "x.txt", None, 0, 6)


def clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors in clusters, like sentence embeddings (not uniform on the sphere)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, dim)).astype(np.float32)
    v = centres[rng.integers(0, 40, n)] + 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def synthetic_data(vectors: np.ndarray, docs: list[list[str]] | None = None) -> IndexData:
    """One chunk per vector (tokens ``docs``, default ["text", "i"]), ten chunks a trial."""
    n = len(vectors)
    docs = docs if docs is not None else [["text", str(i)] for i in range(n)]
    trials = [Trial(f"NCT{i:08d}", f"trial {i}", "x.txt", "text") for i in range(n // PER_TRIAL)]
    records = trial_records(trials)
    _, tf, lengths = tf_matrix(docs)
    return IndexData(
        trials=trials,
        chunks=[chunk(i, trials[i // PER_TRIAL].nct_id) for i in range(n)],
        chunk_trial=np.arange(n) // PER_TRIAL,
        bm25=BM25.fit(docs),
        tf=tf,
        lengths=lengths,
        vectors=vectors,
        vector_rows=np.arange(n),
        vector_keys=np.array([f"{i:040d}".encode() for i in range(n)]),
        manifest={"model": MODEL, "dim": vectors.shape[1], "bm25": {"variant": "plus"}},
        facts=records.facts,
        names=records.names,
        conditions=records.conditions,
    )


def synthetic_index(d: Path, vectors: np.ndarray, docs: list[list[str]] | None = None) -> EmbeddedBackend:
    """`synthetic_data` written to ``d`` and opened."""
    write_index(d, synthetic_data(vectors, docs))
    return open_backend(d)
