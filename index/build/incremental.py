"""Incremental builds: a new generation from the previous one plus the files that changed.

Only new or changed files are read, chunked, tokenized and embedded. The trials and chunks
of unchanged files are copied byte for byte from the previous generation (their JSON
lines, their vectors and int8 codes), their term counts are kept and renumbered, and the
BM25 weights are recomputed over the whole corpus, so the result scores exactly as a full
build would (rows may be ordered differently: carried rows first, new ones after).

A full build is used instead when the change touches a trial read from several files (the
duplicate rule would have to be re-applied), when a new trial's NCT ID is already indexed,
or when the indexed paths or their display names differ.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from index.retrieval.bm25 import BM25, BM25Params, counts_matrix
from index.text.chunk import Chunk, chunk_trial
from index.corpus.loader import Corpus, LoadError, display_path
from index.errors import CorpusError
from index.retrieval.fusion import FusionParams
from index.model import Trial
from index.corpus.readers import read
from index.store.backend import Carry, EmbeddedBackend, IndexData, load_tf, open_written, quantize, tidy, write_index
from index.text.tokenize import TOKENIZER_VERSION, tokenize

log = logging.getLogger(__name__)

MAX_SEGMENTS = 8  # more segments of one kind than this: compact them into one
MAX_GARBAGE = 0.25  # more of the old rows dropped than this: compact


def update_index(
    old: EmbeddedBackend,
    src: dict[str, Any],
    paths: Sequence[str | Path],
    scanned,  # build.CorpusFiles
    model: str,
    fusion: FusionParams,
    cache,  # VectorCache
    progress=None,  # Progress
    phases=None,  # Phases
) -> tuple[EmbeddedBackend, Corpus] | None:
    """The updated index, or None when a full build is needed."""
    from index.build.pipeline import UNEMBEDDED, Phases, embed_keys, fingerprint

    phases = phases or Phases()
    digests: dict[str, str] = scanned.digests
    if "files" not in src or "trials" not in src:
        return None
    if old.manifest.get("paths") != [str(p) for p in paths]:
        return None
    if old.manifest.get("tokenizer", 1) != TOKENIZER_VERSION:
        return None  # carried tokens would not match new ones: rebuild
    old_files: dict[str, dict] = src["files"]
    changed = [n for n, d in digests.items() if n not in old_files or old_files[n]["sha256"] != d]
    removed = [n for n in old_files if n not in digests]
    cwd = str(Path.cwd().resolve())
    if src.get("cwd") == cwd:  # same working directory: unchanged files keep their display paths
        shown = {n: old_files[n]["source"] if n in old_files else display_path(Path(n)) for n in digests}
    else:
        shown = {n: display_path(Path(n)) for n in digests}
        if any(shown[n] != old_files[n]["source"] for n in digests if n in old_files):
            return None
    dirty = {old_files[n]["source"] for n in [*changed, *removed] if n in old_files}
    kept_trials: list[int] = []
    metas: list[list[str]] = []
    for i, meta in enumerate(src["trials"]):
        sources = meta[1:]
        if dirty.intersection(sources):
            if len(sources) > 1:
                return None  # a merged duplicate: the full build re-applies the rule
            continue
        kept_trials.append(i)
        metas.append(meta)
    kept_ids = {m[0] for m in metas}
    new_trials: list[Trial] = []
    errors = [LoadError(e.source, e.reason) for e in scanned.errors]
    clean = {old_files[n]["source"] for n in digests if n in old_files and n not in changed}
    errors += [LoadError(e["source"], e["reason"]) for e in src.get("read_errors", []) if e["source"] in clean]
    if _unchanged(old, src, scanned, changed, removed, shown, errors, fusion):
        log.info("the index at %s is up to date: nothing written", old.dir.parent)
        tidy(old.dir.parent)
        return old, Corpus(trials=_Trials(old), errors=tuple(errors), files=tuple(shown.values()))  # type: ignore[arg-type]
    for i, name in enumerate(changed):
        try:
            got = read(Path(name), shown[name])
        except CorpusError as exc:
            log.warning("skipped %s: %s", exc.source, exc.reason)
            errors.append(LoadError(exc.source, exc.reason))
            continue
        for t in got:
            if t.nct_id in kept_ids:
                return None  # a duplicate of an indexed trial
            kept_ids.add(t.nct_id)
            new_trials.append(t)
        if progress:
            progress("read", i + 1, len(changed))
    phases.lap("read")

    # rows: carried chunks first (renumbered), then the new trials' chunks
    n_old = old.n_chunks
    old_trial = np.asarray(old.chunk_trial)
    trial_map = np.full(len(src["trials"]), -1, dtype=np.int64)
    trial_map[np.asarray(kept_trials, dtype=np.int64)] = np.arange(len(kept_trials))
    keep_row = trial_map[old_trial] >= 0 if n_old else np.zeros(0, dtype=bool)
    kept_rows = np.flatnonzero(keep_row)
    row_map = np.full(n_old, -1, dtype=np.int64)
    row_map[kept_rows] = np.arange(len(kept_rows))
    new_chunks: list[Chunk] = []
    new_chunk_trial: list[int] = []
    for j, t in enumerate(new_trials):
        cs = chunk_trial(t)
        new_chunks.extend(cs)
        new_chunk_trial.extend([len(kept_trials) + j] * len(cs))
    phases.lap("chunk")
    chunk_trial_all = np.concatenate(
        [trial_map[old_trial[kept_rows]], np.asarray(new_chunk_trial, dtype=np.int64)]
    ).astype(np.int32)

    # BM25: kept counts renumbered, new counts appended, weights recomputed
    vocab = dict(old.bm25.vocab)
    tokens = [tokenize(c.index_text) for c in new_chunks]
    get = vocab.setdefault
    lengths_new = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    ids = np.fromiter((get(w, len(vocab)) for t in tokens for w in t), dtype=np.int64, count=int(lengths_new.sum()))
    old_tf, old_len = load_tf(old.dir, len(old.bm25.vocab), n_old)
    tf = merge_counts(old_tf, row_map, counts_matrix(ids, lengths_new, len(vocab)), len(kept_rows))
    lengths = np.concatenate([old_len[kept_rows], lengths_new.astype(np.float64)])
    vocab, tf = prune_terms(vocab, tf)
    params = BM25Params(**old.manifest["bm25"])
    scorer = BM25.from_tf(vocab, tf, lengths, params)
    phases.lap("bm25")

    # vectors: the old segments linked (or their kept vectors copied), new ones from the cache or encoder
    new_rows = np.array([i for i, c in enumerate(new_chunks) if c.section not in UNEMBEDDED], dtype=np.int64)
    keys = [new_chunks[i].key for i in new_rows]
    texts = {k: new_chunks[i].embed_text for k, i in zip(keys, new_rows, strict=True)}
    new_vecs, embedded, _ = embed_keys(keys, texts, cache, model, progress, onnx_dir=old.query_encoder_dir, dim=old.dim)
    new_vecs = new_vecs.reshape(-1, old.dim)
    phases.lap("embed")
    scale = np.load(old.dir / "dense" / "scale.npy")
    new_codes, _ = quantize(new_vecs, scale)
    old_rows = old.vector_rows
    mapped = np.where(old_rows >= 0, row_map[np.maximum(old_rows, 0)], -1) if len(old_rows) else old_rows
    new_keys = np.asarray([k.encode("ascii") for k in keys], dtype="S40")
    link = _should_link(old, len(kept_rows), int((mapped >= 0).sum()))
    if link:  # old slots stay (dropped ones marked -1); the new segment holds only new vectors
        vectors, codes = new_vecs.astype(np.float16), new_codes
        vector_rows = np.concatenate([mapped, new_rows + len(kept_rows)])
        vector_keys = np.concatenate([old.vector_keys(), new_keys])
    else:  # compaction: one segment of the kept and the new vectors
        kept_slots = np.flatnonzero(mapped >= 0)
        vectors = np.concatenate([old.vectors[kept_slots], new_vecs.astype(np.float16)])
        codes = np.concatenate([old.codes[kept_slots], new_codes])
        vector_rows = np.concatenate([mapped[kept_slots], new_rows + len(kept_rows)])
        vector_keys = np.concatenate([old.vector_keys()[kept_slots], new_keys])
    n_vectors = int((vector_rows >= 0).sum())
    phases.lap("vectors")
    n_trials = len(kept_trials) + len(new_trials)
    n_chunks = len(kept_rows) + len(new_chunks)
    metas += [[t.nct_id, t.source, *t.also_sources] for t in new_trials]
    manifest = {
        "model": model,
        "tokenizer": TOKENIZER_VERSION,
        "dim": int(old.dim),
        "bm25": asdict(params),
        "fusion": asdict(fusion),
        "corpus_fingerprint": fingerprint(digests),
        "paths": [str(p) for p in paths],
        "counts": {
            "files": len(digests),
            "trials": n_trials,
            "chunks": n_chunks,
            "terms": len(vocab),
            "errors": len(errors),
            "embedded": embedded,
            "reused": n_vectors - embedded,
            "not_embedded": n_chunks - n_vectors,
            "carried_chunks": len(kept_rows),
            "read_files": len(changed),
            "segments_linked": bool(link),
        },
        "errors": [{"source": e.source, "reason": e.reason} for e in errors],
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "timings": phases.times,  # seconds, before writing
    }
    sources = {
        "files": {n: {"sha256": d, "source": shown[n], "stat": scanned.stats.get(n)} for n, d in digests.items()},
        "trials": metas,
        "read_errors": [{"source": e.source, "reason": e.reason} for e in errors],
        "cwd": cwd,
    }
    data = IndexData(
        trials=new_trials,
        chunks=new_chunks,
        chunk_trial=chunk_trial_all,
        bm25=scorer,
        tf=tf,
        lengths=lengths,
        vectors=vectors,
        vector_rows=vector_rows,
        vector_keys=vector_keys,
        manifest=manifest,
        sources=sources,
        carry=Carry(old.dir, np.asarray(kept_trials, dtype=np.int64), kept_rows, link=link),
        codes=(codes, scale),
    )
    index_dir = old.dir.parent
    if progress:
        progress("write", 0, 1)
    gen = write_index(index_dir, data, query_encoder=old.query_encoder_dir)
    if progress:
        progress("write", 1, 1)
    phases.lap("write")
    log.info("carried %d chunks, added %d: %s", len(kept_rows), len(new_chunks), phases.times)
    backend = open_written(gen)
    files = tuple(shown.values())
    return backend, Corpus(trials=_Trials(backend), errors=tuple(errors), files=files)  # type: ignore[arg-type]


def _unchanged(
    old: EmbeddedBackend,
    src: dict[str, Any],
    scanned,  # build.CorpusFiles
    changed: list[str],
    removed: list[str],
    shown: dict[str, str],
    errors: list[LoadError],
    fusion: FusionParams,
) -> bool:
    """Whether the index already is what a build would write: the same files (content,
    size and time), shown by the same names, with the same errors and settings."""
    if changed or removed or old.manifest.get("fusion") != asdict(fusion):
        return False
    files = src["files"]
    if any(files[n].get("stat") != scanned.stats.get(n) or files[n]["source"] != shown[n] for n in shown):
        return False
    before = {(e["source"], e["reason"]) for e in src.get("read_errors", [])}
    return before == {(e.source, e.reason) for e in errors}


def _should_link(old: EmbeddedBackend, kept_rows: int, kept_vectors: int) -> bool:
    """Link the old segments unless there are many, or much of them is dropped rows."""
    segs = old.manifest["segments"]
    chunk_rows = sum(s["rows"] for s in segs["chunks"])
    slots = sum(s["rows"] for s in segs["dense"])
    if kept_rows == 0 or max(len(segs[k]) for k in ("trials", "chunks", "dense")) >= MAX_SEGMENTS:
        return False
    return kept_rows >= (1 - MAX_GARBAGE) * chunk_rows and kept_vectors >= (1 - MAX_GARBAGE) * slots


class _Trials(Sequence[Trial]):
    """The trials of an updated index, parsed only if someone reads them."""

    def __init__(self, backend: EmbeddedBackend) -> None:
        self.backend = backend

    def __len__(self) -> int:
        return self.backend.n_trials

    def __getitem__(self, i: Any) -> Any:
        trials = self.backend.trials()
        if isinstance(i, slice):
            return [trials[n] for n in trials.ids[i]]
        return trials[trials.ids[i]]

    def __iter__(self) -> Iterator[Trial]:
        return iter(self.backend.trials().values())


def merge_counts(old: sparse.csr_matrix, row_map: np.ndarray, new: sparse.csr_matrix, n_kept: int) -> sparse.csr_matrix:
    """Term-by-document counts of the kept old documents (``row_map``: new number or -1)
    followed by the new documents, whose vocabulary extends the old one."""
    n_terms = new.shape[0]
    indptr = np.asarray(old.indptr, dtype=np.int64)
    docs = row_map[np.asarray(old.indices, dtype=np.int64)]
    keep = docs >= 0
    csum = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(keep, out=csum[1:])
    kc = np.zeros(n_terms, dtype=np.int64)
    kc[: len(indptr) - 1] = csum[indptr[1:]] - csum[indptr[:-1]]
    nc = np.diff(np.asarray(new.indptr, dtype=np.int64))
    out_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(kc + nc, out=out_ptr[1:])
    nnz = int(out_ptr[-1])
    out_idx = np.empty(nnz, dtype=np.int32)
    out_val = np.empty(nnz, dtype=np.float64)
    kept_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(kc, out=kept_ptr[1:])
    dest = np.repeat(out_ptr[:-1] - kept_ptr[:-1], kc) + np.arange(int(kept_ptr[-1]))
    out_idx[dest] = docs[keep]
    out_val[dest] = np.asarray(old.data, dtype=np.float64)[keep]
    new_ptr = np.asarray(new.indptr, dtype=np.int64)
    dest = np.repeat(out_ptr[:-1] + kc - new_ptr[:-1], nc) + np.arange(int(new_ptr[-1]))
    out_idx[dest] = np.asarray(new.indices, dtype=np.int64) + n_kept
    out_val[dest] = new.data
    return sparse.csr_matrix((out_val, out_idx, out_ptr), shape=(n_terms, n_kept + new.shape[1]))


def prune_terms(vocab: dict[str, int], tf: sparse.csr_matrix) -> tuple[dict[str, int], sparse.csr_matrix]:
    """Drop terms no document has any more (so their idf cannot shift every score)."""
    counts = np.diff(tf.indptr)
    alive = counts > 0
    if alive.all():
        return vocab, tf
    new_id = np.cumsum(alive) - 1
    words = sorted(vocab, key=vocab.__getitem__)
    vocab = {w: int(new_id[i]) for i, w in enumerate(words) if alive[i]}
    indptr = np.zeros(int(alive.sum()) + 1, dtype=np.int64)
    np.cumsum(counts[alive], out=indptr[1:])
    return vocab, sparse.csr_matrix((tf.data, tf.indices, indptr), shape=(len(vocab), tf.shape[1]))
