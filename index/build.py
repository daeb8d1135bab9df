"""Building an index: load the corpus, chunk, tokenize, BM25, embed (with a cache), write."""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from index.bm25 import BM25, BM25Params, tf_matrix
from index.chunk import Chunk, chunk_trial
from index.corpus import Corpus, iter_files, load_corpus
from index.embed import SentenceTransformerEncoder
from index.errors import IndexMissing, TrialQAError
from index.fusion import FusionParams
from index.store import EmbeddedBackend, IndexData, open_backend, write_index
from index.tokenize import tokenize
from index.vcache import VectorCache, model_slug

log = logging.getLogger(__name__)

# Sections that are metadata (dates, identifiers, places, names): found by BM25 and by
# the fact layer, not worth a vector each. Their rows in vectors.npy are zero.
UNEMBEDDED = frozenset(
    [
        "dates",
        "identifiers",
        "status",
        "phase",
        "enrollment",
        "sponsor",
        "collaborators",
        "locations",
        "contacts",
        "references",
    ]
)
EMBED_BATCH = 2048  # vectors persisted to the cache after each batch

# progress(stage, done, total)
Progress = Callable[[str, int, int], None]


def corpus_fingerprint(paths: Iterable[str | Path]) -> str:
    """Content hash of every file under the paths (names and bytes)."""
    files, _ = iter_files(paths)
    h = hashlib.sha256()
    for f in sorted(files, key=str):
        h.update(str(f).encode("utf-8", "surrogateescape") + b"\0")
        try:
            h.update(hashlib.sha256(f.read_bytes()).digest())
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()


def previous_vectors(index_dir: Path, model: str) -> dict[str, np.ndarray]:
    """Vectors of the index already at index_dir (same model), by chunk content key."""
    try:
        old = open_backend(index_dir)
    except (IndexMissing, TrialQAError):
        return {}
    if old.manifest.get("model") != model:
        return {}
    return {k: np.asarray(old.vectors[i]) for i, k in enumerate(old.keys())}


def build_index(
    paths: Sequence[str | Path],
    index_dir: Path,
    model: str,
    bm25: BM25Params | None = None,
    fusion: FusionParams | None = None,
    progress: Progress | None = None,
    corpus: Corpus | None = None,
    cache_dir: Path | None = None,
) -> tuple[EmbeddedBackend, Corpus]:
    t0 = time.perf_counter()
    bm25 = bm25 or BM25Params()
    fusion = fusion or FusionParams()
    if corpus is None:
        corpus = load_corpus(paths, progress=(lambda d, n: progress("read", d, n)) if progress else None)
    chunks: list[Chunk] = [c for t in corpus.trials for c in chunk_trial(t)]
    tokens = []
    for i, c in enumerate(chunks):
        tokens.append(tokenize(c.index_text))
        if progress and (i % 500 == 0 or i + 1 == len(chunks)):
            progress("tokenize", i + 1, len(chunks))
    vocab, tf, lengths = tf_matrix(tokens)
    scorer = BM25.from_tf(vocab, tf, lengths, bm25)
    keys = [c.key for c in chunks]
    encoder = SentenceTransformerEncoder(model)
    cache = VectorCache(cache_dir / model_slug(model) if cache_dir else None)
    cache.update(previous_vectors(index_dir, model))
    wanted = [i for i, c in enumerate(chunks) if c.section not in UNEMBEDDED]
    todo_keys = list(dict.fromkeys(keys[i] for i in wanted if cache.get(keys[i]) is None))
    log.info(
        "%d chunks, %d to embed (%d distinct new texts), %d metadata chunks not embedded",
        len(chunks),
        len(wanted),
        len(todo_keys),
        len(chunks) - len(wanted),
    )
    text_of = {keys[i]: chunks[i].embed_text for i in wanted}
    done = 0
    for lo in range(0, len(todo_keys), EMBED_BATCH):
        batch = todo_keys[lo : lo + EMBED_BATCH]
        cache.add(batch, encoder.encode([text_of[k] for k in batch]))
        done += len(batch)
        if progress:
            progress("embed", done, len(todo_keys))
    dim = encoder.dim if todo_keys or not wanted else len(cache.get(keys[wanted[0]]))
    vectors = np.zeros((len(chunks), dim), dtype=np.float32)
    for i in wanted:
        vectors[i] = cache.get(keys[i])
    todo = todo_keys
    manifest = {
        "model": model,
        "dim": int(dim),
        "bm25": asdict(bm25),
        "fusion": asdict(fusion),
        "corpus_fingerprint": corpus_fingerprint(paths),
        "paths": [str(p) for p in paths],
        "counts": {
            "files": len(corpus.files),
            "trials": len(corpus.trials),
            "chunks": len(chunks),
            "terms": len(vocab),
            "errors": len(corpus.errors),
            "embedded": len(todo),
            "reused": len(wanted) - len(todo),
            "not_embedded": len(chunks) - len(wanted),
        },
        "errors": [{"source": e.source, "reason": e.reason} for e in corpus.errors],
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with tempfile.TemporaryDirectory(prefix="trialqa-onnx-") as tmp:
        qdir = _query_encoder(index_dir, encoder, model, Path(tmp) / "query_encoder", bool(todo))
        if progress:
            progress("write", 0, 1)
        write_index(
            index_dir,
            IndexData(list(corpus.trials), chunks, keys, scorer, tf, lengths, vectors, manifest),
            query_encoder=qdir,
        )
    if progress:
        progress("write", 1, 1)
    log.info("index built in %.1f s", time.perf_counter() - t0)
    return open_backend(index_dir), corpus


def _query_encoder(
    index_dir: Path, encoder: SentenceTransformerEncoder, model: str, out: Path, loaded: bool
) -> Path | None:
    """Reuse the previous generation's ONNX export for the same model, else export."""
    try:
        old = open_backend(index_dir)
        if old.manifest.get("model") == model and old.query_encoder_dir is not None:
            return old.query_encoder_dir
    except TrialQAError:
        pass
    try:
        return out if encoder.export_onnx(out) else None
    except Exception:  # the fast path is optional: fall back to sentence-transformers
        log.warning("ONNX export failed; queries will use sentence-transformers", exc_info=True)
        return None
