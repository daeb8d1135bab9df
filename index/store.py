"""Index storage behind a small interface.

`SearchBackend` is what retrieval needs: chunks, lexical top-k, dense top-k. The
embedded backend keeps everything in one directory of plain files (JSON, .npy arrays
memory-mapped on load); a distributed engine can implement the same protocol.

Layout of an index directory::

    CURRENT               name of the live generation ("gen-000002")
    gen-000002/
        manifest.json     format version, model, corpus fingerprint, counts, checksums
        trials.json       the parsed trials
        chunks.jsonl      one chunk per line, in row order
        bm25/             vocab.json, weights (CSR arrays), const.npy, tf arrays, lengths.npy
        vectors.npy       float32 [n_chunks, dim], L2-normalised
        keys.json         each chunk's content hash (embedding cache key)
        query_encoder/    ONNX export of the model for fast queries (optional)

A build writes a new generation into a temporary directory, renames it into place and
then atomically replaces CURRENT, so a killed build never leaves a half-written index
and the previous generation stays usable until the switch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from index.bm25 import BM25, BM25Params
from index.chunk import Chunk
from index.errors import IndexCorrupt, IndexMissing, IndexStale
from index.model import Trial
from index.serialize import chunk_from_dict, chunk_to_dict, trial_from_dict, trial_to_dict

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CHECKSUM_LIMIT = 64 * 2**20  # larger files are checked by size only on load


class SearchBackend(Protocol):
    manifest: dict[str, Any]

    @property
    def n_chunks(self) -> int: ...

    def chunk(self, i: int) -> Chunk: ...

    def lexical(self, tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def dense(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def vectors_of(self, rows: Sequence[int]) -> np.ndarray: ...

    def idf(self, token: str) -> float: ...

    def trials(self) -> dict[str, Trial]: ...


@dataclass
class IndexData:
    """Everything a build produces, ready to be written."""

    trials: list[Trial]
    chunks: list[Chunk]
    keys: list[str]
    bm25: BM25
    tf: sparse.csr_matrix
    lengths: np.ndarray
    vectors: np.ndarray
    manifest: dict[str, Any]


class EmbeddedBackend:
    """Search over one generation directory, arrays memory-mapped."""

    def __init__(self, gen_dir: Path, manifest: dict[str, Any]) -> None:
        self.dir = gen_dir
        self.manifest = manifest
        self._trials: dict[str, Trial] | None = None
        with (gen_dir / "chunks.jsonl").open(encoding="utf-8") as f:
            self._chunks = [chunk_from_dict(json.loads(line)) for line in f]
        b = gen_dir / "bm25"
        vocab = json.loads((b / "vocab.json").read_text(encoding="utf-8"))
        weights = sparse.csr_matrix(
            (
                np.load(b / "data.npy", mmap_mode="r"),
                np.load(b / "indices.npy", mmap_mode="r"),
                np.load(b / "indptr.npy", mmap_mode="r"),
            ),
            shape=(len(vocab), len(self._chunks)),
        )
        self.bm25 = BM25(vocab, weights, np.load(b / "const.npy"), BM25Params(**manifest["bm25"]))
        self.vectors = np.load(gen_dir / "vectors.npy", mmap_mode="r")
        if self.vectors.shape[0] != len(self._chunks):
            raise IndexCorrupt(f"{gen_dir}: {self.vectors.shape[0]} vectors for {len(self._chunks)} chunks")

    @property
    def n_chunks(self) -> int:
        return len(self._chunks)

    def chunk(self, i: int) -> Chunk:
        return self._chunks[i]

    def chunks(self) -> list[Chunk]:
        return self._chunks

    def lexical(self, tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.bm25.top(tokens, k)

    def dense(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.n_chunks == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        sims = np.asarray(self.vectors @ vector.astype(self.vectors.dtype), dtype=np.float64)
        k = min(k, len(sims))
        part = np.argpartition(-sims, k - 1)[:k]
        order = part[np.argsort(-sims[part], kind="stable")]
        return order, sims[order]

    def vectors_of(self, rows: Sequence[int]) -> np.ndarray:
        return np.asarray(self.vectors[np.asarray(rows, dtype=np.int64)], dtype=np.float32)

    def idf(self, token: str) -> float:
        return self.bm25.idf(token)

    def trials(self) -> dict[str, Trial]:
        if self._trials is None:
            raw = json.loads((self.dir / "trials.json").read_text(encoding="utf-8"))
            self._trials = {d["nct_id"]: trial_from_dict(d) for d in raw}
        return self._trials

    def keys(self) -> list[str]:
        return json.loads((self.dir / "keys.json").read_text(encoding="utf-8"))

    @property
    def query_encoder_dir(self) -> Path | None:
        d = self.dir / "query_encoder"
        return d if (d / "model.onnx").is_file() else None


def current_generation(index_dir: Path) -> Path:
    cur = index_dir / "CURRENT"
    if not cur.is_file():
        raise IndexMissing(f"no index at {index_dir}; build one with `trialqa index PATH... --index {index_dir}`")
    name = cur.read_text(encoding="utf-8").strip()
    gen = index_dir / name
    if not name.startswith("gen-") or "/" in name or not gen.is_dir():
        raise IndexCorrupt(f"{index_dir}: CURRENT points to {name!r}, which is missing; rebuild with `trialqa index`")
    return gen


def read_manifest(gen: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{gen}: unreadable manifest ({exc}); rebuild with `trialqa index`") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != "trialqa-index":
        raise IndexCorrupt(f"{gen}: not a trialqa index; rebuild with `trialqa index`")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexStale(
            f"{gen}: index format {manifest.get('format_version')}, this trialqa reads {FORMAT_VERSION}; "
            "rebuild with `trialqa index`"
        )
    return manifest


def verify(gen: Path, manifest: dict[str, Any], full: bool = False) -> None:
    """Check every file against the manifest's sizes and checksums."""
    for rel, info in manifest.get("files", {}).items():
        p = gen / rel
        try:
            size = p.stat().st_size
        except OSError:
            raise IndexCorrupt(f"{gen}: {rel} is missing; rebuild with `trialqa index`") from None
        if size != info["size"]:
            raise IndexCorrupt(f"{gen}: {rel} has {size} bytes, expected {info['size']}; rebuild with `trialqa index`")
        if (full or size <= CHECKSUM_LIMIT) and _sha256(p) != info["sha256"]:
            raise IndexCorrupt(f"{gen}: {rel} fails its checksum; rebuild with `trialqa index`")


def open_backend(index_dir: Path, full_check: bool = False) -> EmbeddedBackend:
    gen = current_generation(index_dir)
    manifest = read_manifest(gen)
    verify(gen, manifest, full=full_check)
    try:
        return EmbeddedBackend(gen, manifest)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"{gen}: cannot load ({exc}); rebuild with `trialqa index`") from None


def write_index(index_dir: Path, data: IndexData, query_encoder: Path | None = None) -> Path:
    """Write a new generation and switch CURRENT to it atomically."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-gen-", dir=index_dir))
    try:
        _write_files(tmp, data, query_encoder)
        gen = _next_generation(index_dir)
        os.replace(tmp, index_dir / gen)
        _fsync_dir(index_dir)
        cur_tmp = index_dir / f".CURRENT.{os.getpid()}"
        cur_tmp.write_text(gen + "\n", encoding="utf-8")
        with cur_tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(cur_tmp, index_dir / "CURRENT")
        _fsync_dir(index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _cleanup(index_dir, keep=gen)
    return index_dir / gen


def _write_files(d: Path, data: IndexData, query_encoder: Path | None) -> None:
    (d / "bm25").mkdir()
    (d / "trials.json").write_text(
        json.dumps([trial_to_dict(t) for t in data.trials], ensure_ascii=False), encoding="utf-8"
    )
    with (d / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for c in data.chunks:
            f.write(json.dumps(chunk_to_dict(c), ensure_ascii=False) + "\n")
    (d / "keys.json").write_text(json.dumps(data.keys), encoding="utf-8")
    b = d / "bm25"
    (b / "vocab.json").write_text(json.dumps(data.bm25.vocab, ensure_ascii=False), encoding="utf-8")
    w = data.bm25.weights
    np.save(b / "data.npy", w.data.astype(np.float32))
    np.save(b / "indices.npy", w.indices.astype(np.int32))
    np.save(b / "indptr.npy", w.indptr.astype(np.int64))
    np.save(b / "const.npy", data.bm25.const)
    np.save(b / "tf_data.npy", data.tf.data.astype(np.float32))
    np.save(b / "tf_indices.npy", data.tf.indices.astype(np.int32))
    np.save(b / "tf_indptr.npy", data.tf.indptr.astype(np.int64))
    np.save(b / "lengths.npy", data.lengths.astype(np.float32))
    np.save(d / "vectors.npy", np.ascontiguousarray(data.vectors, dtype=np.float32))
    if query_encoder is not None and (query_encoder / "model.onnx").is_file():
        shutil.copytree(query_encoder, d / "query_encoder")
    files = {}
    for p in sorted(d.rglob("*")):
        if p.is_file():
            files[str(p.relative_to(d))] = {"size": p.stat().st_size, "sha256": _sha256(p)}
            with p.open("rb") as f:
                os.fsync(f.fileno())
    manifest = dict(data.manifest, kind="trialqa-index", format_version=FORMAT_VERSION, files=files)
    (d / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")


def load_tf(gen: Path, n_terms: int, n_docs: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    b = gen / "bm25"
    tf = sparse.csr_matrix(
        (np.load(b / "tf_data.npy"), np.load(b / "tf_indices.npy"), np.load(b / "tf_indptr.npy")),
        shape=(n_terms, n_docs),
    )
    return tf, np.load(b / "lengths.npy").astype(np.float64)


def _next_generation(index_dir: Path) -> str:
    nums = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    return f"gen-{max(nums, default=0) + 1:06d}"


def _cleanup(index_dir: Path, keep: str) -> None:
    """Drop older generations, keeping the new one and the one before it (a reader that
    opened the previous generation a moment ago can still finish loading it)."""
    gens = sorted(p.name for p in index_dir.glob("gen-*") if p.name[4:].isdigit())
    keep_set = {keep, *gens[gens.index(keep) - 1 : gens.index(keep)]} if keep in gens else {keep}
    for p in index_dir.iterdir():
        if p.name in keep_set or p.name == "CURRENT":
            continue
        if p.name.startswith(("gen-", ".tmp-gen-", ".CURRENT.")):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
