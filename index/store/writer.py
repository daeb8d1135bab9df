"""Writing a generation: `IndexData` (what a build produced) to files, then the switch.

The writer stores what it is given: the build extracts each trial's facts, name tokens and
condition names and hands them over as plain data. Segment files never change once
written: an incremental build (`Carry`) hard-links the previous generation's segments into
the new one and writes only a segment of new rows, or, compacting, copies the kept rows
into one new segment. One build writes an index directory at a time (`writer_lock`).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import IndexWriteError
from index.model import Trial, trial_to_dict
from index.retrieval.bm25 import BM25
from index.retrieval.dense import quantize, scan_model
from index.store.layout import cleanup, current_name, publish
from index.store.lock import unwritable
from index.store.manifest import FORMAT_VERSION, file_records, read_manifest, write_manifest
from index.store.reader import NAME_KEYS
from index.store.segments import Lines, link_or_copy
from index.store.verified import record_written
from index.text.chunk import Chunk, chunk_to_dict

if TYPE_CHECKING:
    from scipy import sparse

log = logging.getLogger(__name__)

KINDS = ("trials", "chunks", "dense", "facts")  # facts segments follow the trials segments


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
    keeps; ``facts``, ``names`` and ``conditions`` are the new trials' stored facts, name
    tokens and condition names, one each per trial; ``chunk_trial``, the BM25 arrays,
    ``vector_rows`` and ``vector_keys`` cover every row and vector slot (with
    ``carry.link``, the old segments' slots come first)."""

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
    facts: list[dict[str, Any]]
    names: list[list[str]]
    conditions: list[list[str]]
    sources: dict[str, Any] = field(default_factory=dict)
    carry: Carry | None = None
    codes: tuple[np.ndarray, np.ndarray] | None = None  # (codes of `vectors`, scale) when already quantized


def write_index(index_dir: Path, data: IndexData, query_encoder: Path | None = None) -> Path:
    """Write a new generation and switch CURRENT to it atomically (callers hold `writer_lock`)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-gen-", dir=index_dir))
    except OSError as exc:
        raise unwritable(index_dir, exc) from None
    before = current_name(index_dir)
    try:
        _write_generation(_Draft(tmp, data.carry), data, query_encoder)
        gen = publish(index_dir, tmp)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        kept = f"the index it holds ({before}) is unchanged" if before else "nothing was written"
        raise IndexWriteError(f"cannot write the index at {index_dir} ({exc.strerror or exc}); {kept}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    cleanup(index_dir, keep=gen, previous=before)
    return index_dir / gen


class _Draft:
    """A generation being written: its segments so far, and the files hard-linked from the
    previous generation (their checksums carry over)."""

    def __init__(self, d: Path, carry: Carry | None) -> None:
        self.dir = d
        self.carry = carry
        self.old = read_manifest(carry.gen) if carry is not None else None
        self.old_segs: dict[str, list[dict[str, Any]]] = self.old["segments"] if self.old else {k: [] for k in KINDS}
        self.number = 1 + max((_seg_number(s["name"]) for k in KINDS for s in self.old_segs[k]), default=0)
        self.segs: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
        self.linked: dict[str, Any] = {}

    def link(self, kind: str) -> None:
        """Hard-link the previous generation's segments of a kind."""
        if self.carry is None or self.old is None:
            return
        for s in self.old_segs[kind]:
            names = [s["name"]] if kind != "dense" else [f"{s['name']}/vectors.npy", f"{s['name']}/codes.npy"]
            for rel in names:
                (self.dir / rel).parent.mkdir(exist_ok=True)
                link_or_copy(self.carry.gen / rel, self.dir / rel)
                self.linked[rel] = self.old["files"][rel]
            self.segs[kind].append(s)

    def write_rows(self, kind: str, spans_file: str, carried: np.ndarray | None, new: list[bytes]) -> None:
        """The JSON-lines rows of a kind: the carried ones (linked or copied), then the new."""
        spans: list[np.ndarray] = []
        base = 0
        copy_from = None
        if self.carry is not None and carried is not None and len(carried):
            old_spans = np.load(self.carry.gen / spans_file)
            old_lines = Lines([self.carry.gen / s["name"] for s in self.old_segs[kind]], old_spans)
            if self.carry.link:
                self.link(kind)
                base = int(old_lines.bases[-1])
                spans.append(old_spans[carried])
            else:
                copy_from = (old_lines, carried)
        name = f"{kind}-{self.number:06d}.jsonl"
        written, seg_spans = _write_segment(self.dir / name, base, copy_from, new)
        if written:
            self.segs[kind].append({"name": name, "rows": written})
            spans.append(seg_spans)
        else:
            (self.dir / name).unlink()
        np.save(self.dir / spans_file, np.concatenate(spans) if spans else np.zeros((0, 2), dtype=np.int64))


def _write_generation(draft: _Draft, data: IndexData, query_encoder: Path | None) -> None:
    d, carry = draft.dir, data.carry
    _write_names(d, data)
    trial_rows = carry.trials if carry is not None else None
    draft.write_rows("trials", "trial_spans.npy", trial_rows, [_json_line(trial_to_dict(t)) for t in data.trials])
    draft.write_rows("facts", "fact_spans.npy", trial_rows, [_json_line(f) for f in data.facts])
    chunk_rows = carry.chunks if carry is not None else None
    draft.write_rows("chunks", "chunk_spans.npy", chunk_rows, [_json_line(chunk_to_dict(c)) for c in data.chunks])
    _write_chunk_arrays(d, data)
    _write_bm25(d / "bm25", data)
    _write_dense(draft, data)
    _write_scan_model(d / "dense", carry)
    if query_encoder is not None and (query_encoder / "model.onnx").is_file():
        _write_query_encoder(draft, query_encoder)
    files = file_records(d, draft.linked)
    write_manifest(
        d, dict(data.manifest, kind="trialqa-index", format_version=FORMAT_VERSION, segments=draft.segs, files=files)
    )
    record_written(d, files, [rel for rel in files if rel not in draft.linked])  # linked ones: checked on load


def _write_names(d: Path, data: IndexData) -> None:
    """names.json: the carried trials' entries, then the new trials'."""
    new: dict[str, list[Any]] = {
        "trials": [t.nct_id for t in data.trials],
        "names": data.names,
        "conditions": data.conditions,
    }
    if any(len(new[k]) != len(data.trials) for k in NAME_KEYS) or len(data.facts) != len(data.trials):
        raise ValueError(
            f"index data disagrees: {len(data.trials)} trials, {len(data.facts)} fact records, "
            f"{len(data.names)} name lists, {len(data.conditions)} condition lists"
        )
    kept = _carried_names(data.carry)
    names = {k: kept[k] + new[k] for k in NAME_KEYS}
    (d / "names.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")


def _carried_names(carry: Carry | None) -> dict[str, list[Any]]:
    """The previous generation's names.json entries of the trials ``carry`` keeps."""
    if carry is None or not len(carry.trials):
        return {k: [] for k in NAME_KEYS}
    old = json.loads((carry.gen / "names.json").read_text(encoding="utf-8"))
    rows = np.asarray(carry.trials, dtype=np.int64).tolist()
    return {k: [old[k][i] for i in rows] for k in NAME_KEYS}


def _write_chunk_arrays(d: Path, data: IndexData) -> None:
    """chunk_trial.npy and sources.json, after checking the row arrays agree."""
    n = len(np.load(d / "chunk_spans.npy", mmap_mode="r"))
    if len(data.chunk_trial) != n or len(data.lengths) != n or data.tf.shape[1] != n:
        raise ValueError(f"index data disagrees: {n} chunks, {len(data.chunk_trial)} trial links, {data.tf.shape}")
    np.save(d / "chunk_trial.npy", np.asarray(data.chunk_trial, dtype=np.int32))
    (d / "sources.json").write_text(json.dumps(data.sources, ensure_ascii=False), encoding="utf-8")


def _write_bm25(b: Path, data: IndexData) -> None:
    b.mkdir()
    (b / "vocab.json").write_text(json.dumps(data.bm25.vocab, ensure_ascii=False), encoding="utf-8")
    w = data.bm25.weights
    np.save(b / "weights.npy", np.asarray(w.data, dtype=np.float32))
    np.save(b / "indices.npy", np.asarray(w.indices, dtype=np.int32))
    np.save(b / "indptr.npy", np.asarray(w.indptr, dtype=np.int64))
    np.save(b / "const.npy", data.bm25.const)
    np.save(b / "tf.npy", np.asarray(data.tf.data, dtype=np.float32))
    np.save(b / "lengths.npy", np.asarray(data.lengths, dtype=np.float32))


def _write_dense(draft: _Draft, data: IndexData) -> None:
    """The linked old vector segments, a segment of the new vectors, and the slot arrays."""
    d, carry = draft.dir, data.carry
    (d / "dense").mkdir()
    old_scale = np.load(carry.gen / "dense" / "scale.npy") if carry is not None else None
    if carry is not None and carry.link:
        draft.link("dense")
    vectors = np.asarray(data.vectors)
    codes, scale = data.codes if data.codes is not None else quantize(vectors, old_scale)
    if len(vectors):
        seg = f"dense-{draft.number:06d}"
        (d / seg).mkdir()
        np.save(d / seg / "vectors.npy", vectors.astype(np.float16, copy=False))
        np.save(d / seg / "codes.npy", codes)
        draft.segs["dense"].append({"name": seg, "rows": len(vectors)})
    slots = sum(s["rows"] for s in draft.segs["dense"])
    if len(data.vector_rows) != slots or len(data.vector_keys) != slots:
        raise ValueError(f"index data disagrees: {slots} vectors, {len(data.vector_rows)} rows")
    np.save(d / "dense" / "rows.npy", np.asarray(data.vector_rows, dtype=np.int64))
    np.save(d / "dense" / "keys.npy", np.asarray(data.vector_keys, dtype="S40"))
    np.save(d / "dense" / "scale.npy", np.asarray(scale, dtype=np.float32))


def _write_scan_model(dense: Path, carry: Carry | None) -> None:
    """The int8 scan's ONNX graph (copied from the previous generation when it has one)."""
    old_scan = carry.gen / "dense" / "scan.onnx" if carry is not None else None
    if old_scan is not None and old_scan.is_file():
        shutil.copyfile(old_scan, dense / "scan.onnx")
        return
    try:
        (dense / "scan.onnx").write_bytes(scan_model())
    except ImportError:  # no onnx: dense search scans the float16 vectors
        log.info("onnx not installed; no int8 scan model written")


def _write_query_encoder(draft: _Draft, query_encoder: Path) -> None:
    """The ONNX export of the model, hard-linked; the previous generation's own export keeps
    its checksums."""
    carry, old = draft.carry, draft.old
    same = carry is not None and query_encoder.resolve() == (carry.gen / "query_encoder").resolve()
    (draft.dir / "query_encoder").mkdir()
    for f in sorted(query_encoder.iterdir()):
        rel = f"query_encoder/{f.name}"
        link_or_copy(f, draft.dir / rel)
        if same and old is not None and rel in old["files"]:
            draft.linked[rel] = old["files"][rel]


def _json_line(d: dict[str, Any]) -> bytes:
    return (json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8")


def _write_segment(
    path: Path, base: int, copy_from: tuple[Lines, np.ndarray] | None, new: Sequence[bytes]
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
