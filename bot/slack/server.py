"""A small threaded HTTP server: Slack's three Request URLs and /healthz.

POST /slack/events, /slack/commands, /slack/actions -> `app.dispatch(BoltRequest(...))`
(Bolt's RequestVerification answers a bad, missing or stale signature with 401).
GET /healthz -> 200 {"ok": true, "trials": N}, or 503 when `healthy()` says no (Socket
Mode: the WebSocket is down). Anything else: 404. In Socket Mode only /healthz is served.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest

log = logging.getLogger("trialqa.slack.http")

SLACK_PATHS = ("/slack/events", "/slack/commands", "/slack/actions")
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack's payloads are a few kilobytes


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog is 5: a burst of deliveries (a busy channel, Slack's
    # retries) beyond that was refused with connection resets before any was read.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        app: App | None,
        trials: int,
        healthy: Callable[[], bool] = lambda: True,
    ) -> None:
        self.app = app  # None: health only (Socket Mode)
        self.trials = trials
        self.healthy = healthy
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> threading.Thread:
        """Serve in a daemon thread; `shutdown()` stops it."""
        t = threading.Thread(target=self.serve_forever, name="trialqa-slack-http", daemon=True)
        t.start()
        return t


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path != HEALTH_PATH:
            self._send(404, {"ok": False, "error": "not found"})
            return
        try:
            ok = bool(self.server.healthy())
        except Exception:
            log.exception("health check failed")
            ok = False
        self._send(200 if ok else 503, {"ok": ok, "trials": self.server.trials})

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if self.server.app is None or parts.path not in SLACK_PATHS:
            self._drain()
            self._send(404, {"ok": False, "error": "not found"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True
            self._send(413 if length > MAX_BODY else 400, {"ok": False, "error": "bad request body"})
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        headers = {k.lower(): self.headers.get_all(k) or [] for k in self.headers}
        req = BoltRequest(body=body, query=parts.query, headers=headers)
        resp = self.server.app.dispatch(req)
        data = (resp.body or "").encode("utf-8")
        self.send_response(resp.status)
        for name, values in resp.headers.items():
            if name.lower() == "content-length":
                continue
            for v in values:
                self.send_header(name, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _drain(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        elif length:
            self.close_connection = True

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # access log at debug level only
        log.debug("%s %s", self.address_string(), format % args)
