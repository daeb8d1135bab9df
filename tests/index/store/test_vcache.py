"""The persistent embedding cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from index.store.vcache import STALE_TMP_SECONDS, VectorCache


def test_vectors_persist_across_instances(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path)
    cache.add(["a" * 40, "b" * 40], np.array([[1, 0], [0, 1]], dtype=np.float32))
    again = VectorCache(tmp_path)
    assert len(again) == 2 and "a" * 40 in again
    np.testing.assert_array_equal(again.get("b" * 40), [0, 1])


def test_half_written_shards_of_killed_builds_are_removed_once_old(tmp_path: Path) -> None:
    VectorCache(tmp_path).add(["a" * 40], np.ones((1, 2), dtype=np.float32))
    old, fresh = tmp_path / "tmpold.tmp.npz", tmp_path / "tmpnew.tmp.npz"
    old.write_bytes(b"partial")
    fresh.write_bytes(b"partial")  # a live build may still be writing this one
    past = time.time() - STALE_TMP_SECONDS - 60
    os.utime(old, (past, past))
    cache = VectorCache(tmp_path)
    assert len(cache) == 1
    assert not old.exists() and fresh.exists()
