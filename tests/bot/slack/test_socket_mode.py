"""Socket Mode against a local WebSocket server speaking Slack's envelope protocol, with
/healthz reporting the connection."""

from __future__ import annotations

import queue
import threading
import time
from argparse import Namespace
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.slack.answerer import Answerer
from bot.slack.app import build_app
from bot.slack.main import serve_socket_mode
from bot.slack.settings import SlackSettings
from bot.slack.state import open_state
from tests.bot.slack.fakes import SlackStandIn, get, mention, texts
from tests.helpers.slack_bots import bot_env
from tests.helpers.socket_mode import SocketModeServer, envelope

HEPATIC = "which trials use the hepatic artery?"


@pytest.fixture
def run_socket_mode(answerer: Answerer, standin: SlackStandIn, tmp_path: Path) -> Iterator:
    running: list[tuple[threading.Event, threading.Thread]] = []

    def start() -> int:
        env = bot_env(standin, tmp_path, SLACK_APP_TOKEN="xapp-1-A0001-test")
        del env["SLACK_SIGNING_SECRET"]  # not needed in Socket Mode
        settings = SlackSettings.from_args(Namespace(http=False, port=0, host="127.0.0.1"), env=env)
        assert settings.mode == "socket"
        app = build_app(settings, answerer, open_state(settings))
        stop, ports = threading.Event(), queue.Queue()
        t = threading.Thread(
            target=serve_socket_mode, args=(app, settings, answerer.trial_count, stop, ports.put), daemon=True
        )
        t.start()
        running.append((stop, t))
        return ports.get(timeout=30)

    yield start
    for stop, t in running:
        stop.set()
        t.join(30)


def test_socket_mode_acks_the_envelope_and_answers_in_the_thread(run_socket_mode, standin: SlackStandIn) -> None:
    ts = "1700000200.000100"
    event = mention(f"<@UBOT> {HEPATIC}", ts)
    ws = SocketModeServer([envelope("env-1", event, "EvSock1"), envelope("env-2", event, "EvSock1", retry_attempt=1)])
    standin.ws_url = ws.url
    try:
        health_port = run_socket_mode()
        opened = standin.posts("apps.connections.open")
        assert [c.headers["Authorization"] for c in opened] == ["Bearer xapp-1-A0001-test"]
        acks = {ws.received.get(timeout=30)["envelope_id"] for _ in range(2)}
        assert acks == {"env-1", "env-2"}  # both acknowledged, the retry too
        (post,) = standin.wait_posts(1)
        assert (post.params["channel"], post.params["thread_ts"]) == ("C0001", ts)
        assert "`NCT01724697`" in texts(post.params)[1]
        assert get(f"http://127.0.0.1:{health_port}/healthz") == (200, '{"ok": true, "trials": 5}')
        time.sleep(0.5)
        assert len(standin.posts()) == 1  # the retried envelope is not answered again
    finally:
        ws.close()


def test_socket_mode_health_is_503_while_disconnected(run_socket_mode, standin: SlackStandIn) -> None:
    standin.ws_url = "ws://127.0.0.1:9/"  # nothing listens there
    health_port = run_socket_mode()
    assert get(f"http://127.0.0.1:{health_port}/healthz") == (503, '{"ok": false, "trials": 5}')
