"""The shared ASGI middleware, driven directly: the body limit and the access log."""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from bot.web.middleware import MAX_BODY, AccessLog, BodyLimit, too_large


async def echo_length(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the whole body and answers 200 with its length."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(body))]})
    await send({"type": "http.response.body", "body": body})


def call(app: Any, chunks: list[bytes], headers: list[tuple[bytes, bytes]], path: str = "/ask") -> list[Message]:
    sent: list[Message] = []
    pending = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

    async def receive() -> Message:
        return pending.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers, "client": ("127.0.0.1", 5000)}
    anyio.run(app, scope, receive, send)
    return sent


def test_too_large_messages() -> None:
    assert too_large(MAX_BODY) == "the request body is over 1,048,576 bytes (1 MiB)"
    assert too_large(10) == "over 10 bytes"


def test_a_declared_length_over_the_limit_is_413_before_the_body_is_read() -> None:
    sent = call(BodyLimit(echo_length, limit=10), [], [(b"content-length", b"11")])  # no body to read
    assert sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]
    assert json.loads(sent[1]["body"]) == {"error": "over 10 bytes"}


def test_a_body_within_the_limit_passes() -> None:
    sent = call(BodyLimit(echo_length, limit=10), [b"12345", b"67890"], [])
    assert (sent[0]["status"], sent[1]["body"]) == (200, b"10")


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit() -> None:
    sent = call(BodyLimit(echo_length, limit=10), [b"123456", b"789012", b"never read"], [])
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"]) == {"error": "over 10 bytes"}


def test_the_access_log_writes_the_path_escaped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="trialqa.http"):
        call(AccessLog(echo_length), [b"x"], [], path="/ask\n\x1b[31mforged")
    [record] = caplog.records
    assert record.getMessage().startswith("127.0.0.1:5000 POST '/ask\\n\\x1b[31mforged' 200 ")
    assert record.getMessage().endswith(" ms")
