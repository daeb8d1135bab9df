"""Building into Milvus: the full build's stages (`index.build.pipeline.full_data`), then
`index.milvus.writer` as the write target instead of a generation directory.

A build of an index that exists (same model, tokenizer and BM25 parameters) updates it in
place (`index.milvus.update`): only new or changed chunks are written, those of removed
trials deleted; the vector cache makes the build embed only new texts. Otherwise (or with
``update=False``) the collections are written anew. One writer at a time
(`index.milvus.client.writer_lock`). The ONNX export of the model that queries use is kept
in a local directory."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.build.embedding import query_encoder
from index.build.engine import Engine, LocalEngine, ReadCorpus
from index.build.files import scan_files
from index.build.pipeline import full_data
from index.build.stages import BuildSettings, Phases, Progress
from index.corpus.loader import Corpus
from index.milvus.backend import MilvusBackend
from index.milvus.client import is_local, writer_lock
from index.milvus.update import update_milvus
from index.milvus.writer import write_milvus
from index.retrieval.bm25 import BM25Params
from index.retrieval.embed import OnnxEncoder
from index.retrieval.fusion import FusionParams
from index.store.vcache import VectorCache, model_slug

log = logging.getLogger(__name__)


def build_milvus(
    paths: Sequence[str | Path],
    client: Any,
    name: str,
    model: str,
    uri: str = "",
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    encoder_dir: Path | None = None,
    corpus: Corpus | None = None,
    engine: Engine | None = None,
    update: bool = True,
    dense_index: str = "",
) -> tuple[MilvusBackend, Corpus]:
    """Build the index ``name`` in Milvus from the corpus files (updating it in place when
    it exists and ``update``, else replacing it); ``engine`` reads and embeds (default: in this
    process). ``dense_index``: FLAT or HNSW (default: FLAT for Milvus Lite, in process, HNSW for
    a server)."""
    t0 = time.perf_counter()
    settings = BuildSettings(list(paths), model, BM25Params(), FusionParams(), progress)
    cache = VectorCache(cache_dir / model_slug(model) if cache_dir else None)
    phases = Phases()
    scanned = scan_files(settings.paths, None)
    phases.lap("hash_and_open")
    engine = engine or LocalEngine()
    read = engine.read(settings.paths, progress) if corpus is None else ReadCorpus(corpus)
    phases.lap("read")
    data = full_data(settings, read, scanned, None, cache, phases, engine)
    if progress:
        progress("write", 0, 1)
    with writer_lock(uri):
        done = update_milvus(client, name, data) if update else None
        if done is None:
            write_milvus(client, name, data, dense_index or ("FLAT" if not uri or is_local(uri) else "HNSW"))
    if progress:
        progress("write", 1, 1)
    if encoder_dir is not None:
        export_encoder(model, encoder_dir)
    log.info("Milvus index %s built in %.1f s", name, time.perf_counter() - t0)
    return MilvusBackend(client, name, uri), read.corpus


def encoder_dir_for(cache_root: Path, model: str) -> Path:
    """Where the ONNX export of ``model`` is kept for indexes that live in Milvus."""
    return cache_root / "query_encoder" / model_slug(model)


def export_encoder(model: str, out: Path) -> Path | None:
    """The ONNX export of ``model`` at ``out`` (made when missing or for another model)."""
    if (out / "model.onnx").is_file():
        try:
            if OnnxEncoder(out).model_id == model:
                return out
        except Exception:  # a damaged export: made again below
            log.warning("ONNX export at %s unusable; exporting again", out, exc_info=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".tmp-onnx-", dir=out.parent) as tmp:
        made = query_encoder(None, model, Path(tmp) / "query_encoder")
        if made is None:
            return None
        shutil.rmtree(out, ignore_errors=True)
        os.replace(made, out)  # whole, so a concurrent reader never sees half an export
    return out
