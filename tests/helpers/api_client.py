"""A small HTTP client for the API tests: one request, any status back as a `Reply`; and raw
request heads for what a client library would not send."""

from __future__ import annotations

import json
import select
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TOKEN = "api-test-token-4f1c9a7e2b"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


def call(
    method: str,
    url: str,
    body: bytes | str | dict | list | None = None,
    headers: dict[str, str] | None = None,
    content_type: str | None = "application/json",
    timeout: float = 60,
) -> Reply:
    """One request; any status comes back as a `Reply` (no exception for 4xx/5xx)."""
    if isinstance(body, dict | list):
        body = json.dumps(body)
    data = body.encode("utf-8") if isinstance(body, str) else body
    h = dict(headers or {})
    if data is not None and content_type:
        h["Content-Type"] = content_type
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8"))


def raw_status(base: str, request_head: str) -> bytes:
    """The status line the server answers a raw request head with (no body is sent)."""
    u = urlsplit(base)
    with socket.create_connection((u.hostname, u.port), timeout=10) as conn:
        conn.sendall(request_head.encode())
        return conn.recv(4096).split(b"\r\n", 1)[0]


PIECE = 16384  # body bytes sent between two looks for the server's answer


def send_until_answered(base: str, request_head: str, pieces: list[bytes]) -> tuple[bytes, bytes]:
    """Send a request head, then body pieces until the server answers; (status line, body).

    A server that answers from the head alone (a Content-Length over the limit) closes the
    connection with the body unread, and the kernel then resets it: bytes sent after that make
    the reset arrive before the answer is read. So the head gets a moment to be answered, and
    the body goes in small pieces, each after a look for the answer."""
    u = urlsplit(base)
    with socket.create_connection((u.hostname, u.port), timeout=10) as conn:
        conn.sendall(request_head.encode())
        wait = 0.5
        for piece in (p[i : i + PIECE] for p in pieces for i in range(0, len(p), PIECE)):
            if select.select([conn], [], [], wait)[0]:
                break
            wait = 0.0
            try:
                conn.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            try:
                more = conn.recv(65536)
            except ConnectionResetError:  # what was read before the reset stands
                break
            if not more:
                break
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        return head.split(b"\r\n", 1)[0], body


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0
