"""Index storage behind a small interface.

`SearchBackend` is what retrieval needs: chunks, lexical top-k, dense top-k. The
embedded backend keeps everything in one directory of plain files (JSON lines and .npy
arrays, memory-mapped on load: a chunk is parsed only when it is read); a distributed
engine can implement the same protocol.

Layout of an index directory (format 5)::

    CURRENT                 name of the live generation ("gen-000002")
    gen-000002/
        manifest.json       format version, model, corpus fingerprint, counts, segments, checksums
        manifest.sha256     the manifest's own checksum (a damaged value that still parses is caught)
        trials-000001.jsonl the parsed trials, one per line (segments: see `index.store.segments`)
        chunks-000001.jsonl the chunks, one per line
        trial_spans.npy     each trial's (start, end) bytes in the trial segments, in trial order
        facts-000001.jsonl  each trial's facts with their citations (`index.facts.extract`), in trial order
        fact_spans.npy      each trial's bytes in the fact segments
        names.json          every trial's NCT ID, name tokens (sponsor, places) and condition names
        chunk_spans.npy     each chunk's bytes in the chunk segments, in row order
        chunk_trial.npy     each chunk's trial (its number in trial order)
        sources.json        each corpus file's content hash and the trials read from it
        bm25/               vocab.json, indptr/indices (term-major CSR), weights, tf, const, lengths
        dense-000001/       vectors.npy float16 [n, dim], L2-normalised; codes.npy uint8 (int8 + 128)
        dense/              rows.npy (each vector slot's chunk row; -1: dropped), keys.npy (content
                            hashes), scale.npy (per-dimension code scale), scan.onnx
        query_encoder/      ONNX export of the model for fast queries (optional)

Metadata chunks have no vector. Dense search scans the int8 codes (see `index.retrieval.dense`) for
the best ``max(RESCORE_MIN, RESCORE_FACTOR * k)`` vectors and rescores those exactly from
the float16 vectors; small indexes (up to EXACT_SCAN_MAX vectors) are scanned exactly.

A build writes a new generation into a temporary directory, renames it into place and
then atomically replaces CURRENT, so a killed build never leaves a half-written index
and the previous generation stays usable until the switch. Segment files never change:
an incremental build hard-links them into the new generation. One build writes an index
directory at a time (`writer_lock`); a second one waits for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from index.errors import IndexCorrupt, IndexMissing, IndexStale, IndexWriteError
from index.facts.extract import TrialFacts
from index.facts.names import condition_names, name_tokens, trial_facts
from index.facts.stored import facts_from_dict
from index.model import Trial
from index.retrieval.bm25 import BM25, BM25Params
from index.retrieval.dense import Int8Scan, quantize, scan_model, top
from index.store.segments import ChunkList, Lines, RowFile, RowSegments, link_or_copy
from index.store.serialize import chunk_to_dict, trial_from_dict, trial_to_dict
from index.text.chunk import Chunk

log = logging.getLogger(__name__)

FORMAT_VERSION = 5
MANIFEST_SUM = "manifest.sha256"
LOCK_NAME = "LOCK"
CHECKSUM_LIMIT = 64 * 2**20  # larger files are checked by size only on load
EXACT_SCAN_MAX = 4096  # up to this many vectors, dense search is one exact float32 product
RESCORE_FACTOR = 8  # the int8 scan keeps this many candidates per wanted result ...
RESCORE_MIN = 512  # ... and at least this many, rescored exactly
KINDS = ("trials", "chunks", "dense", "facts")  # facts segments follow the trials segments

__all__ = [
    "CHECKSUM_LIMIT",
    "EXACT_SCAN_MAX",
    "FORMAT_VERSION",
    "Carry",
    "ChunkList",
    "EmbeddedBackend",
    "IndexData",
    "SearchBackend",
    "current_generation",
    "load_tf",
    "open_backend",
    "quantize",
    "read_manifest",
    "tidy",
    "verify",
    "write_index",
    "writer_lock",
]


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
    """What an incremental build keeps of the previous generation: its trials and chunk rows
    (old numbers, in their new order; new ones follow). ``link``: hard-link the old segments
    into the new generation; otherwise the kept rows are copied into one new segment."""

    gen: Path
    trials: np.ndarray
    chunks: np.ndarray
    link: bool = True


@dataclass
class IndexData:
    """Everything a build produces, ready to be written.

    ``trials``, ``chunks`` and ``vectors`` go into new segments, after whatever ``carry``
    keeps; ``chunk_trial``, the BM25 arrays, ``vector_rows`` and ``vector_keys`` cover every
    row and vector slot (with ``carry.link``, the old segments' slots come first)."""

    trials: list[Trial]
    chunks: list[Chunk]
    chunk_trial: np.ndarray
    bm25: BM25
    tf: sparse.csr_matrix
    lengths: np.ndarray
    vectors: np.ndarray  # [n, dim] for the new dense segment
    vector_rows: np.ndarray
    vector_keys: np.ndarray  # content hash of each slot's text ("S40")
    manifest: dict[str, Any]
    sources: dict[str, Any] = field(default_factory=dict)
    carry: Carry | None = None
    codes: tuple[np.ndarray, np.ndarray] | None = None  # (codes of `vectors`, scale) when already quantized
    facts: list[dict[str, Any]] | None = None  # `trials`' stored facts, when already extracted


class EmbeddedBackend:
    """Search over one generation directory, arrays memory-mapped."""

    def __init__(self, gen_dir: Path, manifest: dict[str, Any]) -> None:
        self.dir = gen_dir
        self.manifest = manifest
        segs = manifest["segments"]
        self._trials: TrialMap | None = None
        self._names: dict[str, Any] | None = None
        self._trial_lines = Lines(
            [gen_dir / s["name"] for s in segs["trials"]], np.load(gen_dir / "trial_spans.npy", mmap_mode="r")
        )
        self._fact_lines = Lines(
            [gen_dir / s["name"] for s in segs["facts"]], np.load(gen_dir / "fact_spans.npy", mmap_mode="r")
        )
        if len(self._fact_lines) != len(self._trial_lines):
            raise IndexCorrupt(f"{gen_dir}: {len(self._fact_lines)} fact records for {len(self._trial_lines)} trials")
        self._chunks = ChunkList(
            Lines([gen_dir / s["name"] for s in segs["chunks"]], np.load(gen_dir / "chunk_spans.npy", mmap_mode="r"))
        )
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
        dim = int(manifest["dim"])
        dense = [gen_dir / s["name"] for s in segs["dense"]]
        self.vectors = RowSegments([RowFile(d / "vectors.npy") for d in dense], dim, np.float16)
        self.codes = RowSegments([np.load(d / "codes.npy", mmap_mode="r") for d in dense], dim, np.uint8)
        self.vector_rows = np.load(gen_dir / "dense" / "rows.npy")
        if len(self.vector_rows) != len(self.vectors) or len(self.chunk_trial) != n:
            raise IndexCorrupt(f"{gen_dir}: array lengths disagree with {n} chunks")
        if len(self.vector_rows) and self.vector_rows.max() >= n:
            raise IndexCorrupt(f"{gen_dir}: vector rows out of range")
        self._dropped = np.flatnonzero(self.vector_rows < 0)
        live = np.flatnonzero(self.vector_rows >= 0)
        self.slot = np.full(n, -1, dtype=np.int64)
        self.slot[self.vector_rows[live]] = live
        self._exact: np.ndarray | None = None
        self._scanner: Int8Scan | None = None
        self._scan_tried = False
        self._scan_lock = threading.Lock()

    @property
    def n_chunks(self) -> int:
        return len(self._chunks)

    @property
    def dim(self) -> int:
        return self.vectors.dim

    def chunk(self, i: int) -> Chunk:
        return self._chunks[i]

    def chunks(self) -> ChunkList:
        return self._chunks

    def rows_of_trials(self, nct_ids: set[str] | Sequence[str]) -> np.ndarray:
        """Rows of every chunk of the named trials (fast: no chunk is parsed)."""
        order = self.trials().order
        wanted = np.array([order[x] for x in nct_ids if x in order], dtype=np.int64)
        return np.flatnonzero(np.isin(self.chunk_trial, wanted))

    def lexical(self, tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.bm25.top(tokens, k)

    def dense(self, vector: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and cosines of the k chunks nearest the (unit) vector, best first; ``rows``
        (sorted, unique) restricts the search to those chunks."""
        m = len(self.vectors)
        if m == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        allowed = None
        if rows is not None:
            allowed = self.slot[np.asarray(rows, dtype=np.int64)]
            allowed = allowed[allowed >= 0]
            if len(allowed) <= EXACT_SCAN_MAX:  # few: score exactly
                sims = np.asarray(self.vectors[allowed], dtype=np.float32) @ q
                best = top(sims, k)
                return self.vector_rows[allowed[best]].astype(np.int64), sims[best].astype(np.float64)
        if m <= EXACT_SCAN_MAX or self.scanner is None:
            sims = self._exact_sims(q)
            sims[self._dropped] = -np.inf
            if allowed is not None:
                keep = np.full(m, -np.inf, dtype=np.float32)
                keep[allowed] = sims[allowed]
                sims = keep
            slots = top(sims, k)
            slots = slots[np.isfinite(sims[slots])]
            return self.vector_rows[slots].astype(np.int64), sims[slots].astype(np.float64)
        approx = self.scanner.scores(q)
        floor = np.iinfo(approx.dtype).min + 1  # (negating the minimum itself overflows)
        approx[self._dropped] = floor
        if allowed is not None:
            keep = np.full(m, floor, dtype=approx.dtype)
            keep[allowed] = approx[allowed]
            approx = keep
        cand = np.sort(top(approx, min(m, max(RESCORE_MIN, RESCORE_FACTOR * k))))
        cand = cand[(self.vector_rows[cand] >= 0) & (approx[cand] > floor)]
        sims = np.asarray(self.vectors[cand], dtype=np.float32) @ q
        best = top(sims, k)
        return self.vector_rows[cand[best]].astype(np.int64), sims[best].astype(np.float64)

    @property
    def scanner(self) -> Int8Scan | None:
        """The int8 scan, or None (onnxruntime unusable: exact scan instead)."""
        if self._scan_tried:
            return self._scanner
        with self._scan_lock:  # threads that ask at once wait for the one loading it
            if not self._scan_tried:
                model = self.dir / "dense" / "scan.onnx"
                if model.is_file() and len(self.codes):
                    try:
                        self._scanner = Int8Scan(model, self.codes.parts, np.load(self.dir / "dense" / "scale.npy"))
                    except Exception:
                        log.warning("int8 scan unavailable; dense search scans float16 vectors", exc_info=True)
                self._scan_tried = True
        return self._scanner

    def _exact_sims(self, q: np.ndarray) -> np.ndarray:
        if len(self.vectors) <= EXACT_SCAN_MAX:
            if self._exact is None:
                self._exact = np.asarray(self.vectors, dtype=np.float32)
            return self._exact @ q
        out = np.empty(len(self.vectors), dtype=np.float32)
        for lo, block in self.vectors.blocks():
            out[lo : lo + len(block)] = np.asarray(block, dtype=np.float32) @ q
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

    def names(self) -> dict[str, Any]:
        """names.json: ``trials`` (NCT IDs in trial order), ``names`` (each trial's name
        tokens) and ``conditions`` (each trial's condition names)."""
        if self._names is None:
            try:
                names = json.loads((self.dir / "names.json").read_text(encoding="utf-8"))
                ok = all(len(names[k]) == self.n_trials for k in ("trials", "names", "conditions"))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise IndexCorrupt(f"{self.dir}: unreadable names.json ({exc}); rebuild with `trialqa index`") from None
            if not ok:
                raise IndexCorrupt(f"{self.dir}: names.json disagrees with {self.n_trials} trials")
            self._names = names
        return self._names

    def trials(self) -> TrialMap:
        """The trials by NCT ID in index order; a trial is parsed when it is first read."""
        if self._trials is None:
            self._trials = TrialMap(self.names()["trials"], self._trial_lines)
        return self._trials

    def facts_of(self, nct_id: str) -> TrialFacts:
        """The trial's facts as the build extracted them (KeyError for an unknown trial)."""
        return facts_from_dict(self.fact_record(nct_id))

    def fact_record(self, nct_id: str) -> dict[str, Any]:
        """The trial's stored facts as a dict (KeyError for an unknown trial). Stand-in for the
        store owner's `fact_record` (SearchBackend protocol) until that change lands."""
        return json.loads(self._fact_lines.raw(self.trials().order[nct_id]))

    @property
    def n_trials(self) -> int:
        return len(self._trial_lines)

    def sources(self) -> dict[str, Any]:
        """The corpus record of the build (files, their hashes, the trials each gave)."""
        try:
            return json.loads((self.dir / "sources.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def vector_keys(self) -> np.ndarray:
        return np.load(self.dir / "dense" / "keys.npy")

    @property
    def query_encoder_dir(self) -> Path | None:
        d = self.dir / "query_encoder"
        return d if (d / "model.onnx").is_file() else None


class TrialMap(Mapping[str, Trial]):
    """Trials by NCT ID, in index order, each parsed from its line on first access."""

    def __init__(self, ids: Sequence[str], lines: Lines) -> None:
        self.ids = list(ids)
        self.order = {nct: i for i, nct in enumerate(self.ids)}
        self._lines = lines
        self._parsed: dict[str, Trial] = {}

    def __getitem__(self, nct_id: str) -> Trial:
        t = self._parsed.get(nct_id)
        if t is None:
            t = trial_from_dict(json.loads(self._lines.raw(self.order[nct_id])))
            self._parsed[nct_id] = t  # a race parses twice and keeps one: harmless
        return t

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, nct_id: object) -> bool:
        return nct_id in self.order


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
        raw = (gen / "manifest.json").read_bytes()
        manifest = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{gen}: unreadable manifest ({exc}); rebuild with `trialqa index`") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != "trialqa-index":
        raise IndexCorrupt(f"{gen}: not a trialqa index; rebuild with `trialqa index`")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexStale(
            f"{gen}: index format {manifest.get('format_version')}, this trialqa reads {FORMAT_VERSION}; "
            "rebuild with `trialqa index`"
        )
    try:
        recorded = (gen / MANIFEST_SUM).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise IndexStale(
            f"{gen}: the manifest has no checksum (written by an older trialqa); rebuild with `trialqa index`"
        ) from None
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{gen}: unreadable {MANIFEST_SUM} ({exc}); rebuild with `trialqa index`") from None
    if hashlib.sha256(raw).hexdigest() != recorded:
        raise IndexCorrupt(f"{gen}: manifest.json fails its checksum; rebuild with `trialqa index`")
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
    return _load(gen, manifest)


def _load(gen: Path, manifest: dict[str, Any]) -> EmbeddedBackend:
    try:
        return EmbeddedBackend(gen, manifest)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"{gen}: cannot load ({exc}); rebuild with `trialqa index`") from None


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index directory's writer lock (an flock on its LOCK file): builds of one
    directory run one after another, and none removes another's temporary files. Readers
    never take it. The kernel releases it when the holder dies, even by kill -9."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = (index_dir / LOCK_NAME).open("a")
    except OSError as exc:
        raise _unwritable(index_dir, exc) from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no cross-process lock
        with lock:
            yield
        return
    with lock as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another build is writing %s; waiting for it to finish", index_dir)
            t0 = time.monotonic()
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            log.info("waited %.1f s for the other build", time.monotonic() - t0)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _unwritable(index_dir: Path, exc: OSError) -> IndexWriteError:
    return IndexWriteError(f"cannot write an index at {index_dir} ({exc.strerror or exc})")


def write_index(index_dir: Path, data: IndexData, query_encoder: Path | None = None) -> Path:
    """Write a new generation and switch CURRENT to it atomically (callers hold `writer_lock`)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-gen-", dir=index_dir))
    except OSError as exc:
        raise _unwritable(index_dir, exc) from None
    try:
        before: str | None = current_generation(index_dir).name
    except (IndexMissing, IndexCorrupt):
        before = None
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
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        kept = f"the index it holds ({before}) is unchanged" if before else "nothing was written"
        raise IndexWriteError(f"cannot write the index at {index_dir} ({exc.strerror or exc}); {kept}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _cleanup(index_dir, keep=gen, previous=before)
    return index_dir / gen


def open_written(gen: Path) -> EmbeddedBackend:
    """A generation this process has just written (its checksums were computed while writing)."""
    return _load(gen, read_manifest(gen))


def _same(d: dict[str, Any]) -> dict[str, Any]:
    return d


def _carried_names(carry: Carry | None) -> dict[str, list[Any]]:
    """The previous generation's names.json entries of the trials ``carry`` keeps."""
    if carry is None or not len(carry.trials):
        return {"trials": [], "names": [], "conditions": []}
    old = json.loads((carry.gen / "names.json").read_text(encoding="utf-8"))
    rows = np.asarray(carry.trials, dtype=np.int64).tolist()
    return {k: [old[k][i] for i in rows] for k in ("trials", "names", "conditions")}


def _json_line(d: dict[str, Any]) -> bytes:
    return (json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8")


def _write_files(d: Path, data: IndexData, query_encoder: Path | None) -> None:
    carry = data.carry
    old = read_manifest(carry.gen) if carry is not None else None
    old_segs: dict[str, list[dict[str, Any]]] = old["segments"] if old else {k: [] for k in KINDS}
    number = 1 + max((_seg_number(s["name"]) for k in KINDS for s in old_segs[k]), default=0)
    segs: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    linked: dict[str, Any] = {}  # files hard-linked from the previous generation: their checksums carry over

    def link(kind: str) -> None:
        for s in old_segs[kind]:
            names = [s["name"]] if kind != "dense" else [f"{s['name']}/vectors.npy", f"{s['name']}/codes.npy"]
            for rel in names:
                (d / rel).parent.mkdir(exist_ok=True)
                link_or_copy(carry.gen / rel, d / rel)
                linked[rel] = old["files"][rel]
            segs[kind].append(s)

    kept_names = _carried_names(carry)
    names = {
        "trials": kept_names["trials"] + [t.nct_id for t in data.trials],
        "names": kept_names["names"] + [name_tokens(t) for t in data.trials],
        "conditions": kept_names["conditions"] + [condition_names(t) for t in data.trials],
    }
    (d / "names.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    facts = data.facts if data.facts is not None else [trial_facts(t) for t in data.trials]
    for kind, spans_file, rows, new, to_dict in (
        ("trials", "trial_spans.npy", carry.trials if carry else None, data.trials, trial_to_dict),
        ("facts", "fact_spans.npy", carry.trials if carry else None, facts, _same),
        ("chunks", "chunk_spans.npy", carry.chunks if carry else None, data.chunks, chunk_to_dict),
    ):
        spans: list[np.ndarray] = []
        base = 0
        copy_from = None
        if carry is not None and len(rows):
            old_spans = np.load(carry.gen / spans_file)
            old_lines = Lines([carry.gen / s["name"] for s in old_segs[kind]], old_spans)
            if carry.link:
                link(kind)
                base = int(old_lines.bases[-1])
                spans.append(old_spans[rows])
            else:
                copy_from = (old_lines, rows)
        name = f"{kind}-{number:06d}.jsonl"
        written, seg_spans = _write_segment(d / name, base, copy_from, [_json_line(to_dict(x)) for x in new])
        if written:
            segs[kind].append({"name": name, "rows": written})
            spans.append(seg_spans)
        else:
            (d / name).unlink()
        np.save(d / spans_file, np.concatenate(spans) if spans else np.zeros((0, 2), dtype=np.int64))
    n = len(np.load(d / "chunk_spans.npy", mmap_mode="r"))
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

    # dense: linked old segments, then a segment of the new vectors
    (d / "dense").mkdir()
    old_scale = np.load(carry.gen / "dense" / "scale.npy") if carry is not None else None
    if carry is not None and carry.link:
        link("dense")
    vectors = np.asarray(data.vectors)
    if data.codes is not None:
        codes, scale = data.codes
    else:
        codes, scale = quantize(vectors, old_scale)
    if len(vectors):
        seg = f"dense-{number:06d}"
        (d / seg).mkdir()
        np.save(d / seg / "vectors.npy", vectors.astype(np.float16, copy=False))
        np.save(d / seg / "codes.npy", codes)
        segs["dense"].append({"name": seg, "rows": len(vectors)})
    slots = sum(s["rows"] for s in segs["dense"])
    if len(data.vector_rows) != slots or len(data.vector_keys) != slots:
        raise ValueError(f"index data disagrees: {slots} vectors, {len(data.vector_rows)} rows")
    np.save(d / "dense" / "rows.npy", np.asarray(data.vector_rows, dtype=np.int64))
    np.save(d / "dense" / "keys.npy", np.asarray(data.vector_keys, dtype="S40"))
    np.save(d / "dense" / "scale.npy", np.asarray(scale, dtype=np.float32))
    old_scan = carry.gen / "dense" / "scan.onnx" if carry is not None else None
    if old_scan is not None and old_scan.is_file():
        shutil.copyfile(old_scan, d / "dense" / "scan.onnx")
    else:
        try:
            (d / "dense" / "scan.onnx").write_bytes(scan_model())
        except ImportError:  # no onnx: dense search scans the float16 vectors
            log.info("onnx not installed; no int8 scan model written")
    if query_encoder is not None and (query_encoder / "model.onnx").is_file():
        # the previous generation's export: hard-linked, its checksums carried over
        same = carry is not None and query_encoder.resolve() == (carry.gen / "query_encoder").resolve()
        (d / "query_encoder").mkdir()
        for f in sorted(query_encoder.iterdir()):
            rel = f"query_encoder/{f.name}"
            link_or_copy(f, d / rel)
            if same and rel in old["files"]:
                linked[rel] = old["files"][rel]
    files = {}
    for p in sorted(d.rglob("*")):
        rel = str(p.relative_to(d))
        if rel in linked:
            files[rel] = linked[rel]
        elif p.is_file():
            files[rel] = {"size": p.stat().st_size, "sha256": _sha256(p)}
            with p.open("rb") as f:
                os.fsync(f.fileno())
    manifest = dict(data.manifest, kind="trialqa-index", format_version=FORMAT_VERSION, segments=segs, files=files)
    raw = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    for name, content in (("manifest.json", raw), (MANIFEST_SUM, hashlib.sha256(raw).hexdigest().encode() + b"\n")):
        with (d / name).open("wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())


def _write_segment(
    path: Path, base: int, copy_from: tuple[Lines, np.ndarray] | None, new: list[bytes]
) -> tuple[int, np.ndarray]:
    """A JSON-lines segment: rows copied from older segments (compaction), then new lines.
    Returns (rows written, their spans, offset by ``base``)."""
    sizes: list[np.ndarray] = []
    with path.open("wb") as out:
        if copy_from is not None:
            lines, rows = copy_from
            rows = np.asarray(rows, dtype=np.int64)
            spans = np.asarray(lines.spans[rows], dtype=np.int64)
            sizes.append(spans[:, 1] - spans[:, 0])
            for i in rows:
                out.write(lines.raw(int(i)))
        sizes.append(np.fromiter(map(len, new), dtype=np.int64, count=len(new)))
        out.write(b"".join(new))
    size = np.concatenate(sizes)
    ends = base + np.cumsum(size)
    return len(size), np.stack([ends - size, ends], axis=1) if len(size) else np.zeros((0, 2), dtype=np.int64)


def _seg_number(name: str) -> int:
    m = re.search(r"-(\d+)", name)
    return int(m.group(1)) if m else 0


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


def _cleanup(index_dir: Path, keep: str, previous: str | None = None) -> None:
    """Drop older generations, keeping the new one and the one CURRENT named before the
    switch (a reader that opened it a moment ago can still finish loading it). Segment
    files the new generation links stay: only the old names go."""
    keep_set = {keep} | ({previous} if previous else set())
    for p in index_dir.iterdir():
        if p.name in keep_set or p.name == "CURRENT":
            continue
        if p.name.startswith(("gen-", ".tmp-gen-", ".CURRENT.")):
            _remove(p)


def tidy(index_dir: Path) -> None:
    """Remove what killed builds left (temporary generations, CURRENT drafts, generations
    renamed into place but never switched to); callers hold `writer_lock`."""
    current = current_generation(index_dir).name
    for p in index_dir.iterdir():
        orphan = p.name.startswith("gen-") and p.name[4:].isdigit() and p.name > current
        if orphan or p.name.startswith((".tmp-gen-", ".CURRENT.")):
            _remove(p)


def _remove(p: Path) -> None:
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
