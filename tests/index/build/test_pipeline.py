"""Full builds: resumable embedding, the stages reported in order, and a build that is the
same as the one before writing nothing."""

import os
import shutil
from pathlib import Path

import pytest

from index.build.pipeline import build_index
from tests.conftest import CORPUS
from tests.helpers.resume import BATCH, interrupted_then_resumed

MODEL = "all-MiniLM-L6-v2"


def test_an_interrupted_build_resumes_without_re_embedding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backend, distinct = interrupted_then_resumed(tmp_path, monkeypatch)
    assert backend.manifest["counts"]["embedded"] == distinct - BATCH  # the first batch came from the cache


def test_a_build_reports_each_stage_in_order(tmp_path: Path) -> None:
    seen: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not seen or seen[-1] != stage:
            seen.append(stage)
        assert 0 <= done <= total

    backend, _ = build_index([CORPUS], tmp_path / "ix", MODEL, progress=progress, cache_dir=tmp_path / "cache")
    assert seen == ["read", "tokenize", "facts", "embed", "write"]
    assert list(backend.manifest["timings"]) == ["hash_and_open", "read", "chunk", "tokenize", "bm25", "facts", "embed"]


def test_an_unchanged_corpus_writes_nothing_and_tidies_up(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    d, cache = tmp_path / "ix", tmp_path / "cache"
    first, _ = build_index([corpus], d, MODEL, cache_dir=cache)
    (d / ".tmp-gen-killed").mkdir()  # left by a killed build
    (d / "gen-000009").mkdir()  # renamed into place by a killed build, never switched to
    again, corpus_again = build_index([corpus], d, MODEL, cache_dir=cache)
    assert again.dir == first.dir and len(corpus_again.trials) == 5
    assert sorted(p.name for p in d.iterdir()) == ["CURRENT", "LOCK", first.dir.name]
    f = next(corpus.iterdir())
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))  # same content, new time: recorded
    touched, _ = build_index([corpus], d, MODEL, cache_dir=cache)
    assert touched.dir != first.dir and touched.manifest["counts"]["read_files"] == 0  # hashed, not re-read
