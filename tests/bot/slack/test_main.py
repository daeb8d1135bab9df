"""The bot started by its documented command, as a user would: `python -m bot.cli slack --http ...`."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bot.slack.fakes import SlackStandIn, get, mention, send_event, texts

REPO = Path(__file__).resolve().parents[3]
TOKEN = "xoxb-9999-8888-e2eTokenMustNotLeak"
SECRET = "e2e5ecret0f7hisbot0d8c6a1b2c3d4e"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k not in ("PORT", "TRIALQA_FEEDBACK_DB")
    }
    return env | {"TRIALQA_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"), "TRIALQA_LOG_LEVEL": "DEBUG"} | extra


def test_documented_command_serves_and_answers(seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(
        tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=standin.url + "/api"
    )  # no trailing slash: the bot adds it
    stderr = tmp_path / "stderr.log"
    cmd = [sys.executable, "-m", "bot.cli", "slack", "--http", "--port", str(port), "--index", str(seed_index_dir)]
    with stderr.open("wb") as err:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"the bot exited ({proc.returncode}): {stderr.read_text()}"
            try:
                if get(f"http://127.0.0.1:{port}/healthz", timeout=2) == (200, '{"ok": true, "trials": 5}'):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"no /healthz after 120 s: {stderr.read_text()}"
            time.sleep(0.5)
        ts = "1700000300.000100"
        body_status = send_event(
            f"http://127.0.0.1:{port}",
            mention("<@UBOT> which trials use the hepatic artery?", ts),
            "EvCli1",
            secret=SECRET,
        )
        assert body_status[0] == 200
        (post,) = standin.wait_posts(1, timeout=60)
        assert (post.params["channel"], post.params["thread_ts"]) == ("C0001", ts)
        assert post.headers["Authorization"] == f"Bearer {TOKEN}"
        assert "`NCT01724697`" in texts(post.params)[1]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    log = stderr.read_text()
    assert code == 0
    assert "trialqa slack: HTTP mode, 5 trials, listening on" in log
    assert "trialqa slack: stopped" in log
    assert TOKEN not in log and TOKEN.removeprefix("xoxb-") not in log
    assert SECRET not in log


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_BOT_TOKEN": TOKEN}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": SECRET}, "SLACK_BOT_TOKEN"),
    ],
)
def test_missing_secret_exits_2_naming_it(tmp_path: Path, env: dict[str, str], named: str) -> None:
    cmd = [sys.executable, "-m", "bot.cli", "slack", "--http", "--port", str(free_port())]
    r = subprocess.run(cmd, cwd=REPO, env=clean_env(tmp_path, **env), capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.startswith(f"trialqa: {named} is not set")
    assert TOKEN not in r.stderr + r.stdout and SECRET not in r.stderr + r.stdout


@pytest.mark.parametrize("damage", ["garbage", "directory", "parent-is-a-file", "read-only"])
def test_an_unusable_database_stops_it_at_once(tmp_path: Path, damage: str) -> None:
    """Not a silent fallback to memory: one line naming the file and the variable, exit 2, no
    traceback, before the index is loaded."""
    from tests.helpers.files import read_only

    db = tmp_path / "feedback.sqlite3"
    reasons = {
        "garbage": "file is not a database",
        "directory": "unable to open database file",
        "parent-is-a-file": f"{tmp_path / 'file'} is not a directory",
        "read-only": "attempt to write a readonly database",
    }
    if damage == "garbage":
        db.write_bytes(b"SQLite format 2\0" + b"\xff" * 4096)
    elif damage == "directory":
        db.mkdir()
    elif damage == "parent-is-a-file":
        (tmp_path / "file").write_text("x")
        db = tmp_path / "file" / "feedback.sqlite3"
    else:
        db.write_bytes(b"")  # an empty file is a new, empty database
    env = clean_env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, TRIALQA_FEEDBACK_DB=str(db))
    cmd = [sys.executable, "-m", "bot.cli", "slack", "--http", "--port", str(free_port())]
    with read_only(db) if damage == "read-only" else contextlib.nullcontext():
        r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        f"trialqa: cannot use {db} as the bot's database ({reasons[damage]}); "
        "fix it, or set TRIALQA_FEEDBACK_DB to another file\n"
    )
