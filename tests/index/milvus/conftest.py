"""A Milvus Lite index of the seed trials, built once per session in a temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPUS


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
def seeds_tune() -> Path:
    return Path(__file__).resolve().parents[3] / "eval" / "seeds_tune.jsonl"
