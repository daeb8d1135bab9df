"""`trialqa slack` as a real process on 127.0.0.1 (its logs captured, its memory measurable),
against the local Slack stand-in."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

READY = re.compile(r"trialqa slack: (?:HTTP mode, \d+ trials, listening on http://127\.0\.0\.1:(\d+)|Socket Mode)")


class BotProcess:
    """Started by its documented command; `stop()` sends SIGTERM and returns (exit code, stdout, stderr)."""

    def __init__(self, tmp_path: Path, env: dict[str, str], args: list[str]) -> None:
        self.out_path = tmp_path / "bot-stdout.log"
        self.err_path = tmp_path / "bot-stderr.log"
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", *args], cwd=REPO, env=env, stdout=out, stderr=err
            )
        self.port: int | None = None

    def wait_ready(self, timeout: float = 180) -> BotProcess:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"the bot exited ({self.proc.returncode}): {self.stderr()}")
            m = READY.search(self.stderr())
            if m:
                self.port = int(m.group(1)) if m.group(1) else None
                return self
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot was not ready after {timeout} s: {self.stderr()}")
            time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8", errors="replace")

    def rss_mb(self) -> float:
        """Resident memory of the bot process (Linux /proc), in MiB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024

    def stop(self, timeout: float = 30) -> tuple[int, str, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        return (
            self.proc.returncode,
            self.out_path.read_text(encoding="utf-8", errors="replace"),
            self.stderr(),
        )


def bot_env(tmp_path: Path, api_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k not in ("PORT", "TRIALQA_INDEX")}
    return env | {"TRIALQA_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"), "SLACK_API_URL": api_url} | extra
