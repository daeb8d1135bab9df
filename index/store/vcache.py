"""A persistent embedding cache: vectors by (model, chunk content hash).

Vectors are appended in shards (`shard-000001.npz`, each written atomically) while a build
embeds, so a rebuild embeds only new or changed chunks and an interrupted build resumes
where it stopped. Opening the cache reads nothing; the first lookup reads every shard's
keys, and a shard's vectors are read when one of them is wanted. Read-only sources (the
previous index generation's vectors) can be attached and are consulted the same way.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.store.segments import RowSegments

log = logging.getLogger(__name__)

STALE_TMP_SECONDS = 3600  # a shard still being written after this long was left by a killed build


def model_slug(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", model.strip("/"))[-80:] or "model"


class VectorCache:
    def __init__(self, directory: Path | None) -> None:
        self.dir = directory
        self._where: dict[str, tuple[int, int]] | None = None  # key -> (block, row)
        self._blocks: list[np.ndarray | Path] = []  # vectors, or a shard not read yet
        self._unwritable = False  # set after a failed write: warned once, the rest kept in memory

    def _index(self) -> dict[str, tuple[int, int]]:
        if self._where is None:
            self._where = {}
            if self.dir is not None and self.dir.is_dir():
                self._drop_stale_tmp()
                for shard in sorted(self.dir.glob("shard-*.npz")):
                    try:
                        with np.load(shard) as z:
                            keys = z["keys"]
                    except (OSError, ValueError, KeyError) as exc:
                        log.warning("ignoring unreadable cache shard %s (%s)", shard, exc)
                        continue
                    self._register(keys_as_str(keys), shard)
        return self._where

    def _drop_stale_tmp(self) -> None:
        """Remove half-written shards that a killed build left behind (old enough that no
        live build can still be writing them)."""
        assert self.dir is not None
        now = time.time()
        for tmp in self.dir.glob("*.tmp.npz"):
            try:
                if now - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                    tmp.unlink()
                    log.info("removed %s, left by an interrupted build", tmp)
            except OSError:
                continue

    def _register(self, keys: list[str], block: np.ndarray | Path) -> None:
        where = self._index() if self._where is None else self._where
        b = len(self._blocks)
        self._blocks.append(block)
        for row, k in enumerate(keys):
            where[k] = (b, row)

    def _block(self, b: int) -> np.ndarray:
        block = self._blocks[b]
        if isinstance(block, Path):
            try:
                with np.load(block) as z:
                    block = np.asarray(z["vectors"], dtype=np.float32)
            except (OSError, ValueError, KeyError) as exc:
                raise OSError(f"cache shard {block} became unreadable ({exc})") from None
            self._blocks[b] = block
        return block

    def __len__(self) -> int:
        return len(self._index())

    def __contains__(self, key: str) -> bool:
        return key in self._index()

    def get(self, key: str) -> np.ndarray | None:
        at = self._index().get(key)
        return None if at is None else self._block(at[0])[at[1]]

    def get_many(self, keys: Sequence[str], dim: int) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, float32 [len(keys), dim] with zeros where not found)."""
        where = self._index()
        out = np.zeros((len(keys), dim), dtype=np.float32)
        found = np.zeros(len(keys), dtype=bool)
        by_block: dict[int, tuple[list[int], list[int]]] = {}
        for i, k in enumerate(keys):
            at = where.get(k)
            if at is not None:
                pos, rows = by_block.setdefault(at[0], ([], []))
                pos.append(i)
                rows.append(at[1])
        for b, (pos, rows) in by_block.items():
            out[pos] = self._block(b)[rows]
            found[pos] = True
        return found, out

    def attach(self, keys: Sequence[str], vectors: np.ndarray | RowSegments) -> None:
        """Consult these vectors too (not persisted); keys already known keep their vectors."""
        where = self._index()
        new = [(i, k) for i, k in enumerate(keys) if k not in where]
        if new:
            rows = np.array([i for i, _ in new], dtype=np.int64)
            self._register([k for _, k in new], np.asarray(vectors[rows], dtype=np.float32))

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Remember vectors and persist them as one new shard."""
        if not len(keys):
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        self._register(list(keys), vectors)
        if self.dir is None or self._unwritable:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._unwritable = True
            log.warning("cannot create the embedding cache %s (%s); continuing without it", self.dir, exc)
            return
        # numbered in order of writing; the suffix keeps two builds sharing the cache from
        # replacing each other's shard
        nums = [int(p.stem[6:12]) for p in self.dir.glob("shard-*.npz") if p.stem[6:12].isdigit()]
        target = self.dir / f"shard-{max(nums, default=0) + 1:06d}-{os.getpid()}-{secrets.token_hex(3)}.npz"
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp.npz")
            os.close(fd)
            np.savez(tmp, keys=np.asarray([k.encode("ascii") for k in keys]), vectors=vectors)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except OSError as exc:  # disk full, read-only cache: the build goes on, the vectors stay in memory
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            self._unwritable = True
            log.warning("cannot save embeddings to the cache %s (%s); continuing without it", self.dir, exc)
        except BaseException:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            raise


def keys_as_str(keys: np.ndarray) -> list[str]:
    if keys.dtype.kind == "S":
        return [k.decode("ascii") for k in keys.tolist()]
    return [str(k) for k in keys.tolist()]
