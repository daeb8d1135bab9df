"""`trialqa serve` started as users start it: a real process on 127.0.0.1, alone or with Slack's
Request URLs in the same process; stopped by SIGTERM; bad settings are exit code 2."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bot.slack.fakes import BOT_TOKEN, SECRET, SlackStandIn, mention, send_event, texts
from tests.conftest import REPO
from tests.helpers.api_client import TOKEN, call

READY = re.compile(r"trialqa serve: (\d+) trials, listening on http://127\.0\.0\.1:(\d+)")


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRIALQA_API_")) and k != "PORT"}
    return env | {"TRIALQA_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3")} | extra


class Served:
    def __init__(self, args: list[str], env: dict[str, str], tmp_path: Path) -> None:
        self.err = tmp_path / "serve-stderr.log"
        with self.err.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "serve", *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=err
            )
        deadline = time.monotonic() + 180
        while not (m := READY.search(self.stderr())):
            assert self.proc.poll() is None, f"exited {self.proc.returncode}: {self.stderr()}"
            assert time.monotonic() < deadline, self.stderr()
            time.sleep(0.2)
        self.url = f"http://127.0.0.1:{m.group(2)}"

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def stop(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        return code, self.proc.stdout.read().decode(), self.stderr()


def test_serve_answers_and_stops_on_sigterm(seed_index_dir: Path, tmp_path: Path) -> None:
    env = clean_env(tmp_path, TRIALQA_API_TOKEN=TOKEN, TRIALQA_LOG_LEVEL="INFO")
    s = Served(["--index", str(seed_index_dir), "--host", "127.0.0.1", "--port", "0"], env, tmp_path)
    try:
        assert call("GET", f"{s.url}/healthz").json["trials"] == 5
        reply = call(
            "POST", f"{s.url}/ask", {"question": "which trials exclude HIV?"}, {"Authorization": f"Bearer {TOKEN}"}
        )
        assert [t["nct_id"] for t in reply.json["trials"]] == ["NCT03209986", "NCT00713934"]
        assert call("POST", f"{s.url}/ask", {"question": "x"}).status == 401
    finally:
        code, out, err = s.stop()
    assert code == 0 and out == ""
    assert "trialqa serve: loading the index…" in err and err.rstrip().endswith("trialqa serve: stopped")
    assert "bearer token required" in err
    assert TOKEN not in err  # never logged, not even at INFO
    assert "'which trials exclude HIV?'" in err  # the question, as repr, in the log


def test_serve_with_slack_answers_both_in_one_process(seed_index_dir: Path, tmp_path: Path) -> None:
    standin = SlackStandIn()
    env = clean_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=standin.api_url,
        TRIALQA_API_TOKEN=TOKEN,
    )
    s = Served(["--index", str(seed_index_dir), "--port", "0", "--slack"], env, tmp_path)
    try:
        assert "Slack Request URLs /slack/events, /slack/commands, /slack/actions" in s.stderr()
        ts = "1700009000.000100"
        assert send_event(s.url, mention("<@UBOT> which trials use the hepatic artery?", ts), "EvServe1")[0] == 200
        (post,) = standin.wait_posts(1, timeout=60)  # Slack's request needed no API token, only its signature
        assert post.params["thread_ts"] == ts and "`NCT01724697`" in texts(post.params)[1]
        hdr = {"Authorization": f"Bearer {TOKEN}"}
        assert call("GET", f"{s.url}/trials/NCT01724697", headers=hdr).status == 200
        assert call("POST", f"{s.url}/slack/events", "{}").status == 401  # unsigned: Bolt refuses it
        paths = call("GET", f"{s.url}/openapi.json", headers=hdr).json["paths"]
        assert not any(p.startswith("/slack") for p in paths)
    finally:
        code, _, err = s.stop()
        standin.close()
    assert code == 0
    assert BOT_TOKEN not in err and SECRET not in err and TOKEN not in err


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--port", "70000"], {}, "trialqa: --port must be a port number (0-65535), not 70000"),
        ([], {"TRIALQA_API_PORT": "http"}, "trialqa: TRIALQA_API_PORT must be a port number (0-65535), not 'http'"),
        ([], {"TRIALQA_API_TOKEN": "short"}, "trialqa: TRIALQA_API_TOKEN must be at least 16 characters"),
        (["--cors-origin", "evil"], {}, "trialqa: CORS origins (--cors-origin / TRIALQA_API_CORS_ORIGINS)"),
        (["--slack"], {}, "trialqa: SLACK_BOT_TOKEN is not set"),
    ],
)
def test_bad_settings_exit_2_naming_them(args: list[str], env: dict[str, str], message: str, tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--index", str(tmp_path / "none"), *args],
        cwd=REPO,
        env=clean_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and r.stderr.startswith(message), r.stderr
    assert "short" not in r.stderr


def test_a_missing_index_exits_3(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--index", str(tmp_path / "none"), "--port", "0"],
        cwd=REPO,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 3 and f"no index at {tmp_path / 'none'}" in r.stderr


def test_a_port_in_use_exits_2(seed_index_dir: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        r = subprocess.run(
            [sys.executable, "-m", "bot.cli", "serve", "--index", str(seed_index_dir), "--port", str(port)],
            cwd=REPO,
            env=clean_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert r.returncode == 2
    assert r.stderr.startswith(f"trialqa: cannot listen on 127.0.0.1:{port} (--host/--port/TRIALQA_API_PORT)")
