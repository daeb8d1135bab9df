"""Incremental builds: a new generation from the previous one plus the files that changed.

Only new or changed files are read, chunked, tokenized, embedded and have their facts
extracted. The trials and chunks of unchanged files are copied byte for byte from the
previous generation (their JSON lines, their vectors and int8 codes), their term counts
are kept and renumbered, and the BM25 weights are recomputed over the whole corpus, so the
result scores exactly as a full build would (rows may be ordered differently: carried rows
first, new ones after).

A full build is used instead when the change touches a trial read from several files (the
duplicate rule would have to be re-applied), when a new trial's NCT ID is already indexed,
or when the indexed paths or their display names differ.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from index.build import stages
from index.build.counts import merge_counts, prune_terms
from index.build.engine import Engine
from index.build.files import CorpusFiles
from index.build.stages import BuildSettings, Phases, ToEmbed
from index.corpus.loader import Corpus, LoadError, display_path
from index.corpus.readers import read
from index.errors import CorpusError
from index.model import Trial
from index.retrieval.bm25 import BM25, counts_matrix
from index.retrieval.dense import quantize
from index.store.layout import tidy
from index.store.reader import EmbeddedBackend, load_tf, open_written
from index.store.vcache import VectorCache
from index.store.writer import Carry, IndexData
from index.text.tokenize import TOKENIZER_VERSION

if TYPE_CHECKING:
    from scipy import sparse

log = logging.getLogger(__name__)

MAX_SEGMENTS = 8  # more segments of one kind than this: compact them into one
MAX_GARBAGE = 0.25  # more of the old rows dropped than this: compact


@dataclass
class _Plan:
    """What changed since the previous build, and what of it is kept."""

    changed: list[str]  # files new or changed (paths as walked)
    removed: list[str]
    shown: dict[str, str]  # each file's display name
    cwd: str
    kept_trials: list[int]  # the previous generation's trial numbers kept, in order
    metas: list[list[str]]  # [NCT ID, *sources] of every trial of the new generation so far
    errors: list[LoadError]


def update_index(
    old: EmbeddedBackend,
    src: dict[str, Any],
    settings: BuildSettings,
    scanned: CorpusFiles,
    cache: VectorCache,
    phases: Phases,
    engine: Engine,
) -> tuple[EmbeddedBackend, Corpus] | None:
    """The updated index, or None when a full build is needed."""
    plan = _plan(old, src, settings, scanned)
    if plan is None:
        return None
    if _unchanged(old, src, scanned, plan, settings):
        log.info("the index at %s is up to date: nothing written", old.dir.parent)
        tidy(old.dir.parent)
        return old, _corpus(old, plan)
    new_trials = _read_changed(plan, settings)
    if new_trials is None:
        return None
    phases.lap("read")
    data = _update_data(old, len(src["trials"]), settings, scanned, plan, new_trials, cache, phases, engine)
    gen = stages.write_generation(old.dir.parent, data, old.query_encoder_dir, settings.progress)
    phases.lap("write")
    log.info(
        "carried %d chunks, added %d: %s", data.manifest["counts"]["carried_chunks"], len(data.chunks), phases.times
    )
    backend = open_written(gen)
    return backend, _corpus(backend, plan)


def _plan(old: EmbeddedBackend, src: dict[str, Any], settings: BuildSettings, scanned: CorpusFiles) -> _Plan | None:
    """What changed, or None when the change needs a full build."""
    if "files" not in src or "trials" not in src:
        return None
    if old.manifest.get("paths") != [str(p) for p in settings.paths]:
        return None
    if old.manifest.get("tokenizer", 1) != TOKENIZER_VERSION:
        return None  # carried tokens would not match new ones: rebuild
    old_files: dict[str, dict[str, Any]] = src["files"]
    digests = scanned.digests
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
        if dirty.intersection(meta[1:]):
            if len(meta) > 2:
                return None  # a merged duplicate: the full build re-applies the rule
            continue
        kept_trials.append(i)
        metas.append(meta)
    clean = {old_files[n]["source"] for n in digests if n in old_files and n not in changed}
    errors = [LoadError(e.source, e.reason) for e in scanned.errors]
    errors += [LoadError(e["source"], e["reason"]) for e in src.get("read_errors", []) if e["source"] in clean]
    return _Plan(changed, removed, shown, cwd, kept_trials, metas, errors)


def _unchanged(
    old: EmbeddedBackend, src: dict[str, Any], scanned: CorpusFiles, plan: _Plan, settings: BuildSettings
) -> bool:
    """Whether the index already is what a build would write: the same files (content,
    size and time), shown by the same names, with the same errors and settings."""
    if plan.changed or plan.removed or old.manifest.get("fusion") != asdict(settings.fusion):
        return False
    files = src["files"]
    if any(files[n].get("stat") != scanned.stats.get(n) or files[n]["source"] != s for n, s in plan.shown.items()):
        return False
    before = {(e["source"], e["reason"]) for e in src.get("read_errors", [])}
    return before == {(e.source, e.reason) for e in plan.errors}


def _read_changed(plan: _Plan, settings: BuildSettings) -> list[Trial] | None:
    """The trials of the changed files (their read errors added to the plan's), or None when
    one duplicates an indexed trial."""
    kept_ids = {m[0] for m in plan.metas}
    new_trials: list[Trial] = []
    for i, name in enumerate(plan.changed):
        try:
            got = read(Path(name), plan.shown[name])
        except CorpusError as exc:
            log.warning("skipped %s: %s", exc.source, exc.reason)
            plan.errors.append(LoadError(exc.source, exc.reason))
            continue
        for t in got:
            if t.nct_id in kept_ids:
                return None  # a duplicate of an indexed trial
            kept_ids.add(t.nct_id)
            new_trials.append(t)
        if settings.progress:
            settings.progress("read", i + 1, len(plan.changed))
    return new_trials


@dataclass
class _Rows:
    """The previous generation's chunk rows an update keeps: their old numbers (in order),
    each old row's new number (-1: dropped) and each kept row's new trial number."""

    kept: np.ndarray
    new_number: np.ndarray
    trial: np.ndarray

    @classmethod
    def of(cls, old: EmbeddedBackend, n_old_trials: int, kept_trials: list[int]) -> _Rows:
        old_trial = np.asarray(old.chunk_trial)
        trial_map = np.full(n_old_trials, -1, dtype=np.int64)
        trial_map[np.asarray(kept_trials, dtype=np.int64)] = np.arange(len(kept_trials))
        keep = trial_map[old_trial] >= 0 if old.n_chunks else np.zeros(0, dtype=bool)
        kept = np.flatnonzero(keep)
        new_number = np.full(old.n_chunks, -1, dtype=np.int64)
        new_number[kept] = np.arange(len(kept))
        return cls(kept, new_number, trial_map[old_trial[kept]])


def _update_data(
    old: EmbeddedBackend,
    n_old_trials: int,
    settings: BuildSettings,
    scanned: CorpusFiles,
    plan: _Plan,
    new_trials: list[Trial],
    cache: VectorCache,
    phases: Phases,
    engine: Engine,
) -> IndexData:
    """Every stage of an incremental build over the new trials, merged with what is kept."""
    progress = settings.progress
    rows = _Rows.of(old, n_old_trials, plan.kept_trials)
    n_kept = len(rows.kept)
    new_chunks, owner = stages.chunk_trials(new_trials, first=len(plan.kept_trials))
    phases.lap("chunk")
    vocab, tf, lengths = _merged_counts(old, rows, stages.tokenize_chunks(new_chunks, progress))
    scorer = BM25.from_tf(vocab, tf, lengths, settings.bm25)
    phases.lap("bm25")
    records = stages.trial_records(new_trials, progress)
    phases.lap("facts")
    want = stages.to_embed(new_chunks)
    new_vecs, embedded, _ = engine.embed(
        want.keys, want.texts, cache, settings.model, progress, onnx_dir=old.query_encoder_dir, dim=old.dim
    )
    phases.lap("embed")
    vec = _merged_vectors(old, rows, new_vecs.reshape(-1, old.dim), want)
    phases.lap("vectors")
    n_trials, n_chunks = len(plan.kept_trials) + len(new_trials), n_kept + len(new_chunks)
    n_vectors = int((vec.rows >= 0).sum())
    counts = stages.counts_record(
        len(scanned.digests), n_trials, n_chunks, len(vocab), len(plan.errors), embedded, n_vectors
    )
    counts.update(carried_chunks=n_kept, read_files=len(plan.changed), segments_linked=bool(vec.link))
    metas = plan.metas + stages.trial_sources(new_trials)
    return IndexData(
        trials=new_trials,
        chunks=new_chunks,
        chunk_trial=np.concatenate([rows.trial, owner]).astype(np.int32),
        bm25=scorer,
        tf=tf,
        lengths=lengths,
        vectors=vec.vectors,
        vector_rows=vec.rows,
        vector_keys=vec.keys,
        manifest=stages.manifest_record(settings, old.dim, scanned, counts, plan.errors, phases),
        facts=records.facts,
        names=records.names,
        conditions=records.conditions,
        sources=stages.sources_record(scanned, plan.shown, metas, plan.errors, plan.cwd),
        carry=Carry(old.dir, np.asarray(plan.kept_trials, dtype=np.int64), rows.kept, link=vec.link),
        codes=(vec.codes, vec.scale),
    )


def _merged_counts(
    old: EmbeddedBackend, rows: _Rows, tokens: list[list[str]]
) -> tuple[dict[str, int], sparse.csr_matrix, np.ndarray]:
    """Vocabulary, term counts and lengths: the kept chunks' renumbered, the new chunks'
    appended (their new terms extending the vocabulary), terms no chunk has any more dropped."""
    vocab = dict(old.bm25.vocab)
    get = vocab.setdefault
    lengths_new = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    ids = np.fromiter((get(w, len(vocab)) for t in tokens for w in t), dtype=np.int64, count=int(lengths_new.sum()))
    old_tf, old_len = load_tf(old.dir, len(old.bm25.vocab), old.n_chunks)
    tf = merge_counts(old_tf, rows.new_number, counts_matrix(ids, lengths_new, len(vocab)), len(rows.kept))
    lengths = np.concatenate([old_len[rows.kept], lengths_new.astype(np.float64)])
    vocab, tf = prune_terms(vocab, tf)
    return vocab, tf, lengths


@dataclass
class _Vectors:
    vectors: np.ndarray  # the new dense segment (float16)
    codes: np.ndarray
    scale: np.ndarray
    rows: np.ndarray  # every slot's chunk row (-1: dropped)
    keys: np.ndarray
    link: bool  # the old segments are linked (else compacted into the new one)


def _merged_vectors(old: EmbeddedBackend, rows: _Rows, new_vecs: np.ndarray, want: ToEmbed) -> _Vectors:
    """The old segments linked (dropped slots marked -1) and a segment of the new vectors,
    or, compacting, one segment of the kept and the new vectors."""
    n_kept = len(rows.kept)
    scale = np.load(old.dir / "dense" / "scale.npy")
    new_codes, _ = quantize(new_vecs, scale)
    old_rows = old.vector_rows
    mapped = np.where(old_rows >= 0, rows.new_number[np.maximum(old_rows, 0)], -1) if len(old_rows) else old_rows
    new_rows = want.rows + n_kept
    link = should_link(old.manifest["segments"], n_kept, int((mapped >= 0).sum()))
    if link:
        return _Vectors(
            new_vecs.astype(np.float16),
            new_codes,
            scale,
            np.concatenate([mapped, new_rows]),
            np.concatenate([old.vector_keys(), want.key_array]),
            True,
        )
    kept = np.flatnonzero(mapped >= 0)
    return _Vectors(
        np.concatenate([old.vectors[kept], new_vecs.astype(np.float16)]),
        np.concatenate([old.codes[kept], new_codes]),
        scale,
        np.concatenate([mapped[kept], new_rows]),
        np.concatenate([old.vector_keys()[kept], want.key_array]),
        False,
    )


def should_link(segs: dict[str, list[dict[str, Any]]], kept_rows: int, kept_vectors: int) -> bool:
    """Link the old segments unless there are many, or much of them is dropped rows."""
    chunk_rows = sum(s["rows"] for s in segs["chunks"])
    slots = sum(s["rows"] for s in segs["dense"])
    if kept_rows == 0 or max(len(segs[k]) for k in ("trials", "chunks", "dense")) >= MAX_SEGMENTS:
        return False
    return kept_rows >= (1 - MAX_GARBAGE) * chunk_rows and kept_vectors >= (1 - MAX_GARBAGE) * slots


def _corpus(backend: EmbeddedBackend, plan: _Plan) -> Corpus:
    files = tuple(plan.shown.values())
    # the trials stay unparsed until read (`Corpus.trials` is typed as a tuple)
    return Corpus(trials=_Trials(backend), errors=tuple(plan.errors), files=files)  # type: ignore[arg-type]


class _Trials(Sequence[Trial]):
    """The trials of an updated index, parsed only if someone reads them."""

    def __init__(self, backend: EmbeddedBackend) -> None:
        self.backend = backend

    def __len__(self) -> int:
        return self.backend.n_trials

    @overload
    def __getitem__(self, i: int) -> Trial: ...

    @overload
    def __getitem__(self, i: slice) -> list[Trial]: ...

    def __getitem__(self, i: int | slice) -> Trial | list[Trial]:
        trials = self.backend.trials()
        if isinstance(i, slice):
            return [trials[n] for n in trials.ids[i]]
        return trials[trials.ids[i]]

    def __iter__(self) -> Iterator[Trial]:
        return iter(self.backend.trials().values())
