"""A real `redis-server` on 127.0.0.1 (a free port, its files in a temporary directory), for the
tests of the bot's Redis state. Skips when redis-server is not installed (scripts/setup.sh
installs Debian's package)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A running redis-server; yields its URL. Stopped (and its files left in ``workdir``) after."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not on PATH: install it (apt-get install redis-server, or scripts/setup.sh)")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [exe, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(workdir), "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(args, stdout=(workdir / "redis.log").open("wb"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {(workdir / 'redis.log').read_text()}") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)
