"""Slack's three Request URLs and /healthz as an ASGI app, served by uvicorn (`bot.web.server`).

POST /slack/events, /slack/commands, /slack/actions -> Bolt's ASGI adapter (`SlackRequestHandler`),
with `App.dispatch` run in a worker thread: it waits for the listener's `ack()` and must not hold
up the event loop that serves every other request. Bolt's RequestVerification answers a bad,
missing or stale signature with 401. Other methods on those paths: 404 (Slack only POSTs).
GET /healthz -> 200 {"ok": true, "trials": N}, or 503 when `healthy()` says no (Socket Mode:
the WebSocket is down). Anything else: 404. In Socket Mode only /healthz is served.
Bodies over 1 MiB are refused with 413 by the shared stack before they are read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence

import anyio.to_thread
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.asgi import SlackRequestHandler
from slack_bolt.adapter.asgi.http_request import AsgiHttpRequest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from bot.web.middleware import send_json

log = logging.getLogger("trialqa.slack.http")

SLACK_PATHS = ("/slack/events", "/slack/commands", "/slack/actions")
HEALTH_PATH = "/healthz"


class ThreadedSlackRequestHandler(SlackRequestHandler):
    """Bolt's ASGI handler for one Request URL. `dispatch` runs in a worker thread, and a body
    or header that is not UTF-8 is read with U+FFFD (its signature then fails: 401, not a 500)."""

    async def dispatch(self, request: AsgiHttpRequest) -> BoltResponse:
        body = bytearray()
        while True:
            message = await request.receive()
            if message["type"] != "http.request":  # the client went away
                return BoltResponse(status=400, body="")
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers: dict[str, str | Sequence[str]] = {}
        for name, value in request.raw_headers:
            key, text = name.decode("latin-1").lower(), value.decode("utf-8", errors="replace")
            seen = headers.get(key)
            headers[key] = [*seen, text] if isinstance(seen, list) else [text]
        req = BoltRequest(body=body.decode("utf-8", errors="replace"), query=request.query_string, headers=headers)
        return await anyio.to_thread.run_sync(self.app.dispatch, req)


class _RequestURL:
    """One Request URL: a POST goes to Bolt, anything else is 404."""

    def __init__(self, app: App, path: str) -> None:
        self.handler = ThreadedSlackRequestHandler(app, path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await not_found(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        try:
            query.decode("utf-8")
        except UnicodeDecodeError:  # Bolt's request decodes it strictly
            scope = dict(scope, query_string=query.decode("utf-8", errors="replace").encode("utf-8"))
        await self.handler(dict(scope), receive, send)


async def not_found(scope: Scope, receive: Receive, send: Send) -> None:
    await send_json(send, 404, {"ok": False, "error": "not found"})


def slack_routes(app: App) -> list[Route]:
    """The three Request URLs, to serve alone or beside the HTTP API."""
    return [Route(path, endpoint=_RequestURL(app, path), include_in_schema=False) for path in SLACK_PATHS]


def health_route(trials: Callable[[], int], healthy: Callable[[], bool] = lambda: True) -> Route:
    def health(request: Request) -> Response:
        try:
            ok = bool(healthy())
        except Exception:
            log.exception("health check failed")
            ok = False
        body = json.dumps({"ok": ok, "trials": trials()})
        return Response(body, status_code=200 if ok else 503, media_type="application/json")

    return Route(HEALTH_PATH, health, methods=["GET"], include_in_schema=False)


def slack_asgi(app: App | None, trials: Callable[[], int], healthy: Callable[[], bool] = lambda: True) -> Starlette:
    """The bot's HTTP app: /healthz, and the Request URLs unless `app` is None (Socket Mode)."""
    routes = [health_route(trials, healthy), *(slack_routes(app) if app is not None else [])]

    async def refused(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        if status in (404, 405):  # a path or method Slack does not use
            status, error = 404, "not found"
        else:
            error = str(getattr(exc, "detail", "error"))
        return Response(json.dumps({"ok": False, "error": error}), status, media_type="application/json")

    return Starlette(routes=routes, exception_handlers={HTTPException: refused})
