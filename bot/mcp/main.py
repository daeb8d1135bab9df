"""`trialqa mcp`: load and warm the index, then serve MCP over stdio (the default: an MCP client
starts this command itself) or streamable HTTP at /mcp (--http, on the shared uvicorn stack).

Over stdio, stdout carries the protocol: everything else goes to stderr."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable

from starlette.types import ASGIApp

from bot.api.app import BearerAuth
from bot.api.settings import ApiSettings
from bot.mcp.server import build_server
from bot.service import TrialService
from bot.web.server import Server, listen, serve_until
from index import TrialIndex


def run(args: argparse.Namespace, load_index: Callable[[], TrialIndex]) -> int:
    settings = ApiSettings.from_args(args) if args.http else None
    sock = listen(settings.host, settings.port, "--host/--port/TRIALQA_API_PORT") if settings else None
    _say("loading the index…")
    service = TrialService(load_index())
    service.warm()
    server = build_server(service)
    if settings is None or sock is None:
        _say(f"{len(service.index.trials)} trials, serving MCP on stdio")
        server.run("stdio")
        return 0
    app: ASGIApp = server.streamable_http_app(host=settings.host)
    if settings.token:
        app = BearerAuth(app, settings.token, open_paths=())
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())

    def ready(http: Server) -> None:
        auth = "bearer token required" if settings.token else "no auth"
        _say(
            f"{len(service.index.trials)} trials, serving MCP (streamable HTTP) on "
            f"http://{settings.host}:{http.port}/mcp ({auth})"
        )

    serve_until(app, sock, stop, ready, name="trialqa-mcp")
    _say("stopped")
    return 0


def _say(message: str) -> None:
    print(f"trialqa mcp: {message}", file=sys.stderr, flush=True)
