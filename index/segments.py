"""Segment files: the rows of an index spread over files that never change once written.

A generation lists its segments; an incremental build hard-links the previous generation's
segments into the new one and writes only a segment of new rows, so adding one trial to
a large index copies no text and no vectors. Rows are addressed through arrays the
generation owns: JSON lines by (start, end) byte spans into the concatenation of the
segment files, vectors by slot (rows of the concatenated arrays).
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np

from index.chunk import Chunk
from index.serialize import chunk_from_dict


class Lines:
    """Byte strings by row: spans (start, end) into the concatenation of the files."""

    def __init__(self, files: Sequence[Path], spans: np.ndarray) -> None:
        self.files = list(files)
        self.spans = spans
        sizes = [f.stat().st_size for f in self.files]
        self.bases = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
        self._maps: list[Any] = [None] * len(self.files)

    def __len__(self) -> int:
        return len(self.spans)

    def _map(self, s: int) -> Any:
        m = self._maps[s]
        if m is None:
            with self.files[s].open("rb") as f:
                m = self._maps[s] = (
                    mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if self.bases[s + 1] > self.bases[s] else b""
                )
        return m

    def raw(self, i: int) -> bytes:
        start, end = int(self.spans[i, 0]), int(self.spans[i, 1])
        s = int(np.searchsorted(self.bases, start, side="right")) - 1
        base = int(self.bases[s])
        return self._map(s)[start - base : end - base]

    def __iter__(self) -> Iterator[bytes]:
        """Every row in order. Rows lie in the files in order (carried rows first, then new
        ones), so the files are read once, front to back, skipping dropped rows' lines."""
        starts = np.asarray(self.spans[:, 0]) if len(self) else np.zeros(0, dtype=np.int64)
        if len(starts) > 1 and not bool(np.all(starts[1:] > starts[:-1])):
            for i in range(len(self)):  # pragma: no cover - not written by this module
                yield self.raw(i)
            return
        i, n = 0, len(starts)
        for s, path in enumerate(self.files):
            pos = int(self.bases[s])
            if i >= n or starts[i] >= self.bases[s + 1]:
                continue
            with path.open("rb") as f:
                for line in f:
                    if i < n and pos == starts[i]:
                        yield line
                        i += 1
                    pos += len(line)


class ChunkList(Sequence[Chunk]):
    """The chunks of a generation, parsed only when read."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)

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
        return chunk_from_dict(json.loads(self.lines.raw(i)))

    def __iter__(self) -> Iterator[Chunk]:
        for raw in self.lines:
            yield chunk_from_dict(json.loads(raw.decode("utf-8")))


class RowSegments:
    """Equal-width 2-D arrays (memory-mapped segments) read as one array of rows."""

    def __init__(self, parts: Sequence[np.ndarray], dim: int, dtype: np.dtype) -> None:
        self.parts = [p for p in parts if len(p)]
        self.bases = np.concatenate([[0], np.cumsum([len(p) for p in self.parts], dtype=np.int64)])
        self.dim = dim
        self.dtype = np.dtype(dtype)

    def __len__(self) -> int:
        return int(self.bases[-1])

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self), self.dim)

    def __getitem__(self, idx: Any) -> np.ndarray:
        if isinstance(idx, (int, np.integer)):
            i = int(idx) + (len(self) if idx < 0 else 0)
            s = int(np.searchsorted(self.bases, i, side="right")) - 1
            return np.asarray(self.parts[s][i - int(self.bases[s])])
        if isinstance(idx, slice):
            idx = np.arange(*idx.indices(len(self)))
        idx = np.asarray(idx, dtype=np.int64)
        if len(self.parts) == 1:
            return np.asarray(self.parts[0][idx])
        out = np.empty((len(idx), self.dim), dtype=self.dtype)
        seg = np.searchsorted(self.bases, idx, side="right") - 1
        for s in np.unique(seg):
            at = seg == s
            out[at] = self.parts[s][idx[at] - int(self.bases[s])]
        return out

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if not self.parts:
            out = np.zeros((0, self.dim), dtype=self.dtype)
        elif len(self.parts) == 1:
            out = np.asarray(self.parts[0])
        else:
            out = np.concatenate([np.asarray(p) for p in self.parts])
        return out.astype(dtype, copy=False) if dtype is not None else out

    def blocks(self, step: int = 65536) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, rows) in blocks of at most `step` rows."""
        for s, part in enumerate(self.parts):
            for lo in range(0, len(part), step):
                yield int(self.bases[s]) + lo, part[lo : lo + step]


def link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link a segment file into a new generation (copy where links are unsupported)."""
    try:
        os.link(src, dst)
    except OSError:
        import shutil

        shutil.copyfile(src, dst)
