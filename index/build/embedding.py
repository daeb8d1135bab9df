"""The embedding stage: vectors for chunk texts through the vector cache, and the ONNX
export of the model that queries use."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.build.stages import Progress
from index.errors import TrialQAError
from index.retrieval.embed import Encoder, OnnxEncoder, SentenceTransformerEncoder
from index.store.reader import EmbeddedBackend
from index.store.vcache import VectorCache

log = logging.getLogger(__name__)

EMBED_BATCH = 2048  # vectors persisted to the cache after each batch
ONNX_EMBED_MAX = 512  # up to this many new texts are embedded with the ONNX export (no torch import)


def embed_keys(
    keys: Sequence[str],
    texts: dict[str, str],
    cache: VectorCache,
    model: str,
    progress: Progress | None,
    onnx_dir: Path | None,
    dim: int | None = None,
    device: str = "cpu",
) -> tuple[np.ndarray, int, int]:
    """Vectors for the keys (float32, in order), embedding only what the cache lacks, in
    batches persisted as they finish. Returns (vectors, distinct texts embedded, dim);
    ``dim``, when known, spares loading the model to learn it when nothing is embedded."""
    todo = missing_keys(keys, cache)
    encoder: Encoder | None = None
    if todo:
        encoder = _bulk_encoder(model, len(todo), onnx_dir, device)
        for lo in range(0, len(todo), EMBED_BATCH):
            batch = todo[lo : lo + EMBED_BATCH]
            cache.add(batch, encoder.encode([texts[k] for k in batch]))
            if progress:
                progress("embed", lo + len(batch), len(todo))
    vectors, dim = cached_vectors(keys, cache, dim, lambda: _dim_of(encoder, model))
    return vectors, len(todo), dim


def missing_keys(keys: Sequence[str], cache: VectorCache) -> list[str]:
    """The distinct keys the cache lacks, in order of first appearance: what a build embeds."""
    todo = list(dict.fromkeys(k for k in keys if k not in cache))
    log.info("%d vectors wanted, %d distinct texts to embed", len(keys), len(todo))
    return todo


def cached_vectors(
    keys: Sequence[str], cache: VectorCache, dim: int | None, model_dim: Callable[[], int]
) -> tuple[np.ndarray, int]:
    """The keys' vectors from the cache, once every one is there, and their dimension
    (``dim``, else ``model_dim()`` when there are no keys)."""
    if keys:
        first = cache.get(keys[0])
        dim = len(first) if first is not None else 0
    elif dim is None:
        dim = model_dim()
    found, vectors = cache.get_many(keys, dim)
    if not found.all():  # pragma: no cover - every key was embedded before
        raise TrialQAError("embedding cache lost vectors during the build")
    return vectors, dim


def _bulk_encoder(model: str, n: int, onnx_dir: Path | None, device: str = "cpu") -> Encoder:
    """The ONNX export for a few texts (when the previous generation has one: no torch
    import), else sentence-transformers."""
    if onnx_dir is not None and n <= ONNX_EMBED_MAX:
        try:
            enc = OnnxEncoder(onnx_dir)
            if enc.model_id == model:
                return enc
        except Exception:  # a damaged or foreign export: sentence-transformers serves
            log.warning("ONNX encoder unusable; loading %s", model, exc_info=True)
    return SentenceTransformerEncoder(model, device=device)


def _dim_of(encoder: Encoder | None, model: str) -> int:
    if isinstance(encoder, SentenceTransformerEncoder):
        return encoder.dim
    return SentenceTransformerEncoder(model).dim


def query_encoder(old: EmbeddedBackend | None, model: str, out: Path) -> Path | None:
    """The previous generation's ONNX export for the same model, else a new export to ``out``
    (None when exporting fails: queries then use sentence-transformers)."""
    if old is not None and old.manifest.get("model") == model and old.query_encoder_dir is not None:
        return old.query_encoder_dir
    try:
        return out if SentenceTransformerEncoder(model).export_onnx(out) else None
    except Exception:  # the fast path is optional: fall back to sentence-transformers
        log.warning("ONNX export failed; queries will use sentence-transformers", exc_info=True)
        return None
