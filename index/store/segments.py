"""Segment files: the rows of an index spread over files that never change once written.

A generation lists its segments; an incremental build hard-links the previous generation's
segments into the new one and writes only a segment of new rows, so adding one trial to
a large index copies no text and no vectors. Rows are addressed through arrays the
generation owns: JSON lines by (start, end) byte spans into the concatenation of the
segment files, vectors by slot (rows of the concatenated arrays).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from index.text.chunk import Chunk, chunk_from_dict


class Lines:
    """Byte strings by row: spans (start, end) into the concatenation of the files (read
    with ``pread``, not memory-mapped: see `RowFile`)."""

    def __init__(self, files: Sequence[Path], spans: np.ndarray) -> None:
        self.files = list(files)
        self.spans = spans
        sizes = [f.stat().st_size for f in self.files]
        self.bases = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
        self._fds: list[int | None] = [None] * len(self.files)

    def __del__(self) -> None:
        for fd in getattr(self, "_fds", []):
            if fd is not None:
                os.close(fd)

    def __len__(self) -> int:
        return len(self.spans)

    def raw(self, i: int) -> bytes:
        start, end = int(self.spans[i, 0]), int(self.spans[i, 1])
        s = int(np.searchsorted(self.bases, start, side="right")) - 1
        fd = self._fds[s]
        if fd is None:
            fd = self._fds[s] = os.open(self.files[s], os.O_RDONLY)
        return os.pread(fd, end - start, start - int(self.bases[s]))

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

    def __init__(self, parts: Sequence[np.ndarray | RowFile], dim: int, dtype: npt.DTypeLike) -> None:
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


def _npy_header(f: Any, path: Path) -> tuple[tuple[int, ...], np.dtype, int]:
    fmt = np.lib.format
    version = fmt.read_magic(f)
    read_header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    shape, fortran, dtype = read_header(f)
    if fortran or len(shape) != 2:
        raise ValueError(f"{path}: not a 2-D C-order array")
    return shape, np.dtype(dtype), f.tell()


class RowFile:
    """The rows of a 2-D .npy file, read with ``pread`` rather than memory-mapped.

    Rescoring reads a few hundred scattered rows per query; through a memory map each read
    maps a whole page-cache folio (up to 2 MiB on current kernels), so within a few dozen
    queries the whole file would count as resident memory. Reads leave it in the page cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as f:
            self.shape, self.dtype, self.offset = _npy_header(f, path)
        self.row_bytes = self.shape[1] * self.dtype.itemsize
        self._fd = os.open(path, os.O_RDONLY)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def __len__(self) -> int:
        return self.shape[0]

    def _read(self, start: int, count: int) -> np.ndarray:
        want = count * self.row_bytes
        buf = os.pread(self._fd, want, self.offset + start * self.row_bytes)
        if len(buf) != want:
            raise OSError(f"{self.path}: shorter than its header says")
        return np.frombuffer(buf, dtype=self.dtype).reshape(count, self.shape[1])

    def __getitem__(self, idx: Any) -> np.ndarray:
        if isinstance(idx, (int, np.integer)):
            i = int(idx) + (len(self) if idx < 0 else 0)
            if not 0 <= i < len(self):
                raise IndexError(f"row {idx} out of range ({len(self)} rows)")
            return self._read(i, 1)[0]
        if isinstance(idx, slice):
            start, stop, step = idx.indices(len(self))
            if step == 1:
                return self._read(start, max(0, stop - start))
            idx = np.arange(start, stop, step)
        idx = np.asarray(idx, dtype=np.int64)
        out = np.empty((len(idx), self.shape[1]), dtype=self.dtype)
        if not len(idx):
            return out
        if idx.min() < 0 or idx.max() >= len(self):
            raise IndexError(f"rows out of range ({len(self)} rows)")
        view = out.data.cast("B")
        size, base, fd = self.row_bytes, self.offset, self._fd
        for j in np.argsort(idx, kind="stable").tolist():  # in file order, each row read into place
            if os.preadv(fd, [view[j * size : (j + 1) * size]], base + int(idx[j]) * size) != size:
                raise OSError(f"{self.path}: shorter than its header says")
        return out

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self._read(0, len(self))
        return out.astype(dtype, copy=False) if dtype is not None else out
