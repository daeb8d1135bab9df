"""`trialqa index` as a real process in its own process group (to be killed), and waiting for it
to start writing a new index generation."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO


def build(corpus: str, index_dir: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "index", corpus, "--index", str(index_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes any helper with it
    )


def wait_for_writing(index_dir: Path, existing: set[str], proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Return once the build has started writing a new generation (or has ended)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.startswith(".tmp-gen-") and p.name not in existing for p in index_dir.iterdir()):
            return
        time.sleep(0.002)
