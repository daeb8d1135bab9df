"""`trialqa slack`: load the index, warm the encoder, then serve Slack.

Socket Mode when SLACK_APP_TOKEN is set (unless --http): no public URL, and /healthz on
$PORT (or --port) when one is given, 503 while the WebSocket is down. Otherwise HTTP on
--port / $PORT / 3000 with Slack's Request URLs and /healthz. SIGTERM or Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.slack.answerer import Answerer
from bot.slack.app import build_app
from bot.slack.asgi import slack_asgi
from bot.slack.settings import SlackSettings
from bot.slack.state import open_state
from bot.web.server import Server, listen
from index.errors import ConfigError
from index.trial_index import TrialIndex

log = logging.getLogger("trialqa.slack")


def run(args: argparse.Namespace, load_index: Callable[[], TrialIndex]) -> int:
    # Before the slow part: a missing secret or an unusable database fails at once.
    settings = SlackSettings.from_args(args)
    state = open_state(settings)
    try:
        _say("loading the index…")
        answerer = Answerer(load_index())
        answerer.warm()
        app = build_app(settings, answerer, state)
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        if settings.mode == "socket":
            return serve_socket_mode(app, settings, answerer.trial_count, stop)
        return serve_http(app, settings, answerer.trial_count, stop)
    finally:
        state.close()


def serve_http(
    app: App, settings: SlackSettings, trials: int, stop: threading.Event, ready: Callable[[int], None] | None = None
) -> int:
    """Serve the Request URLs until `stop` is set. `ready(port)` is called once listening."""
    server = _listen(settings, app, trials)
    server.start()
    _say(
        f"HTTP mode, {trials} trials, listening on http://{settings.host}:{server.port} "
        "(Request URLs /slack/events, /slack/commands, /slack/actions; health /healthz)"
    )
    try:
        if ready:
            ready(server.port)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    _say("stopped")
    return 0


def serve_socket_mode(
    app: App,
    settings: SlackSettings,
    trials: int,
    stop: threading.Event,
    ready: Callable[[int | None], None] | None = None,
) -> int:
    """Hold a Socket Mode connection until `stop` is set, with /healthz when a port is set."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token=settings.app_token)
    health = None
    if settings.port is not None:
        health = _listen(settings, None, trials, healthy=handler.client.is_connected)
        health.start()
    try:
        try:
            handler.connect()
        except SlackApiError:
            raise ConfigError(
                "SLACK_APP_TOKEN was refused by Slack (apps.connections.open): check the app-level token "
                "has the connections:write scope and Socket Mode is enabled"
            ) from None
        where = f"; health on http://{settings.host}:{health.port}/healthz" if health else ""
        _say(f"Socket Mode, {trials} trials{where}")
        if ready:
            ready(health.port if health else None)
        while not stop.wait(0.5):
            pass
    finally:
        handler.close()
        if health:
            health.stop()
    _say("stopped")
    return 0


def _listen(settings: SlackSettings, app: App | None, trials: int, **kw: Any) -> Server:
    """The bot's HTTP app (Bolt's ASGI adapter behind the shared uvicorn stack) on its port."""
    port = settings.port if settings.port is not None else 0
    sock = listen(settings.host, port, "--host/--port/PORT")
    return Server(slack_asgi(app, lambda: trials, **kw), sock, name="trialqa-slack-http")


def _say(message: str) -> None:
    print(f"trialqa slack: {message}", file=sys.stderr, flush=True)
