"""The dense side of a generation: vector slots, their chunk rows, and nearest-vector search.

Vectors are float16 [n, dim], L2-normalised, in segments (``dense-000001/vectors.npy``) with
their uint8 codes (int8 + 128, ``codes.npy``); ``dense/rows.npy`` gives each slot's chunk row
(-1: the chunk was dropped by an incremental build), ``dense/keys.npy`` each slot's content
hash, ``dense/scale.npy`` the codes' per-dimension scale and ``dense/scan.onnx`` the int8
scan. Metadata chunks have no vector.

Dense search scans the int8 codes (see `index.retrieval.dense`) for the best
``max(RESCORE_MIN, RESCORE_FACTOR * k)`` vectors and rescores those exactly from the float16
vectors; small indexes (up to EXACT_SCAN_MAX vectors) are scanned exactly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexCorrupt
from index.retrieval.dense import Int8Scan, top
from index.store.segments import RowFile, RowSegments

log = logging.getLogger(__name__)

EXACT_SCAN_MAX = 4096  # up to this many vectors, dense search is one exact float32 product
RESCORE_FACTOR = 8  # the int8 scan keeps this many candidates per wanted result ...
RESCORE_MIN = 512  # ... and at least this many, rescored exactly

Found = tuple[np.ndarray, np.ndarray]  # (chunk rows, cosines), best first


def _none_found() -> Found:
    return np.zeros(0, dtype=np.int64), np.zeros(0)


class VectorStore:
    """A generation's vectors, memory-mapped (codes) or read by row (float16 vectors)."""

    def __init__(self, gen_dir: Path, segments: Sequence[dict[str, Any]], dim: int, n_chunks: int) -> None:
        self.dir = gen_dir / "dense"
        parts = [gen_dir / s["name"] for s in segments]
        self.vectors = RowSegments([RowFile(d / "vectors.npy") for d in parts], dim, np.float16)
        self._code_parts: list[np.ndarray] = [np.load(d / "codes.npy", mmap_mode="r") for d in parts]
        self.codes = RowSegments(self._code_parts, dim, np.uint8)
        self.rows = np.load(self.dir / "rows.npy")
        if len(self.rows) != len(self.vectors):
            raise IndexCorrupt(f"{gen_dir}: array lengths disagree with {n_chunks} chunks")
        if len(self.rows) and self.rows.max() >= n_chunks:
            raise IndexCorrupt(f"{gen_dir}: vector rows out of range")
        self._dropped = np.flatnonzero(self.rows < 0)
        live = np.flatnonzero(self.rows >= 0)
        self.slot = np.full(n_chunks, -1, dtype=np.int64)  # each chunk row's vector slot (-1: none)
        self.slot[self.rows[live]] = live
        self._exact: np.ndarray | None = None
        self._scanner: Int8Scan | None = None
        self._scan_tried = False
        self._scan_lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.vectors.dim

    def keys(self) -> np.ndarray:
        """Each slot's content hash ("S40")."""
        return np.load(self.dir / "keys.npy")

    def search(self, vector: np.ndarray, k: int, rows: np.ndarray | None = None) -> Found:
        """Rows and cosines of the k chunks nearest the (unit) vector, best first; ``rows``
        (sorted, unique) restricts the search to those chunks."""
        m = len(self.vectors)
        if m == 0 or k <= 0:
            return _none_found()
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        allowed = None
        if rows is not None:
            allowed = self.slot[np.asarray(rows, dtype=np.int64)]
            allowed = allowed[allowed >= 0]
            if len(allowed) <= EXACT_SCAN_MAX:  # few: score exactly
                return self._rescore(allowed, q, k)
        if m <= EXACT_SCAN_MAX or self.scanner is None:
            return self._exact_top(q, k, allowed)
        return self._scan_top(self.scanner, q, k, allowed)

    def _rescore(self, slots: np.ndarray, q: np.ndarray, k: int) -> Found:
        """The k best of these slots by exact cosine."""
        sims = np.asarray(self.vectors[slots], dtype=np.float32) @ q
        best = top(sims, k)
        return self.rows[slots[best]].astype(np.int64), sims[best].astype(np.float64)

    def _exact_top(self, q: np.ndarray, k: int, allowed: np.ndarray | None) -> Found:
        """Every (allowed, live) vector scored exactly."""
        sims = self._exact_sims(q)
        sims[self._dropped] = -np.inf
        if allowed is not None:
            keep = np.full(len(sims), -np.inf, dtype=np.float32)
            keep[allowed] = sims[allowed]
            sims = keep
        slots = top(sims, k)
        slots = slots[np.isfinite(sims[slots])]
        return self.rows[slots].astype(np.int64), sims[slots].astype(np.float64)

    def _scan_top(self, scanner: Int8Scan, q: np.ndarray, k: int, allowed: np.ndarray | None) -> Found:
        """The int8 scan's best candidates, rescored exactly."""
        m = len(self.vectors)
        approx = scanner.scores(q)
        floor = np.iinfo(approx.dtype).min + 1  # (negating the minimum itself overflows)
        approx[self._dropped] = floor
        if allowed is not None:
            keep = np.full(m, floor, dtype=approx.dtype)
            keep[allowed] = approx[allowed]
            approx = keep
        cand = np.sort(top(approx, min(m, max(RESCORE_MIN, RESCORE_FACTOR * k))))
        cand = cand[(self.rows[cand] >= 0) & (approx[cand] > floor)]
        return self._rescore(cand, q, k)

    @property
    def scanner(self) -> Int8Scan | None:
        """The int8 scan, or None (onnxruntime unusable: exact scan instead)."""
        if self._scan_tried:
            return self._scanner
        with self._scan_lock:  # threads that ask at once wait for the one loading it
            if not self._scan_tried:
                model = self.dir / "scan.onnx"
                if model.is_file() and len(self.codes):
                    try:
                        self._scanner = Int8Scan(model, self._code_parts, np.load(self.dir / "scale.npy"))
                    except Exception:  # onnxruntime missing or refusing the model: the exact scan serves
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

    def vectors_of(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Each chunk row's float32 vector (zeros for chunks without one)."""
        slots = self.slot[np.asarray(rows, dtype=np.int64)]
        out = np.zeros((len(slots), self.dim), dtype=np.float32)
        have = slots >= 0
        if have.any():
            out[have] = self.vectors[slots[have]]
        return out
