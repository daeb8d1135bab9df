"""Milvus for tests: `milvus-lite server` as a real process on 127.0.0.1, a Milvus index of a
corpus built into any Milvus (by client), and the `ask --json` answers of a question set and of
conversations over any `TrialIndex`, to compare backends."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STARTUP_S = 120.0


def milvus_lite_command() -> str | None:
    """The `milvus-lite` command beside this interpreter (the venv's), else on PATH."""
    here = Path(sys.executable).parent / "milvus-lite"
    return str(here) if here.is_file() else shutil.which("milvus-lite")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def milvus_lite_server(data_dir: Path, log: Path) -> Iterator[str]:
    """`milvus-lite server --data-dir DATA_DIR --host 127.0.0.1 --port N` as a process of its
    own, yielded as its URI once it answers; stopped (SIGTERM, then SIGKILL) on exit."""
    cmd = milvus_lite_command()
    if cmd is None:
        raise FileNotFoundError("no milvus-lite command beside the interpreter or on PATH")
    port = free_port()
    uri = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [cmd, "server", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_answering(uri, port, proc, log)
        yield uri
    finally:
        _stop(proc)


def _wait_until_answering(uri: str, port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    from pymilvus import MilvusClient

    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"milvus-lite server exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            client = MilvusClient(uri=uri, timeout=10)
            client.list_collections()
            client.close()
            return
        except Exception:  # not listening or not serving yet
            time.sleep(0.2)
    raise TimeoutError(f"milvus-lite server at {uri} did not answer within {STARTUP_S:.0f} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


def milvus_index(
    paths: Sequence[Path], uri: str, name: str, model: str | None = None, update: bool = True, cache: Path | None = None
) -> Any:
    """A `TrialIndex` built from ``paths`` into the Milvus at ``uri`` as the index ``name``
    (updated in place when it exists and ``update``; vectors from the session's cache or
    ``cache``, the query encoder kept where the CLI keeps it)."""
    from index.build.milvus import build_milvus, encoder_dir_for
    from index.config import Settings
    from index.milvus.client import connect
    from index.trial_index import TrialIndex

    s = Settings.from_env()
    model = model or s.model
    encoder_dir = encoder_dir_for(s.data_dir / "cache", model)
    backend, corpus = build_milvus(
        list(paths),
        connect(uri),
        name,
        model,
        uri=uri,
        cache_dir=cache or s.data_dir / "cache" / "embeddings",
        encoder_dir=encoder_dir,
        update=update,
    )
    return TrialIndex(backend, corpus, encoder_dir=encoder_dir)


def load_milvus_index(uri: str, name: str) -> Any:
    """The Milvus index ``name`` at ``uri`` as a `TrialIndex`, as `trialqa ask` loads it."""
    from index.build.milvus import encoder_dir_for
    from index.config import Settings
    from index.milvus.backend import MilvusBackend
    from index.milvus.client import connect
    from index.trial_index import TrialIndex

    backend = MilvusBackend(connect(uri), name, uri)
    return TrialIndex(
        backend, encoder_dir=encoder_dir_for(Settings.from_env().data_dir / "cache", backend.manifest["model"])
    )


def questions(*files: Path) -> list[str]:
    """The questions (``q``) of JSON Lines question sets."""
    return [json.loads(line)["q"] for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def answers(index: Any, qs: Sequence[str], k: int = 10) -> dict[str, dict[str, Any]]:
    """Each question's `ask --json` object over ``index``."""
    return {q: index.ask(q, k=k).to_dict() for q in qs}


def conversation_answers(index: Any, conversations: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each conversation's turns asked in order on a fresh conversation: their `ask --json` objects."""
    out = {}
    for c in conversations:
        conv = index.conversation()
        out[str(c["id"])] = [conv.ask(t["q"]).to_dict() for t in c["turns"]]
    return out


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The keys whose values differ (or that only one side has)."""
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
