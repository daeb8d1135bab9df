"""Where a build does its heavy stages: reading and chunking the corpus files, and embedding
the chunk texts the vector cache lacks. `LocalEngine` does both in this process (the plain
build); `index.build.ray_pipeline.RayEngine` runs them as Ray Data pipelines. Every other
stage (tokenizing, BM25, facts, writing) is the same for both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from index.build.embedding import embed_keys
from index.build.stages import Progress, chunk_trials
from index.corpus.loader import Corpus, load_corpus
from index.store.vcache import VectorCache
from index.text.chunk import Chunk


@dataclass
class ReadCorpus:
    """The corpus as read and, when the engine chunked it while reading, its chunks with each
    chunk's trial number (in corpus order); None: the build chunks it (`chunk_trials`)."""

    corpus: Corpus
    chunks: list[Chunk] | None = None
    owner: np.ndarray | None = None

    def chunked(self) -> tuple[list[Chunk], np.ndarray]:
        if self.chunks is None or self.owner is None:
            return chunk_trials(self.corpus.trials)
        return self.chunks, self.owner


class Engine(Protocol):
    def read(self, paths: Sequence[str | Path], progress: Progress | None) -> ReadCorpus:
        """Read every file under the paths as `load_corpus` does (and maybe chunk the trials,
        as `chunk_trials` does)."""
        ...

    def embed(
        self,
        keys: Sequence[str],
        texts: dict[str, str],
        cache: VectorCache,
        model: str,
        progress: Progress | None,
        onnx_dir: Path | None,
        dim: int | None = None,
    ) -> tuple[np.ndarray, int, int]:
        """As `index.build.embedding.embed_keys`: the keys' vectors, embedding only what the
        cache lacks (and adding it to the cache); (vectors, texts embedded, dim)."""
        ...


class LocalEngine:
    """Both stages in this process, one file and one batch after another (chunking is left
    to the build's own "chunk" phase), embedding on ``device`` ("cpu", "cuda")."""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device

    def read(self, paths: Sequence[str | Path], progress: Progress | None) -> ReadCorpus:
        return ReadCorpus(load_corpus(paths, progress=(lambda d, n: progress("read", d, n)) if progress else None))

    def embed(
        self,
        keys: Sequence[str],
        texts: dict[str, str],
        cache: VectorCache,
        model: str,
        progress: Progress | None,
        onnx_dir: Path | None,
        dim: int | None = None,
    ) -> tuple[np.ndarray, int, int]:
        return embed_keys(keys, texts, cache, model, progress, onnx_dir, dim, self.device)
