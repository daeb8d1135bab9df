"""A build stopped by an error after its first embedding batch, then run again with the same
vector cache: what the second run embedded (the plain and the Ray build share this check)."""

from __future__ import annotations

from pathlib import Path

import pytest

import index.build.embedding as embedding
from index.build.engine import Engine
from index.build.pipeline import build_index
from index.store.reader import EmbeddedBackend
from tests.conftest import CORPUS

MODEL = "all-MiniLM-L6-v2"
BATCH = 16  # vectors per embedding batch, small so that the seeds take several


class Stop(Exception):
    pass


def interrupted_then_resumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine | None = None
) -> tuple[EmbeddedBackend, int]:
    """The resumed build's backend and how many distinct texts it holds vectors for; the
    interrupted one must have left no index behind."""
    monkeypatch.setattr(embedding, "EMBED_BATCH", BATCH)
    cache = tmp_path / "cache"

    def stop_after_first_batch(stage: str, done: int, total: int) -> None:
        if stage == "embed":
            raise Stop(f"interrupted at {done}/{total}")

    with pytest.raises(Stop):
        build_index([CORPUS], tmp_path / "ix", MODEL, progress=stop_after_first_batch, cache_dir=cache, engine=engine)
    assert not (tmp_path / "ix" / "CURRENT").exists()
    backend, _ = build_index([CORPUS], tmp_path / "ix", MODEL, cache_dir=cache, engine=engine)
    return backend, len({backend.chunk(int(r)).key for r in backend.vector_rows})
