"""Slack bots for the tests: the environment of one served in-process, and `trialqa slack`
processes over signed HTTP with the helpers that send them deliveries at once and collect
what they post."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.bot.slack.fakes import BOT_TOKEN, SECRET, SlackStandIn
from tests.reliability.botproc import BotProcess

HEPATIC = "which trials use the hepatic artery?"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def bot_env(standin: SlackStandIn, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
        "TRIALQA_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        **extra,
    }


def start_bot(tmp_path: Path, name: str, env: dict[str, str], index: Path) -> BotProcess:
    logs = tmp_path / name
    logs.mkdir()
    args = ["slack", "--http", "--host", "127.0.0.1", "--port", "0", "--index", str(index)]
    return BotProcess(logs, env, args).wait_ready()


def settle(standin: SlackStandIn, n: int) -> list:
    """The posts once `n` have arrived and nothing more came for a moment (a duplicate would have)."""
    standin.wait_posts(n)
    time.sleep(1.0)
    return standin.posts()


def race(send, n: int = 2) -> list[tuple[int, str]]:
    """`send(i)` from `n` threads released together; their (status, body)s."""
    start, out = threading.Barrier(n), [None] * n

    def work(i: int) -> None:
        start.wait()
        out[i] = send(i)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    assert all(r is not None and r[0] == 200 for r in out), out
    return out
