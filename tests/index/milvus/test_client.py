"""Connecting: index names, and the error for a Milvus Lite directory another process holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.errors import ConfigError, IndexMissing
from index.milvus.client import Collections, is_local, require

REPO = Path(__file__).resolve().parents[3]


def test_collection_names() -> None:
    cols = Collections.of("seeds_2")
    assert cols.all() == ("seeds_2_chunks", "seeds_2_terms", "seeds_2_trials", "seeds_2_records")
    for bad in ("data/index", "2seeds", "", "a-b"):
        with pytest.raises(ConfigError, match="letters, digits and underscores"):
            Collections.of(bad)


def test_local_or_server_uri() -> None:
    assert is_local("/tmp/x/milvus.db")
    assert not is_local("http://127.0.0.1:19530")


def test_missing_index_says_how_to_build_it(milvus_seed_index, milvus_uri: str) -> None:
    with pytest.raises(IndexMissing, match="--backend milvus --index nothing_here"):
        require(milvus_seed_index.backend.client, Collections.of("nothing_here"), milvus_uri)


def test_locked_directory_says_to_run_milvus_lite_server(milvus_seed_index, milvus_uri: str) -> None:
    """This process holds the directory (the session's index): another process is refused
    with a message that says how to share it."""
    code = (
        "from index.milvus.client import connect\n"
        "from index.errors import ConfigError\n"
        "try:\n"
        f"    connect({milvus_uri!r})\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120).stdout
    assert f"the Milvus Lite directory {milvus_uri} is open in another process" in out
    assert f"milvus-lite server --data-dir {milvus_uri} --host 127.0.0.1 --port 19530" in out
    assert "TRIALQA_MILVUS_URI=http://127.0.0.1:19530" in out


def test_a_released_index_is_loaded_when_opened(milvus_seed_index, milvus_uri: str) -> None:
    """What a new process sees (Milvus Lite does not keep the loaded state): the backend loads
    the collections and answers."""
    from index.milvus.backend import MilvusBackend

    client = milvus_seed_index.backend.client
    for c in Collections.of("seeds").all():
        client.release_collection(c)
    backend = MilvusBackend(client, "seeds", milvus_uri)
    assert [client.get_load_state(c)["state"].name for c in Collections.of("seeds").all()] == ["Loaded"] * 4
    assert backend.n_chunks == milvus_seed_index.backend.n_chunks
    assert backend.chunk(0) == milvus_seed_index.backend.chunk(0)
