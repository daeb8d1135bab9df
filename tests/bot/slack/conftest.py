"""Fixtures for the Slack bot: the answerer (index loaded once per module), a stand-in Web
API, and the real Bolt app served by the bot's HTTP server on an ephemeral 127.0.0.1 port."""

from __future__ import annotations

import queue
import threading
from argparse import Namespace
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from slack_bolt import App

from bot.slack.answerer import Answerer
from bot.slack.app import build_app
from bot.slack.feedback import FeedbackStore
from bot.slack.main import serve_http
from bot.slack.settings import SlackSettings
from bot.slack.state import BotState, open_state
from tests.bot.slack.fakes import SlackStandIn
from tests.helpers.slack_bots import bot_env


@pytest.fixture(scope="module")
def answerer(seed_index_dir: Path) -> Answerer:
    from index.trial_index import TrialIndex

    a = Answerer(TrialIndex.load(seed_index_dir))
    a.warm()
    return a


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    s = SlackStandIn()
    yield s
    s.close()


@dataclass
class RunningBot:
    url: str
    app: App
    settings: SlackSettings
    state: BotState

    @property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(self.state)


@pytest.fixture
def make_bot(answerer: Answerer, standin: SlackStandIn, tmp_path: Path) -> Iterator[Callable[..., RunningBot]]:
    running: list[tuple[threading.Event, threading.Thread, BotState]] = []

    def make(answerer: Answerer = answerer, **env: str) -> RunningBot:
        settings = SlackSettings.from_args(
            Namespace(http=True, port=0, host="127.0.0.1"), env=bot_env(standin, tmp_path, **env)
        )
        state = open_state(settings)
        app = build_app(settings, answerer, state)
        stop, ports = threading.Event(), queue.Queue()
        t = threading.Thread(
            target=serve_http, args=(app, settings, answerer.trial_count, stop, ports.put), daemon=True
        )
        t.start()
        running.append((stop, t, state))
        return RunningBot(f"http://127.0.0.1:{ports.get(timeout=10)}", app, settings, state)

    yield make
    for stop, t, state in running:
        stop.set()
        t.join(10)
        state.close()


@pytest.fixture
def bot(make_bot: Callable[..., RunningBot]) -> RunningBot:
    return make_bot()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 for this session (skips when it is not installed)."""
    from tests.redis_server import redis_server

    pytest.importorskip("redis")
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
