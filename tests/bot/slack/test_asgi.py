"""Slack's Request URLs and /healthz as an ASGI app, on 127.0.0.1 (the Bolt routes are exercised
end to end in test_app.py; here the health route and what is not a route)."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator

import pytest

from bot.slack.asgi import slack_asgi
from bot.web.server import Server, listen


@pytest.fixture
def serve() -> Iterator[Callable[[bool], Server]]:
    servers: list[Server] = []

    def start(healthy: bool) -> Server:
        server = Server(slack_asgi(None, lambda: 5, lambda: healthy), listen("127.0.0.1", 0)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def request(server: Server, method: str, path: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request(method, path)
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def test_health_says_how_many_trials(serve) -> None:
    assert request(serve(True), "GET", "/healthz") == (200, {"ok": True, "trials": 5})


def test_health_is_503_when_unhealthy(serve) -> None:
    assert request(serve(False), "GET", "/healthz") == (503, {"ok": False, "trials": 5})


def test_without_a_bolt_app_only_health_is_served(serve) -> None:
    server = serve(True)
    assert request(server, "POST", "/slack/events") == (404, {"ok": False, "error": "not found"})
    assert request(server, "GET", "/elsewhere") == (404, {"ok": False, "error": "not found"})
    assert request(server, "POST", "/healthz") == (404, {"ok": False, "error": "not found"})
