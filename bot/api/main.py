"""`trialqa serve`: bind the port, load and warm the index, then serve the API (and, with
--slack, Slack's Request URLs in the same process) until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.api.app import create_app
from bot.api.settings import ApiSettings
from bot.service import TrialService
from bot.web.server import Server, listen, serve_until
from index import TrialIndex

if TYPE_CHECKING:
    from bot.slack.state import BotState


def run(args: argparse.Namespace, load_index: Callable[[], TrialIndex]) -> int:
    settings = ApiSettings.from_args(args)  # before the slow part: a bad setting fails at once
    slack_settings = None
    state: BotState | None = None
    if getattr(args, "slack", False):
        from bot.slack.settings import SlackSettings
        from bot.slack.state import open_state

        slack_settings = SlackSettings.from_args(argparse.Namespace(http=True))
        state = open_state(slack_settings)  # an unusable database fails here, before the index loads
    sock = listen(settings.host, settings.port, "--host/--port/TRIALQA_API_PORT")
    _say("loading the index…")
    service = TrialService(load_index())
    service.warm()
    routes = []
    if slack_settings is not None:
        from bot.slack.answerer import Answerer
        from bot.slack.app import build_app
        from bot.slack.asgi import slack_routes

        answerer = Answerer(service.index)
        assert state is not None  # opened with the Slack settings above
        routes = slack_routes(build_app(slack_settings, answerer, state))
    app = create_app(service, settings, routes)
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())

    def ready(server: Server) -> None:
        extras = [
            "OpenAPI /openapi.json, docs /docs",
            "bearer token required" if settings.token else "no auth",
        ]
        if routes:
            extras.append("Slack Request URLs /slack/events, /slack/commands, /slack/actions")
        _say(
            f"{len(service.index.trials)} trials, listening on http://{settings.host}:{server.port} "
            f"({'; '.join(extras)})"
        )

    try:
        serve_until(app, sock, stop, ready, name="trialqa-api")
    finally:
        if state is not None:
            state.close()
    _say("stopped")
    return 0


def _say(message: str) -> None:
    print(f"trialqa serve: {message}", file=sys.stderr, flush=True)
