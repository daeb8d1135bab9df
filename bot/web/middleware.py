"""ASGI middleware shared by the servers: a body limit enforced before the body is read, and an
access log that never writes client text unescaped."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 1 << 20  # 1 MiB: a question is at most 2,000 characters, Slack's payloads a few kilobytes

access_log = logging.getLogger("trialqa.http")


async def send_json(
    send: Send, status: int, payload: dict[str, Any], headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    body = json.dumps(payload).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a body without a declared length passes the limit. An
    `HTTPException`, so the app's own error handling answers it (413) like any other."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=too_large(limit))


def too_large(limit: int) -> str:
    return f"the request body is over {limit:,} bytes (1 MiB)" if limit == MAX_BODY else f"over {limit:,} bytes"


class BodyLimit:
    """413 for a request whose Content-Length is over `limit`, answered before any of the body
    is read (and the connection closed); a body sent without a length (chunked) is counted as
    it is read and refused the moment it passes the limit."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await send_json(send, 413, {"error": too_large(self.limit)}, [(b"connection", b"close")])
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:  # the app did not answer it itself
            if started:
                raise
            await send_json(send, 413, {"error": too_large(self.limit)}, [(b"connection", b"close")])


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class AccessLog:
    """One line per request at INFO on `trialqa.http`: client, method, path (repr: a newline or
    escape sequence in it cannot forge or colour a log line), status, time. Uvicorn's own access
    log is off (it writes the decoded path as it came)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 0

        async def tracked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        finally:
            client = scope.get("client") or ("-", 0)
            access_log.info(
                "%s:%s %s %r %s %.0f ms",
                client[0],
                client[1],
                scope.get("method", "?")[:16],
                scope.get("path", "")[:300],
                status or "-",
                (time.perf_counter() - t0) * 1000,
            )
