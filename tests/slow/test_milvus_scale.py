"""Parity at scale: the seeds plus the 1,536 study-fields records (~108k chunks) in Milvus Lite
and in the embedded backend give the same answers (trials, citations, scores) to the
hepatic-artery question, both halves of the scale question set and the scale conversations.

Slow: embedding the corpus takes ~60 min on 2 cores the first time, writing it into Milvus
Lite ~10 min. Run with

    TRIALQA_PARITY_DATA_DIR=/path/to/data bash scripts/test.sh -m slow tests/slow/test_milvus_scale.py

``TRIALQA_PARITY_DATA_DIR``: a data directory whose ``cache/embeddings`` already holds the
corpus's vectors (else the session's empty cache: everything is embedded).
``TRIALQA_PARITY_INDEX``: an embedded index of this corpus to compare with, used as it is
(the Milvus index is built from the paths its manifest names, so citations name the same
sources); else one is built. ``TRIALQA_PARITY_MILVUS_URI``: a Milvus (a Lite path or a server URI)
that already holds this corpus as the index ``scale``, used as it is; else one is built in a
temporary Milvus Lite directory."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from index.config import Settings
from index.evaluation.conversations import SCALE_K, load_conversations
from index.trial_index import TrialIndex
from tests.conftest import CORPUS, REPO
from tests.helpers.milvus import answers, differences, load_milvus_index, milvus_index, questions

pytestmark = pytest.mark.slow

EVAL = REPO / "eval"
HEPATIC = "which trials use the hepatic artery?"


@pytest.fixture(scope="module")
def cache() -> Path:
    given = os.environ.get("TRIALQA_PARITY_DATA_DIR")
    return Path(given) / "cache" / "embeddings" if given else Settings.from_env().data_dir / "cache" / "embeddings"


@pytest.fixture(scope="module")
def embedded(shared_data: Path, cache: Path, tmp_path_factory: pytest.TempPathFactory) -> TrialIndex:
    given = os.environ.get("TRIALQA_PARITY_INDEX")
    if given:
        return TrialIndex.load(given, backend="embedded")
    from index.build.pipeline import build_index

    paths = [CORPUS, shared_data / "ctgov-msc-studyfields"]
    backend, _ = build_index(paths, tmp_path_factory.mktemp("scale") / "ix", "all-MiniLM-L6-v2", cache_dir=cache)
    return TrialIndex(backend)


@pytest.fixture(scope="module")
def milvus(embedded: TrialIndex, cache: Path, tmp_path_factory: pytest.TempPathFactory) -> TrialIndex:
    pytest.importorskip("milvus_lite")
    given = os.environ.get("TRIALQA_PARITY_MILVUS_URI")
    if given:
        backend = load_milvus_index(given, "scale").backend
    else:
        uri = str(tmp_path_factory.mktemp("milvus-scale") / "milvus.db")
        t0 = time.perf_counter()
        backend = milvus_index([Path(p) for p in embedded.manifest["paths"]], uri, "scale", cache=cache).backend
        print(f"\nMilvus Lite build of {backend.n_chunks} chunks: {time.perf_counter() - t0:.0f} s")
    # queries embedded by the embedded index's own ONNX export: the backends are what differ
    return TrialIndex(backend, encoder_dir=embedded.backend.query_encoder_dir)


def test_the_same_index(embedded: TrialIndex, milvus: TrialIndex) -> None:
    e, m = embedded.backend, milvus.backend
    assert (m.n_chunks, m.n_trials) == (e.n_chunks, e.n_trials)
    assert m.n_chunks > 100_000 and m.n_trials > 1_500


def test_hepatic_artery(embedded: TrialIndex, milvus: TrialIndex) -> None:
    e, m = embedded.ask(HEPATIC, k=SCALE_K).to_dict(), milvus.ask(HEPATIC, k=SCALE_K).to_dict()
    assert e == m
    assert "NCT01724697" in [t["nct_id"] for t in m["trials"]]


def test_scale_questions(embedded: TrialIndex, milvus: TrialIndex) -> None:
    qs = questions(EVAL / "scale_tune.jsonl", EVAL / "scale_test.jsonl")
    assert len(qs) == 29 + 19
    t0 = time.perf_counter()
    e = answers(embedded, qs, k=SCALE_K)
    t1 = time.perf_counter()
    m = answers(milvus, qs, k=SCALE_K)
    t2 = time.perf_counter()
    print(f"\n{len(qs)} scale questions: embedded {t1 - t0:.1f} s, Milvus Lite {t2 - t1:.1f} s")
    assert differences(e, m) == []


def test_scale_conversations(embedded: TrialIndex, milvus: TrialIndex) -> None:
    found: list[dict[str, Any]] = []
    for name in ("conversations_tune.jsonl", "conversations_test.jsonl"):
        found += [c for c in load_conversations(EVAL / name) if c.get("corpus") == "scale"]
    assert found
    e, m = _conversations(embedded, found), _conversations(milvus, found)
    assert json.dumps(e, sort_keys=True) == json.dumps(m, sort_keys=True)


def _conversations(index: TrialIndex, conversations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each conversation's turns asked in order on a fresh conversation, at the scale k."""
    out = {}
    for c in conversations:
        conv = index.conversation()
        out[str(c["id"])] = [conv.ask(t["q"], k=SCALE_K).to_dict() for t in c["turns"]]
    return out
