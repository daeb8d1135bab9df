"""Reading a generation: `EmbeddedBackend`, the `SearchBackend` over one directory of plain files.

Layout of a generation (format 5)::

    manifest.json       format version, model, corpus fingerprint, counts, segments, checksums
    manifest.sha256     the manifest's own checksum (`index.store.manifest`)
    trials-000001.jsonl the parsed trials, one per line (segments: see `index.store.segments`)
    chunks-000001.jsonl the chunks, one per line
    trial_spans.npy     each trial's (start, end) bytes in the trial segments, in trial order
    facts-000001.jsonl  each trial's stored facts (as the build handed them over), in trial order
    fact_spans.npy      each trial's bytes in the fact segments
    names.json          every trial's NCT ID, name tokens (sponsor, places) and condition names
    chunk_spans.npy     each chunk's bytes in the chunk segments, in row order
    chunk_trial.npy     each chunk's trial (its number in trial order)
    sources.json        each corpus file's content hash and the trials read from it
    bm25/               vocab.json, indptr/indices (term-major CSR), weights, tf, const, lengths
    dense-000001/, dense/   vectors and their codes (`index.store.vectors`)
    query_encoder/      ONNX export of the model for fast queries (optional)

Arrays are memory-mapped on load and a chunk or trial is parsed only when it is read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import IndexCorrupt
from index.model import LazyTrials
from index.retrieval.bm25 import BM25, BM25Params, Postings, scores_at
from index.retrieval.dense import Int8Scan
from index.store.layout import current_generation
from index.store.manifest import REBUILD, read_manifest, verify
from index.store.segments import ChunkList, Lines, RowSegments
from index.store.vectors import VectorStore
from index.text.chunk import Chunk

NAME_KEYS = ("trials", "names", "conditions")  # names.json: one list per key, in trial order


class EmbeddedBackend:
    """Search over one generation directory, arrays memory-mapped. Beyond `SearchBackend`
    it offers what builds and `TrialIndex` use: ``dir``, ``bm25``, ``chunk_trial``, the
    vectors (``vectors``, ``codes``, ``vector_rows``, ``slot``, ``scanner``, `vector_keys`),
    `sources` and `query_encoder_dir`."""

    def __init__(self, gen_dir: Path, manifest: dict[str, Any]) -> None:
        self.dir = gen_dir
        self.manifest = manifest
        segs = manifest["segments"]
        self._trials: TrialMap | None = None
        self._names: dict[str, Any] | None = None
        self._trial_lines = _lines(gen_dir, segs["trials"], "trial_spans.npy")
        self._fact_lines = _lines(gen_dir, segs["facts"], "fact_spans.npy")
        if len(self._fact_lines) != len(self._trial_lines):
            raise IndexCorrupt(f"{gen_dir}: {len(self._fact_lines)} fact records for {len(self._trial_lines)} trials")
        self._chunks = ChunkList(_lines(gen_dir, segs["chunks"], "chunk_spans.npy"))
        n = len(self._chunks)
        self.chunk_trial = np.load(gen_dir / "chunk_trial.npy", mmap_mode="r")
        if len(self.chunk_trial) != n:
            raise IndexCorrupt(f"{gen_dir}: array lengths disagree with {n} chunks")
        self.bm25 = _load_bm25(gen_dir / "bm25", n, BM25Params(**manifest["bm25"]))
        self._dense = VectorStore(gen_dir, segs["dense"], int(manifest["dim"]), n)
        self.vectors: RowSegments = self._dense.vectors
        self.codes: RowSegments = self._dense.codes
        self.vector_rows: np.ndarray = self._dense.rows
        self.slot: np.ndarray = self._dense.slot

    @property
    def n_chunks(self) -> int:
        return len(self._chunks)

    @property
    def n_trials(self) -> int:
        return len(self._trial_lines)

    @property
    def dim(self) -> int:
        return self._dense.dim

    def chunk(self, row: int) -> Chunk:
        return self._chunks[row]

    def chunks(self) -> ChunkList:
        return self._chunks

    def lexical_matches(self, tokens: Sequence[str], rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The rows (of ``rows``, when given: sorted, unique) that contain a query term, sorted,
        and their BM25 scores above what a chunk without any query term gets."""
        docs, vals = self.bm25.matches(tokens)
        if rows is None:
            return docs, vals
        rows = np.asarray(rows, dtype=np.int64)
        found, scores = scores_at(docs, vals, rows)
        return rows[found], scores[found]

    def idf(self, token: str) -> float:
        return self.bm25.idf(token)

    def dense(self, vector: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and cosines of the k chunks nearest the (unit) vector, best first; ``rows``
        (sorted, unique) restricts the search to those chunks."""
        return self._dense.search(vector, k, rows)

    def vectors_of(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Each row's float32 vector (zeros for chunks without one)."""
        return self._dense.vectors_of(rows)

    @property
    def scanner(self) -> Int8Scan | None:
        """The int8 scan, or None (onnxruntime unusable: exact scan instead)."""
        return self._dense.scanner

    def vector_keys(self) -> np.ndarray:
        """Each vector slot's content hash ("S40")."""
        return self._dense.keys()

    def rows_of_trials(self, nct_ids: set[str] | Sequence[str]) -> np.ndarray:
        """Rows of every chunk of the named trials (fast: no chunk is parsed)."""
        order = self.trials().order
        wanted = np.array([order[x] for x in nct_ids if x in order], dtype=np.int64)
        return np.flatnonzero(np.isin(self.chunk_trial, wanted))

    def names(self) -> dict[str, Any]:
        """names.json: ``trials`` (NCT IDs in trial order), ``names`` (each trial's name
        tokens) and ``conditions`` (each trial's condition names)."""
        if self._names is None:
            try:
                names = json.loads((self.dir / "names.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise IndexCorrupt(f"{self.dir}: unreadable names.json ({exc}); {REBUILD}") from None
            if not isinstance(names, dict) or not all(isinstance(names.get(k), list) for k in NAME_KEYS):
                raise IndexCorrupt(f"{self.dir}: unreadable names.json (not a record of {NAME_KEYS}); {REBUILD}")
            if any(len(names[k]) != self.n_trials for k in NAME_KEYS):
                raise IndexCorrupt(f"{self.dir}: names.json disagrees with {self.n_trials} trials")
            self._names = names
        return self._names

    def trials(self) -> TrialMap:
        """The trials by NCT ID in index order; a trial is parsed when it is first read."""
        if self._trials is None:
            self._trials = TrialMap(self.names()["trials"], self._trial_lines)
        return self._trials

    def fact_record(self, nct_id: str) -> dict[str, Any]:
        """The trial's stored facts as the build handed them over (KeyError for an unknown trial)."""
        record: dict[str, Any] = json.loads(self._fact_lines.raw(self.trials().order[nct_id]))
        return record

    def sources(self) -> dict[str, Any]:
        """The corpus record of the build (files, their hashes, the trials each gave)."""
        try:
            record: dict[str, Any] = json.loads((self.dir / "sources.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return record

    @property
    def query_encoder_dir(self) -> Path | None:
        d = self.dir / "query_encoder"
        return d if (d / "model.onnx").is_file() else None


class TrialMap(LazyTrials):
    """Trials by NCT ID, in index order, each parsed from its line on first access."""

    def __init__(self, ids: Sequence[str], lines: Lines) -> None:
        super().__init__(ids, lambda row: json.loads(lines.raw(row)))


def _lines(gen_dir: Path, segments: Sequence[dict[str, Any]], spans: str) -> Lines:
    return Lines([gen_dir / s["name"] for s in segments], np.load(gen_dir / spans, mmap_mode="r"))


def _load_bm25(b: Path, n_chunks: int, params: BM25Params) -> BM25:
    vocab = json.loads((b / "vocab.json").read_text(encoding="utf-8"))
    weights = Postings(
        np.load(b / "weights.npy", mmap_mode="r"),
        np.load(b / "indices.npy", mmap_mode="r"),
        np.load(b / "indptr.npy", mmap_mode="r"),
        (len(vocab), n_chunks),
    )
    return BM25(vocab, weights, np.load(b / "const.npy"), params)


def load_tf(gen: Path, n_terms: int, n_docs: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The generation's term-by-chunk counts (sharing the weights' structure) and lengths."""
    from scipy import sparse

    b = gen / "bm25"
    tf = sparse.csr_matrix(
        (np.load(b / "tf.npy").astype(np.float64), np.load(b / "indices.npy"), np.load(b / "indptr.npy")),
        shape=(n_terms, n_docs),
    )
    return tf, np.load(b / "lengths.npy").astype(np.float64)


def open_backend(index_dir: Path, full_check: bool = False) -> EmbeddedBackend:
    """The live generation of the index at ``index_dir``, its files checked against the
    manifest (every checksum with ``full_check``)."""
    gen = current_generation(index_dir)
    manifest = read_manifest(gen)
    verify(gen, manifest, full=full_check)
    return _load(gen, manifest)


def open_written(gen: Path) -> EmbeddedBackend:
    """A generation this process has just written (its checksums were computed while writing)."""
    return _load(gen, read_manifest(gen))


def _load(gen: Path, manifest: dict[str, Any]) -> EmbeddedBackend:
    try:
        return EmbeddedBackend(gen, manifest)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexCorrupt(f"{gen}: cannot load ({exc}); {REBUILD}") from None


if TYPE_CHECKING:
    from scipy import sparse

    from index.retrieval.backend import SearchBackend

    def _implements_the_protocol(backend: EmbeddedBackend) -> SearchBackend:  # checked by mypy
        return backend
