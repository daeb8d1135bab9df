"""The stages a build is made of, shared by the full and the incremental build: chunking,
tokenizing, extracting each trial's facts and names, choosing what to embed, and the
records a generation carries (manifest, sources), and writing with progress."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.build.files import CorpusFiles, fingerprint
from index.corpus.loader import LoadError
from index.facts.names import condition_names, name_tokens, trial_facts
from index.model import Trial
from index.retrieval.bm25 import BM25Params
from index.retrieval.fusion import FusionParams
from index.store.writer import IndexData, write_index
from index.text.chunk import Chunk, chunk_trial
from index.text.tokenize import TOKENIZER_VERSION, tokenize

# progress(stage, done, total)
Progress = Callable[[str, int, int], None]

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
FACTS_EVERY = 250  # facts progress is reported after this many trials
TOKENIZE_EVERY = 5000  # tokenize progress is reported after this many chunks


class Phases:
    """Seconds spent in each phase of a build (recorded in the manifest as "timings")."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = round(self.times.get(name, 0.0) + now - self._t, 3)
        self._t = now


@dataclass
class BuildSettings:
    """What a build is asked for: the corpus paths, the model and the scoring settings."""

    paths: Sequence[str | Path]
    model: str
    bm25: BM25Params = field(default_factory=BM25Params)
    fusion: FusionParams = field(default_factory=FusionParams)
    progress: Progress | None = None


def chunk_trials(trials: Sequence[Trial], first: int = 0) -> tuple[list[Chunk], np.ndarray]:
    """Every trial's chunks, and each chunk's trial number (``first`` for the first trial)."""
    chunks: list[Chunk] = []
    owner: list[int] = []
    for i, t in enumerate(trials):
        cs = chunk_trial(t)
        chunks.extend(cs)
        owner.extend([first + i] * len(cs))
    return chunks, np.asarray(owner, dtype=np.int64)


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
        if progress and (i % TOKENIZE_EVERY == 0 or i + 1 == len(chunks)):
            progress("tokenize", i + 1, len(chunks))
    return out


@dataclass
class TrialRecords:
    """What the index stores beside each trial: its facts (`index.facts.names.trial_facts`),
    its name tokens and its condition names."""

    facts: list[dict[str, Any]]
    names: list[list[str]]
    conditions: list[list[str]]


def trial_records(trials: Sequence[Trial], progress: Progress | None = None) -> TrialRecords:
    """Each trial's facts and names, extracted once, here, for every build."""
    out = TrialRecords([], [], [])
    for i, t in enumerate(trials):
        out.facts.append(trial_facts(t))
        out.names.append(name_tokens(t))
        out.conditions.append(condition_names(t))
        if progress and ((i + 1) % FACTS_EVERY == 0 or i + 1 == len(trials)):
            progress("facts", i + 1, len(trials))
    return out


@dataclass
class ToEmbed:
    """The chunks that get a vector: their rows, content keys and texts by key."""

    rows: np.ndarray
    keys: list[str]
    texts: dict[str, str]

    @property
    def key_array(self) -> np.ndarray:
        return np.asarray([k.encode("ascii") for k in self.keys], dtype="S40")


def to_embed(chunks: Sequence[Chunk]) -> ToEmbed:
    """Every chunk but the metadata sections (`UNEMBEDDED`)."""
    rows = np.array([i for i, c in enumerate(chunks) if c.section not in UNEMBEDDED], dtype=np.int64)
    keys = [chunks[i].key for i in rows]
    return ToEmbed(rows, keys, {k: chunks[i].embed_text for k, i in zip(keys, rows, strict=True)})


def error_records(errors: Sequence[LoadError]) -> list[dict[str, str]]:
    return [{"source": e.source, "reason": e.reason} for e in errors]


def trial_sources(trials: Sequence[Trial]) -> list[list[str]]:
    """[NCT ID, source, *also sources] of each trial, as the sources record keeps them."""
    return [[t.nct_id, t.source, *t.also_sources] for t in trials]


def sources_record(
    files: CorpusFiles, shown: dict[str, str], trials: list[list[str]], errors: Sequence[LoadError], cwd: str
) -> dict[str, Any]:
    """What an incremental build needs to know about the corpus it follows: each file's
    hash, display name and size/time, the trials and their sources, the read errors and
    the working directory display names are relative to."""
    return {
        "files": {n: {"sha256": d, "source": shown[n], "stat": files.stats.get(n)} for n, d in files.digests.items()},
        "trials": trials,
        "read_errors": error_records(errors),
        "cwd": cwd,
    }


def counts_record(
    files: int, trials: int, chunks: int, terms: int, errors: int, embedded: int, vectors: int
) -> dict[str, Any]:
    """The manifest's counts (``vectors``: chunks with a vector)."""
    return {
        "files": files,
        "trials": trials,
        "chunks": chunks,
        "terms": terms,
        "errors": errors,
        "embedded": embedded,
        "reused": vectors - embedded,
        "not_embedded": chunks - vectors,
    }


def manifest_record(
    settings: BuildSettings,
    dim: int,
    files: CorpusFiles,
    counts: dict[str, Any],
    errors: Sequence[LoadError],
    phases: Phases,
) -> dict[str, Any]:
    """The build's part of the manifest (the writer adds segments and checksums)."""
    return {
        "model": settings.model,
        "tokenizer": TOKENIZER_VERSION,
        "dim": int(dim),
        "bm25": asdict(settings.bm25),
        "fusion": asdict(settings.fusion),
        "corpus_fingerprint": fingerprint(files.digests),
        "paths": [str(p) for p in settings.paths],
        "counts": counts,
        "errors": error_records(errors),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "timings": phases.times,  # seconds, before writing
    }


def write_generation(index_dir: Path, data: IndexData, query_encoder: Path | None, progress: Progress | None) -> Path:
    """Write the generation, reporting the "write" stage."""
    if progress:
        progress("write", 0, 1)
    gen = write_index(index_dir, data, query_encoder=query_encoder)
    if progress:
        progress("write", 1, 1)
    return gen
