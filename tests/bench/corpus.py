"""The real corpus the benchmarks draw on: the 6,786-record ClinicalTrials.gov XML set,
unpacked to a scratch directory, and its token statistics (cached in the data dir)."""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from tests.bench.common import CTGOV_TAR, log


def scratch() -> Path:
    """Where the benchmarks put corpora and indexes (deleted by the runner afterwards)."""
    d = Path(os.environ.get("TRIALQA_BENCH_TMP") or Path(tempfile.gettempdir()) / "trialqa-bench-run")
    d.mkdir(parents=True, exist_ok=True)
    return d


def unpack(dest: Path) -> Path:
    """The 6,786 XML records under dest/ctgov (unpacked once; the tar's stray COMMIT file dropped)."""
    out = dest / "ctgov"
    done = dest / ".ctgov-unpacked"
    if done.is_file():
        return out
    shutil.rmtree(out, ignore_errors=True)
    log(f"unpacking {CTGOV_TAR.name} to {out}")
    with tarfile.open(CTGOV_TAR) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".xml")]
        tar.extractall(out, members=members, filter="data")
    done.write_text("ok\n")
    return out


def token_stats(cache_dir: Path, corpus_dir: Path | None = None) -> dict[str, np.ndarray]:
    """Term frequencies, chunk lengths (tokens) and chunks per trial of the real corpus."""
    path = cache_dir / "bench" / "token-stats.npz"
    if path.is_file():
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    from index.build.stages import tokenize_chunks
    from index.corpus.loader import load_corpus
    from index.text.chunk import chunk_trial

    if corpus_dir is None:
        corpus_dir = unpack(scratch())
    log("token statistics of the real corpus (once; cached)")
    corpus = load_corpus([corpus_dir])
    chunks, per_trial = [], []
    for t in corpus.trials:
        cs = chunk_trial(t)
        chunks.extend(cs)
        per_trial.append(len(cs))
    stats = stats_of(tokenize_chunks(chunks), per_trial)
    save_stats(path, stats)
    return stats


def stats_of(tokens: list[list[str]], per_trial: list[int]) -> dict[str, np.ndarray]:
    from collections import Counter

    freq = Counter(t for doc in tokens for t in doc)
    terms = sorted(freq, key=lambda t: (-freq[t], t))
    return {
        "terms": np.array(terms),
        "counts": np.array([freq[t] for t in terms], dtype=np.int64),
        "lengths": np.array([len(d) for d in tokens], dtype=np.int32),
        "per_trial": np.array(per_trial, dtype=np.int32),
    }


def save_stats(path: Path, stats: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **stats)
    tmp.replace(path)


def zipf_exponent(counts: np.ndarray, top: int = 10000) -> float:
    """Slope of log frequency against log rank over the most frequent terms."""
    c = np.sort(counts)[::-1][:top].astype(np.float64)
    r = np.arange(1, len(c) + 1, dtype=np.float64)
    slope = np.polyfit(np.log(r[9:]), np.log(c[9:]), 1)[0] if len(c) > 20 else 0.0
    return round(float(-slope), 3)
