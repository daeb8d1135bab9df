"""Building an index: load the corpus, chunk, tokenize, BM25, embed (with a cache), write.

When the index directory already holds a generation built with the same model and BM25
parameters, only files that are new or changed are read, chunked, tokenized and embedded;
everything else is carried over from the previous generation (see `index.build.incremental`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.retrieval.bm25 import BM25, BM25Params, tf_matrix
from index.text.chunk import Chunk, chunk_trial
from index.corpus.loader import Corpus, LoadError, display_path, iter_files, load_corpus
from index.retrieval.embed import Encoder, OnnxEncoder, SentenceTransformerEncoder
from index.errors import IndexMissing, TrialQAError
from index.retrieval.fusion import FusionParams
from index.model import Trial
from index.store.backend import EmbeddedBackend, IndexData, open_backend, open_written, write_index, writer_lock
from index.text.tokenize import TOKENIZER_VERSION, tokenize
from index.facts.names import trial_facts
from index.store.vcache import VectorCache, model_slug

log = logging.getLogger(__name__)

# Sections that are metadata (dates, identifiers, places, names): found by BM25 and by
# the fact layer, not worth a vector each. They have no vector.
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
ONNX_EMBED_MAX = 512  # up to this many new texts are embedded with the ONNX export (no torch import)

# progress(stage, done, total)
Progress = Callable[[str, int, int], None]


class Phases:
    """Seconds spent in each phase of a build (recorded in the manifest as "timings")."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = round(self.times.get(name, 0.0) + now - self._t, 3)
        self._t = now


def file_digests(paths: Iterable[str | Path], known: dict[str, dict] | None = None) -> dict[str, str]:
    """Each corpus file's sha256, by path as walked (sorted)."""
    return scan_files(paths, known).digests


@dataclass
class CorpusFiles:
    digests: dict[str, str]  # path as walked -> sha256 ("" when unreadable)
    stats: dict[str, list[int]]  # path -> [size, mtime_ns]
    errors: list[LoadError]  # from the walk (broken links, ...)


def scan_files(paths: Iterable[str | Path], known: dict[str, dict] | None = None) -> CorpusFiles:
    """Walk the corpus and hash every file; a file whose size and modification time (ns)
    equal those ``known`` (a previous build's sources record) keeps its recorded hash."""
    files, errors = iter_files(paths)
    digests: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    for f in sorted(files, key=str):
        name = str(f)
        try:
            st = f.stat()
            stat = [st.st_size, st.st_mtime_ns]
            k = (known or {}).get(name)
            if k and k.get("stat") == stat and k.get("sha256"):
                digests[name] = k["sha256"]
            else:
                digests[name] = _sha256_regular(f)
            stats[name] = stat
        except OSError:
            digests[name] = ""
    return CorpusFiles(digests, stats, errors)


def _sha256_regular(path: Path) -> str:
    """The file's sha256, read in blocks; OSError unless it is a regular file (a FIFO or
    device swapped in after the walk is refused without blocking on it)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        h = hashlib.sha256()
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fingerprint(digests: dict[str, str]) -> str:
    """The corpus fingerprint from `file_digests` (names and bytes)."""
    h = hashlib.sha256()
    for name, digest in sorted(digests.items()):
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(bytes.fromhex(digest) if digest else b"unreadable")
    return h.hexdigest()


def corpus_fingerprint(paths: Iterable[str | Path]) -> str:
    """Content hash of every file under the paths (names and bytes)."""
    return fingerprint(file_digests(paths))


def previous_vectors(index_dir: Path, model: str) -> dict[str, np.ndarray]:
    """Vectors of the index already at index_dir (same model), by chunk content key."""
    old = _previous(index_dir, model)
    if old is None:
        return {}
    return dict(zip(_as_str(old.vector_keys()), np.asarray(old.vectors, dtype=np.float32), strict=True))


def _previous(index_dir: Path, model: str) -> EmbeddedBackend | None:
    try:
        old = open_backend(index_dir)
    except (IndexMissing, TrialQAError):
        return None
    return old if old.manifest.get("model") == model else None


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
    """Build (or incrementally update) the index at ``index_dir`` from the corpus files,
    holding its writer lock: a concurrent build of the same directory waits, then finds
    the index current and has little left to do."""
    with writer_lock(index_dir):
        return _build_index(paths, index_dir, model, bm25, fusion, progress, corpus, cache_dir)


def _build_index(
    paths: Sequence[str | Path],
    index_dir: Path,
    model: str,
    bm25: BM25Params | None,
    fusion: FusionParams | None,
    progress: Progress | None,
    corpus: Corpus | None,
    cache_dir: Path | None,
) -> tuple[EmbeddedBackend, Corpus]:
    t0 = time.perf_counter()
    bm25 = bm25 or BM25Params()
    fusion = fusion or FusionParams()
    phases = Phases()
    old = _previous(index_dir, model)
    src = old.sources() if old is not None else {}
    scanned = scan_files(paths, src.get("files"))
    digests = scanned.digests
    cache = VectorCache(cache_dir / model_slug(model) if cache_dir else None)
    phases.lap("hash_and_open")
    if old is not None and corpus is None and old.manifest.get("bm25") == asdict(bm25) and src:
        from index.build.incremental import update_index

        updated = update_index(old, src, paths, scanned, model, fusion, cache, progress, phases)
        if updated is not None:
            log.info("index updated in %.1f s", time.perf_counter() - t0)
            return updated
    if corpus is None:
        corpus = load_corpus(paths, progress=(lambda d, n: progress("read", d, n)) if progress else None)
    phases.lap("read")
    chunks: list[Chunk] = []
    chunk_trial_ids: list[int] = []
    for i, t in enumerate(corpus.trials):
        cs = chunk_trial(t)
        chunks.extend(cs)
        chunk_trial_ids.extend([i] * len(cs))
    phases.lap("chunk")
    tokens = tokenize_chunks(chunks, progress)
    phases.lap("tokenize")
    vocab, tf, lengths = tf_matrix(tokens)
    del tokens
    scorer = BM25.from_tf(vocab, tf, lengths, bm25)
    phases.lap("bm25")
    facts = stored_facts(corpus.trials, progress)
    phases.lap("facts")
    if old is not None:
        cache.attach(_as_str(old.vector_keys()), old.vectors)
    rows = np.array([i for i, c in enumerate(chunks) if c.section not in UNEMBEDDED], dtype=np.int64)
    keys = [chunks[i].key for i in rows]
    texts = {k: chunks[i].embed_text for k, i in zip(keys, rows, strict=True)}
    vectors, embedded, dim = embed_keys(keys, texts, cache, model, progress, onnx_dir=None)
    phases.lap("embed")
    manifest = {
        "model": model,
        "tokenizer": TOKENIZER_VERSION,
        "dim": int(dim),
        "bm25": asdict(bm25),
        "fusion": asdict(fusion),
        "corpus_fingerprint": fingerprint(digests),
        "paths": [str(p) for p in paths],
        "counts": {
            "files": len(corpus.files),
            "trials": len(corpus.trials),
            "chunks": len(chunks),
            "terms": len(vocab),
            "errors": len(corpus.errors),
            "embedded": embedded,
            "reused": len(rows) - embedded,
            "not_embedded": len(chunks) - len(rows),
        },
        "errors": [{"source": e.source, "reason": e.reason} for e in corpus.errors],
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "timings": phases.times,  # seconds, before writing
    }
    data = IndexData(
        trials=list(corpus.trials),
        chunks=chunks,
        chunk_trial=np.asarray(chunk_trial_ids, dtype=np.int32),
        bm25=scorer,
        tf=tf,
        lengths=lengths,
        vectors=vectors,
        vector_rows=rows,
        vector_keys=np.asarray([k.encode("ascii") for k in keys], dtype="S40"),
        manifest=manifest,
        sources=sources_record(scanned, corpus),
        facts=facts,
    )
    encoder = SentenceTransformerEncoder(model)
    # inside the index directory, so the cleanup after a killed build removes it too
    with tempfile.TemporaryDirectory(prefix=".tmp-gen-onnx-", dir=index_dir, ignore_cleanup_errors=True) as tmp:
        qdir = _query_encoder(old, encoder, model, Path(tmp) / "query_encoder")
        if progress:
            progress("write", 0, 1)
        gen = write_index(index_dir, data, query_encoder=qdir)
    if progress:
        progress("write", 1, 1)
    log.info("index built in %.1f s", time.perf_counter() - t0)
    return open_written(gen), corpus


def stored_facts(trials: Sequence[Trial], progress: Progress | None = None) -> list[dict]:
    """Each trial's facts as the index stores them (`index.facts.names.trial_facts`)."""
    out = []
    for i, t in enumerate(trials):
        out.append(trial_facts(t))
        if progress and ((i + 1) % 250 == 0 or i + 1 == len(trials)):
            progress("facts", i + 1, len(trials))
    return out


def tokenize_chunks(chunks: Sequence[Chunk], progress: Progress | None = None) -> list[list[str]]:
    """Each chunk's index tokens; a text repeated across chunks is tokenized once."""
    seen: dict[str, list[str]] = {}
    out = []
    for i, c in enumerate(chunks):
        text = c.index_text
        toks = seen.get(text)
        if toks is None:
            toks = seen[text] = tokenize(text)
        out.append(toks)
        if progress and (i % 5000 == 0 or i + 1 == len(chunks)):
            progress("tokenize", i + 1, len(chunks))
    return out


def embed_keys(
    keys: Sequence[str],
    texts: dict[str, str],
    cache: VectorCache,
    model: str,
    progress: Progress | None,
    onnx_dir: Path | None,
    dim: int | None = None,
) -> tuple[np.ndarray, int, int]:
    """Vectors for the keys (float32, in order), embedding only what the cache lacks, in
    batches persisted as they finish. Returns (vectors, distinct texts embedded, dim);
    ``dim``, when known, spares loading the model to learn it when nothing is embedded."""
    todo = list(dict.fromkeys(k for k in keys if k not in cache))
    log.info("%d vectors wanted, %d distinct texts to embed", len(keys), len(todo))
    encoder: Encoder | None = None
    if todo:
        encoder = _bulk_encoder(model, len(todo), onnx_dir)
    done = 0
    for lo in range(0, len(todo), EMBED_BATCH):
        batch = todo[lo : lo + EMBED_BATCH]
        cache.add(batch, encoder.encode([texts[k] for k in batch]))
        done += len(batch)
        if progress:
            progress("embed", done, len(todo))
    if keys:
        first = cache.get(keys[0])
        dim = len(first) if first is not None else 0
    elif dim is None:
        dim = _dim_of(encoder, model)
    found, vectors = cache.get_many(keys, dim)
    if not found.all():  # pragma: no cover - every key was embedded above
        raise TrialQAError("embedding cache lost vectors during the build")
    return vectors, len(todo), dim


def _bulk_encoder(model: str, n: int, onnx_dir: Path | None) -> Encoder:
    """The ONNX export for a few texts (when the previous generation has one: no torch
    import), else sentence-transformers."""
    if onnx_dir is not None and n <= ONNX_EMBED_MAX:
        try:
            enc = OnnxEncoder(onnx_dir)
            if enc.model_id == model:
                return enc
        except Exception:
            log.warning("ONNX encoder unusable; loading %s", model, exc_info=True)
    return SentenceTransformerEncoder(model)


def _dim_of(encoder: Encoder | None, model: str) -> int:
    if isinstance(encoder, SentenceTransformerEncoder):
        return encoder.dim
    return SentenceTransformerEncoder(model).dim


def sources_record(files: CorpusFiles, corpus: Corpus) -> dict:
    """What an incremental build needs to know about the corpus it follows."""
    return {
        "files": {
            name: {"sha256": d, "source": display_path(Path(name)), "stat": files.stats.get(name)}
            for name, d in files.digests.items()
        },
        "trials": [[t.nct_id, t.source, *t.also_sources] for t in corpus.trials],
        "read_errors": [{"source": e.source, "reason": e.reason} for e in corpus.errors],
        "cwd": str(Path.cwd().resolve()),  # display paths are relative to it
    }


def _as_str(keys: np.ndarray) -> list[str]:
    return [k.decode("ascii") for k in keys.tolist()]


def _query_encoder(
    old: EmbeddedBackend | None, encoder: SentenceTransformerEncoder, model: str, out: Path
) -> Path | None:
    """Reuse the previous generation's ONNX export for the same model, else export."""
    if old is not None and old.manifest.get("model") == model and old.query_encoder_dir is not None:
        return old.query_encoder_dir
    try:
        return out if encoder.export_onnx(out) else None
    except Exception:  # the fast path is optional: fall back to sentence-transformers
        log.warning("ONNX export failed; queries will use sentence-transformers", exc_info=True)
        return None
