"""A persistent embedding cache: vectors by (model, chunk content hash).

Vectors are appended in shards (`shard-000001.npz`, each written atomically) while a build
embeds, so a rebuild embeds only new or changed chunks and an interrupted build resumes
where it stopped.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def model_slug(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", model.strip("/"))[-80:] or "model"


class VectorCache:
    def __init__(self, directory: Path | None) -> None:
        self.dir = directory
        self._vecs: dict[str, np.ndarray] = {}
        if directory is not None and directory.is_dir():
            for shard in sorted(directory.glob("shard-*.npz")):
                try:
                    with np.load(shard) as z:
                        for k, v in zip(z["keys"].tolist(), z["vectors"], strict=True):
                            self._vecs[str(k)] = v
                except (OSError, ValueError, KeyError) as exc:
                    log.warning("ignoring unreadable cache shard %s (%s)", shard, exc)

    def __len__(self) -> int:
        return len(self._vecs)

    def get(self, key: str) -> np.ndarray | None:
        return self._vecs.get(key)

    def update(self, mapping: dict[str, np.ndarray]) -> None:
        self._vecs.update(mapping)

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Remember vectors and persist them as one new shard."""
        for k, v in zip(keys, vectors, strict=True):
            self._vecs[k] = v
        if self.dir is None or not len(keys):
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        nums = [int(p.stem[6:]) for p in self.dir.glob("shard-*.npz") if p.stem[6:].isdigit()]
        target = self.dir / f"shard-{max(nums, default=0) + 1:06d}.npz"
        fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp.npz")
        os.close(fd)
        try:
            np.savez(tmp, keys=np.asarray(list(keys)), vectors=np.asarray(vectors, dtype=np.float32))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
