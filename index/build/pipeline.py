"""Building an index: load the corpus, chunk, tokenize, BM25, facts, embed (with a cache), write.

When the index directory already holds a generation built with the same model and BM25
parameters, only files that are new or changed are read, chunked, tokenized and embedded;
everything else is carried over from the previous generation (see `index.build.incremental`).
Both builds are made of the stages in `index.build.stages` and `index.build.embedding`.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from index.build.embedding import query_encoder
from index.build.engine import Engine, LocalEngine, ReadCorpus
from index.build.files import CorpusFiles, scan_files
from index.build.incremental import update_index
from index.build.stages import (
    BuildSettings,
    Phases,
    Progress,
    counts_record,
    manifest_record,
    sources_record,
    to_embed,
    tokenize_chunks,
    trial_records,
    trial_sources,
    write_generation,
)
from index.corpus.loader import Corpus, display_path
from index.errors import TrialQAError
from index.retrieval.bm25 import BM25, BM25Params, tf_matrix
from index.retrieval.fusion import FusionParams
from index.store.lock import writer_lock
from index.store.reader import EmbeddedBackend, open_backend, open_written
from index.store.vcache import VectorCache, keys_as_str, model_slug
from index.store.writer import IndexData

log = logging.getLogger(__name__)

__all__ = ["Progress", "build_index"]


def build_index(
    paths: Sequence[str | Path],
    index_dir: Path,
    model: str,
    bm25: BM25Params | None = None,
    fusion: FusionParams | None = None,
    progress: Progress | None = None,
    corpus: Corpus | None = None,
    cache_dir: Path | None = None,
    engine: Engine | None = None,
) -> tuple[EmbeddedBackend, Corpus]:
    """Build (or incrementally update) the index at ``index_dir`` from the corpus files,
    holding its writer lock: a concurrent build of the same directory waits, then finds
    the index current and has little left to do. ``engine`` reads and embeds (default: in
    this process; `index.build.ray_pipeline.RayEngine` on Ray)."""
    settings = BuildSettings(list(paths), model, bm25 or BM25Params(), fusion or FusionParams(), progress)
    cache = VectorCache(cache_dir / model_slug(model) if cache_dir else None)
    with writer_lock(index_dir):
        return _build_index(settings, index_dir, corpus, cache, engine or LocalEngine())


def _build_index(
    settings: BuildSettings, index_dir: Path, corpus: Corpus | None, cache: VectorCache, engine: Engine
) -> tuple[EmbeddedBackend, Corpus]:
    t0 = time.perf_counter()
    phases = Phases()
    old = _previous(index_dir, settings.model)
    src = old.sources() if old is not None else {}
    scanned = scan_files(settings.paths, src.get("files"))
    phases.lap("hash_and_open")
    if old is not None and corpus is None and old.manifest.get("bm25") == asdict(settings.bm25) and src:
        updated = update_index(old, src, settings, scanned, cache, phases, engine)
        if updated is not None:
            log.info("index updated in %.1f s", time.perf_counter() - t0)
            return updated
    read = engine.read(settings.paths, settings.progress) if corpus is None else ReadCorpus(corpus)
    phases.lap("read")
    data = full_data(settings, read, scanned, old, cache, phases, engine)
    # the export goes inside the index directory, so the cleanup after a killed build removes it too
    with tempfile.TemporaryDirectory(prefix=".tmp-gen-onnx-", dir=index_dir, ignore_cleanup_errors=True) as tmp:
        qdir = query_encoder(old, settings.model, Path(tmp) / "query_encoder")
        gen = write_generation(index_dir, data, qdir, settings.progress)
    log.info("index built in %.1f s", time.perf_counter() - t0)
    return open_written(gen), read.corpus


def full_data(
    settings: BuildSettings,
    read: ReadCorpus,
    scanned: CorpusFiles,
    old: EmbeddedBackend | None,
    cache: VectorCache,
    phases: Phases,
    engine: Engine,
) -> IndexData:
    """Every stage of a full build over the read corpus, ready to write."""
    progress = settings.progress
    corpus = read.corpus
    chunks, owner = read.chunked()
    phases.lap("chunk")
    tokens = tokenize_chunks(chunks, progress)
    phases.lap("tokenize")
    vocab, tf, lengths = tf_matrix(tokens)
    del tokens
    scorer = BM25.from_tf(vocab, tf, lengths, settings.bm25)
    phases.lap("bm25")
    records = trial_records(corpus.trials, progress)
    phases.lap("facts")
    if old is not None:  # the previous generation's vectors count as cached
        cache.attach(keys_as_str(old.vector_keys()), old.vectors)
    want = to_embed(chunks)
    vectors, embedded, dim = engine.embed(want.keys, want.texts, cache, settings.model, progress, onnx_dir=None)
    phases.lap("embed")
    counts = counts_record(
        len(corpus.files), len(corpus.trials), len(chunks), len(vocab), len(corpus.errors), embedded, len(want.rows)
    )
    shown = {n: display_path(Path(n)) for n in scanned.digests}
    return IndexData(
        trials=list(corpus.trials),
        chunks=chunks,
        chunk_trial=owner.astype("int32"),
        bm25=scorer,
        tf=tf,
        lengths=lengths,
        vectors=vectors,
        vector_rows=want.rows,
        vector_keys=want.key_array,
        manifest=manifest_record(settings, dim, scanned, counts, corpus.errors, phases),
        facts=records.facts,
        names=records.names,
        conditions=records.conditions,
        sources=sources_record(scanned, shown, trial_sources(corpus.trials), corpus.errors, str(Path.cwd().resolve())),
    )


def _previous(index_dir: Path, model: str) -> EmbeddedBackend | None:
    """The index already at ``index_dir`` when it was built with the same model."""
    try:
        old = open_backend(index_dir)
    except TrialQAError:  # none, damaged or stale: a full build replaces it
        return None
    return old if old.manifest.get("model") == model else None
