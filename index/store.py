"""Index storage behind a small interface.

`SearchBackend` is what retrieval needs: chunks, lexical top-k, dense top-k. The
embedded backend keeps everything in one directory of plain files (JSON lines and .npy
arrays, memory-mapped on load: a chunk is parsed only when it is read); a distributed
engine can implement the same protocol.

Layout of an index directory (format 2)::

    CURRENT               name of the live generation ("gen-000002")
    gen-000002/
        manifest.json     format version, model, corpus fingerprint, counts, checksums
        trials.jsonl      the parsed trials, one per line; trial_offsets.npy: line starts
        chunks.jsonl      one chunk per line, in row order; chunk_offsets.npy: line starts
        chunk_trial.npy   each chunk's trial (line number in trials.jsonl)
        sources.json      each corpus file's content hash and the trials read from it
        bm25/             vocab.json, indptr/indices (term-major CSR), weights, tf, const, lengths
        dense/            vectors.npy float16 [n_vectors, dim], L2-normalised, for the chunks in
                          rows.npy (metadata chunks have none), keys.npy (content hashes),
                          codes.npy uint8 + scale.npy (int8 codes for the full scan), scan.onnx
        query_encoder/    ONNX export of the model for fast queries (optional)

Dense search scans the int8 codes (onnxruntime's integer matrix product, a quarter of
float32's memory traffic) for the best ``max(RESCORE_MIN, RESCORE_FACTOR * k)`` vectors
and rescores those exactly from the float16 vectors; small indexes are scanned exactly.

A build writes a new generation into a temporary directory, renames it into place and
then atomically replaces CURRENT, so a killed build never leaves a half-written index
and the previous generation stays usable until the switch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, overload

import numpy as np
from scipy import sparse

from index.bm25 import BM25, BM25Params
from index.chunk import Chunk
from index.errors import IndexCorrupt, IndexMissing, IndexStale
from index.model import Trial
from index.serialize import chunk_from_dict, chunk_to_dict, trial_from_dict, trial_to_dict

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
CHECKSUM_LIMIT = 64 * 2**20  # larger files are checked by size only on load
EXACT_SCAN_MAX = 20_000  # up to this many vectors, dense search is one exact float32 product
RESCORE_FACTOR = 8  # the int8 scan keeps this many candidates per wanted result ...
RESCORE_MIN = 512  # ... and at least this many, rescored exactly


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


@dataclass(frozen=True)
class Carry:
    """Rows an incremental build keeps from the previous generation, copied byte for byte:
    old trial line numbers and old chunk rows, in their new order (new ones follow)."""

    gen: Path
    trials: np.ndarray
    chunks: np.ndarray


@dataclass
class IndexData:
    """Everything a build produces, ready to be written.

    ``trials`` and ``chunks`` are the new ones, written after whatever ``carry`` keeps;
    ``chunk_trial``, the BM25 arrays and the vectors cover every row."""

    trials: list[Trial]
    chunks: list[Chunk]
    chunk_trial: np.ndarray
    bm25: BM25
    tf: sparse.csr_matrix
    lengths: np.ndarray
    vectors: np.ndarray  # [n_vectors, dim], rows of the chunks in vector_rows
    vector_rows: np.ndarray
    vector_keys: np.ndarray  # content hash of each vector's text ("S40")
    manifest: dict[str, Any]
    sources: dict[str, Any] = field(default_factory=dict)
    carry: Carry | None = None
    codes: tuple[np.ndarray, np.ndarray] | None = None  # (codes, scale) when already quantized


class ChunkList(Sequence[Chunk]):
    """The chunks of a generation, parsed from chunks.jsonl only when read."""

    def __init__(self, path: Path, offsets: np.ndarray) -> None:
        self.path = path
        self.offsets = offsets
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            self._mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, i: int) -> Chunk: ...

    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...

    def __getitem__(self, i: int | slice) -> Chunk | list[Chunk]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"chunk {i} out of range ({n} chunks)")
        return chunk_from_dict(json.loads(self._mm[int(self.offsets[i]) : int(self.offsets[i + 1])]))

    def __iter__(self) -> Iterator[Chunk]:
        with self.path.open("rb") as f:
            for line in f:
                yield chunk_from_dict(json.loads(line))


class EmbeddedBackend:
    """Search over one generation directory, arrays memory-mapped."""

    def __init__(self, gen_dir: Path, manifest: dict[str, Any]) -> None:
        self.dir = gen_dir
        self.manifest = manifest
        self._trials: dict[str, Trial] | None = None
        self._chunks = ChunkList(gen_dir / "chunks.jsonl", np.load(gen_dir / "chunk_offsets.npy", mmap_mode="r"))
        self.chunk_trial = np.load(gen_dir / "chunk_trial.npy", mmap_mode="r")
        n = len(self._chunks)
        b = gen_dir / "bm25"
        vocab = json.loads((b / "vocab.json").read_text(encoding="utf-8"))
        weights = sparse.csr_matrix(
            (
                np.load(b / "weights.npy", mmap_mode="r"),
                np.load(b / "indices.npy", mmap_mode="r"),
                np.load(b / "indptr.npy", mmap_mode="r"),
            ),
            shape=(len(vocab), n),
        )
        self.bm25 = BM25(vocab, weights, np.load(b / "const.npy"), BM25Params(**manifest["bm25"]))
        d = gen_dir / "dense"
        self.vectors = np.load(d / "vectors.npy", mmap_mode="r")
        self.vector_rows = np.load(d / "rows.npy")
        if len(self.vector_rows) != len(self.vectors) or len(self.chunk_trial) != n:
            raise IndexCorrupt(f"{gen_dir}: array lengths disagree with {n} chunks")
        if len(self.vector_rows) and (self.vector_rows.min() < 0 or self.vector_rows.max() >= n):
            raise IndexCorrupt(f"{gen_dir}: vector rows out of range")
        self.slot = np.full(n, -1, dtype=np.int64)
        self.slot[self.vector_rows] = np.arange(len(self.vector_rows))
        self._exact: np.ndarray | None = None
        self._scanner: _Int8Scan | None = None
        self._scan_tried = False

    @property
    def n_chunks(self) -> int:
        return len(self._chunks)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def chunk(self, i: int) -> Chunk:
        return self._chunks[i]

    def chunks(self) -> ChunkList:
        return self._chunks

    def rows_of_trials(self, nct_ids: set[str] | Sequence[str]) -> np.ndarray:
        """Rows of every chunk of the named trials (fast: no chunk is parsed)."""
        order = {nct: i for i, nct in enumerate(self.trials())}
        wanted = np.array([order[x] for x in nct_ids if x in order], dtype=np.int64)
        return np.flatnonzero(np.isin(self.chunk_trial, wanted))

    def lexical(self, tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.bm25.top(tokens, k)

    def dense(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and cosines of the k chunks nearest the (unit) vector, best first."""
        m = len(self.vectors)
        if m == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        k = min(k, m)
        if m <= EXACT_SCAN_MAX or self.scanner is None:
            sims = self._exact_sims(q)
            slots = _top(sims, k)
            return self.vector_rows[slots].astype(np.int64), sims[slots].astype(np.float64)
        want = min(m, max(RESCORE_MIN, RESCORE_FACTOR * k))
        approx = self.scanner.scores(q)
        cand = np.sort(_top(approx, want))
        sims = np.asarray(self.vectors[cand], dtype=np.float32) @ q
        best = _top(sims, k)
        return self.vector_rows[cand[best]].astype(np.int64), sims[best].astype(np.float64)

    @property
    def scanner(self) -> _Int8Scan | None:
        """The int8 scan, or None (no codes, or onnxruntime unusable: exact scan instead)."""
        if not self._scan_tried:
            self._scan_tried = True
            if (self.dir / "dense" / "scan.onnx").is_file():
                try:
                    self._scanner = _Int8Scan(self.dir / "dense")
                except Exception:
                    log.warning("int8 scan unavailable; dense search scans float16 vectors", exc_info=True)
        return self._scanner

    def _exact_sims(self, q: np.ndarray) -> np.ndarray:
        if len(self.vectors) <= EXACT_SCAN_MAX:
            if self._exact is None:
                self._exact = np.asarray(self.vectors, dtype=np.float32)
            return self._exact @ q
        out = np.empty(len(self.vectors), dtype=np.float32)
        step = 65536
        for lo in range(0, len(self.vectors), step):
            out[lo : lo + step] = np.asarray(self.vectors[lo : lo + step], dtype=np.float32) @ q
        return out

    def vectors_of(self, rows: Sequence[int]) -> np.ndarray:
        """Each row's float32 vector (zeros for chunks without one)."""
        slots = self.slot[np.asarray(rows, dtype=np.int64)]
        out = np.zeros((len(slots), self.dim), dtype=np.float32)
        have = slots >= 0
        if have.any():
            out[have] = self.vectors[slots[have]]
        return out

    def idf(self, token: str) -> float:
        return self.bm25.idf(token)

    def trials(self) -> dict[str, Trial]:
        if self._trials is None:
            with (self.dir / "trials.jsonl").open(encoding="utf-8") as f:
                parsed = (trial_from_dict(json.loads(line)) for line in f)
                self._trials = {t.nct_id: t for t in parsed}
        return self._trials

    def vector_keys(self) -> np.ndarray:
        return np.load(self.dir / "dense" / "keys.npy")

    @property
    def query_encoder_dir(self) -> Path | None:
        d = self.dir / "query_encoder"
        return d if (d / "model.onnx").is_file() else None


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest scores, best first (ties by position)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


def quantize(vectors: np.ndarray, scale: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """uint8 codes (int8 + 128) of unit vectors with a per-dimension scale (the largest
    magnitude seen in that dimension; values beyond a given scale are clipped)."""
    v = np.asarray(vectors, dtype=np.float32)
    if scale is None:
        scale = np.abs(v).max(axis=0) if len(v) else np.ones(v.shape[1], dtype=np.float32)
        scale = np.maximum(scale, 1e-6).astype(np.float32)
    codes = np.empty(v.shape, dtype=np.uint8)
    step = 65536
    for lo in range(0, len(v), step):
        q = np.rint(v[lo : lo + step] * (127.0 / scale))
        np.clip(q, -127, 127, out=q)
        codes[lo : lo + step] = (q + 128).astype(np.uint8)
    return codes, scale


class _Int8Scan:
    """Approximate inner products of a query with every vector: uint8 codes times an int8
    query in onnxruntime (MLAS integer GEMM); the codes stay memory-mapped."""

    def __init__(self, d: Path) -> None:
        import onnxruntime as ort

        self.codes = np.load(d / "codes.npy", mmap_mode="r")
        self.scale = np.load(d / "scale.npy").astype(np.float32)
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(d / "scan.onnx"), sess_options=opts, providers=["CPUExecutionProvider"])
        self._codes_value = ort.OrtValue.ortvalue_from_numpy(self.codes)
        self._ort = ort

    def scores(self, q: np.ndarray) -> np.ndarray:
        w = q * (self.scale / 127.0)
        top = float(np.abs(w).max()) or 1.0
        b = np.rint(w * (127.0 / top)).astype(np.int8).reshape(-1, 1)
        (y,) = self.session.run_with_ort_values(
            ["scores"], {"codes": self._codes_value, "query": self._ort.OrtValue.ortvalue_from_numpy(b)}
        )
        return y.numpy().reshape(-1)


def scan_model() -> bytes:
    """The ONNX graph of `_Int8Scan`: scores = MatMulInteger(codes, query)."""
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["codes", "query"], ["scores"])],
        "int8_scan",
        [
            helper.make_tensor_value_info("codes", TensorProto.UINT8, ["n", "dim"]),
            helper.make_tensor_value_info("query", TensorProto.INT8, ["dim", 1]),
        ],
        [helper.make_tensor_value_info("scores", TensorProto.INT32, ["n", 1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model.SerializeToString()


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


def _json_line(d: dict[str, Any]) -> bytes:
    return (json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8")


def _write_lines(
    path: Path, old: tuple[Path, np.ndarray, np.ndarray] | None, new: Sequence[dict[str, Any]]
) -> np.ndarray:
    """A JSON-lines file: the lines ``old`` keeps (old file, its line offsets, kept line
    numbers), copied byte for byte in runs, then the new lines. Returns line offsets."""
    sizes: list[np.ndarray] = []
    with path.open("wb") as out:
        if old is not None and len(old[2]):
            src_path, offs, keep = old
            keep = np.asarray(keep, dtype=np.int64)
            sizes.append(np.asarray(offs[keep + 1] - offs[keep], dtype=np.int64))
            breaks = np.flatnonzero(np.diff(keep) != 1) + 1
            with src_path.open("rb") as src:
                for run in np.split(keep, breaks):
                    start, end = int(offs[run[0]]), int(offs[run[-1] + 1])
                    _copy_range(src, out, start, end - start)
        blob = [_json_line(d) for d in new]
        sizes.append(np.fromiter((len(b) for b in blob), dtype=np.int64, count=len(blob)))
        out.write(b"".join(blob))
    offsets = np.zeros(sum(len(s) for s in sizes) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64), out=offsets[1:])
    return offsets


def _copy_range(src: Any, dst: Any, start: int, length: int) -> None:
    dst.flush()
    done = 0
    try:
        while done < length:
            n = os.copy_file_range(src.fileno(), dst.fileno(), length - done, start + done)
            if n == 0:
                break
            done += n
    except OSError:
        pass
    if done < length:  # no kernel copy here: plain reads
        src.seek(start + done)
        left = length - done
        while left:
            block = src.read(min(left, 1 << 24))
            if not block:
                raise IndexCorrupt(f"{src.name}: shorter than its offsets say; rebuild with `trialqa index`")
            dst.write(block)
            left -= len(block)
    else:
        dst.seek(0, os.SEEK_END)


def _write_files(d: Path, data: IndexData, query_encoder: Path | None) -> None:
    carry = data.carry
    old_trials = old_chunks = None
    if carry is not None:
        old_trials = (carry.gen / "trials.jsonl", np.load(carry.gen / "trial_offsets.npy"), carry.trials)
        old_chunks = (carry.gen / "chunks.jsonl", np.load(carry.gen / "chunk_offsets.npy"), carry.chunks)
    t_off = _write_lines(d / "trials.jsonl", old_trials, [trial_to_dict(t) for t in data.trials])
    np.save(d / "trial_offsets.npy", t_off)
    c_off = _write_lines(d / "chunks.jsonl", old_chunks, [chunk_to_dict(c) for c in data.chunks])
    np.save(d / "chunk_offsets.npy", c_off)
    n = len(c_off) - 1
    if len(data.chunk_trial) != n or len(data.lengths) != n or data.tf.shape[1] != n:
        raise ValueError(f"index data disagrees: {n} chunks, {len(data.chunk_trial)} trial links, {data.tf.shape}")
    np.save(d / "chunk_trial.npy", np.asarray(data.chunk_trial, dtype=np.int32))
    (d / "sources.json").write_text(json.dumps(data.sources, ensure_ascii=False), encoding="utf-8")
    b = d / "bm25"
    b.mkdir()
    (b / "vocab.json").write_text(json.dumps(data.bm25.vocab, ensure_ascii=False), encoding="utf-8")
    w = data.bm25.weights
    np.save(b / "weights.npy", np.asarray(w.data, dtype=np.float32))
    np.save(b / "indices.npy", np.asarray(w.indices, dtype=np.int32))
    np.save(b / "indptr.npy", np.asarray(w.indptr, dtype=np.int64))
    np.save(b / "const.npy", data.bm25.const)
    np.save(b / "tf.npy", np.asarray(data.tf.data, dtype=np.float32))
    np.save(b / "lengths.npy", np.asarray(data.lengths, dtype=np.float32))
    v = d / "dense"
    v.mkdir()
    vectors = np.asarray(data.vectors)
    np.save(v / "vectors.npy", vectors.astype(np.float16, copy=False))
    np.save(v / "rows.npy", np.asarray(data.vector_rows, dtype=np.int64))
    np.save(v / "keys.npy", np.asarray(data.vector_keys, dtype="S40"))
    codes, scale = data.codes if data.codes is not None else quantize(vectors)
    np.save(v / "codes.npy", codes)
    np.save(v / "scale.npy", scale)
    old_scan = carry.gen / "dense" / "scan.onnx" if carry is not None else None
    if old_scan is not None and old_scan.is_file():
        shutil.copyfile(old_scan, v / "scan.onnx")
    else:
        try:
            (v / "scan.onnx").write_bytes(scan_model())
        except ImportError:  # no onnx: dense search scans the float16 vectors
            log.info("onnx not installed; no int8 scan model written")
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
    """The generation's term-by-chunk counts (sharing the weights' structure) and lengths."""
    b = gen / "bm25"
    tf = sparse.csr_matrix(
        (np.load(b / "tf.npy").astype(np.float64), np.load(b / "indices.npy"), np.load(b / "indptr.npy")),
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
