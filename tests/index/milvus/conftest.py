"""Milvus indexes of the seed trials, built once per session: Milvus Lite in this process (a
temporary directory) and `milvus-lite server` as a process of its own, reached by URI; and the
embedded index's answers to every question set, to compare them with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, REPO
from tests.helpers.milvus import answers, conversation_answers, milvus_index, milvus_lite_command, milvus_lite_server
from tests.helpers.milvus import questions as read_questions

EVAL = REPO / "eval"
SEED_SETS = ("seeds_tune.jsonl", "seeds_test.jsonl")
CONVERSATION_SETS = ("conversations_tune.jsonl", "conversations_test.jsonl")


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("pymilvus")
    pytest.importorskip("milvus_lite")
    uri = str(tmp_path_factory.mktemp("milvus") / "trialqa.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRIALQA_MILVUS_URI", uri)
        yield uri


@pytest.fixture(scope="session")
def milvus_seed_index(milvus_uri: str):
    from index.trial_index import TrialIndex

    return TrialIndex.build([CORPUS], "seeds", backend="milvus")


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`milvus-lite server` on a free port of 127.0.0.1 over a temporary data directory: its URI."""
    pytest.importorskip("pymilvus")
    pytest.importorskip("milvus_lite")
    if milvus_lite_command() is None:
        pytest.skip("no milvus-lite command (pip install milvus-lite)")
    d = tmp_path_factory.mktemp("milvus-server")
    with milvus_lite_server(d / "data", d / "server.log") as uri:
        yield uri


@pytest.fixture(scope="session")
def milvus_server_index(milvus_server: str):
    """The seed index built into the server by URI (as `trialqa index --backend milvus` with
    TRIALQA_MILVUS_URI=http://... does)."""
    return milvus_index([CORPUS], milvus_server, "seeds")


@pytest.fixture(scope="session")
def seeds_tune() -> Path:
    return EVAL / "seeds_tune.jsonl"


@pytest.fixture(scope="session")
def parity_questions(dev_questions: Path) -> list[str]:
    """The dev questions and the project's own seed question sets (tuning and test halves)."""
    qs = read_questions(dev_questions, *(EVAL / s for s in SEED_SETS))
    assert len(qs) == 16 + 123 + 120
    return qs


@pytest.fixture(scope="session")
def seed_conversations() -> list[dict[str, Any]]:
    from index.evaluation.conversations import load_conversations

    found = [c for s in CONVERSATION_SETS for c in load_conversations(EVAL / s)]
    return [c for c in found if c.get("corpus", "seeds") == "seeds"]


@pytest.fixture(scope="session")
def embedded_answers(seed_index, parity_questions: list[str]) -> dict[str, dict[str, Any]]:
    """The embedded seed index's `ask --json` object for each parity question."""
    return answers(seed_index, parity_questions)


@pytest.fixture(scope="session")
def embedded_conversations(seed_index, seed_conversations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return conversation_answers(seed_index, seed_conversations)
