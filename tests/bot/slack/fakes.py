"""Test doubles that speak Slack's protocols on 127.0.0.1: a Web API stand-in (records calls,
answers like Slack, can send one 429), request signing, and small HTTP helpers."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

BOT_USER = "UBOT"
USER = "U0USER"
TEAM = "T0001"
SECRET = "8f14e45fceea167a5a36dedd4bea2543"
BOT_TOKEN = "xoxb-1111-2222-testtokenvalue"


@dataclass
class Call:
    path: str  # /api/chat.postMessage or /response/<id>
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    @property
    def method(self) -> str:
        return self.path.rsplit("/", 1)[-1] if self.path.startswith("/api/") else ""

    @property
    def dump(self) -> str:
        """Everything the bot sent, as one string (to look for text anywhere in it)."""
        return json.dumps(self.params, ensure_ascii=False)


class SlackStandIn:
    """A local stand-in for https://slack.com/api/ and for response URLs (/response/<id>)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.rate_limit_once: set[str] = set()  # methods answered once with 429 Retry-After: 1
        self.errors: dict[str, str] = {}  # method -> Slack error code to answer with
        self.ws_url = "ws://127.0.0.1:9/"  # what apps.connections.open hands out
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                call = Call(urlsplit(self.path).path, params, dict(self.headers.items()))
                status, headers, body = standin._answer(call)
                with standin._cond:
                    standin.calls.append(call)
                    standin._cond.notify_all()
                data = body.encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, call: Call) -> tuple[int, dict[str, str], str]:
        if call.path.startswith("/response/"):
            return 200, {"Content-Type": "text/plain"}, "ok"
        m = call.method
        if m in self.rate_limit_once:
            self.rate_limit_once.discard(m)
            return (
                429,
                {"Retry-After": "1", "Content-Type": "application/json"},
                '{"ok": false, "error": "ratelimited"}',
            )
        if m in self.errors:
            return 200, {"Content-Type": "application/json"}, json.dumps({"ok": False, "error": self.errors[m]})
        body: dict[str, Any] = {"ok": True}
        if m == "auth.test":
            body |= {"url": "https://test.slack.com/", "team": "Test", "user": "trialqa", "team_id": TEAM}
            body |= {"user_id": BOT_USER, "bot_id": "BBOT"}
        elif m == "chat.postMessage":
            ts = f"1800000000.{next(self._ts):06d}"
            body |= {"channel": call.params.get("channel"), "ts": ts, "message": {"ts": ts}}
        elif m == "chat.postEphemeral":
            body |= {"message_ts": f"1800000000.{next(self._ts):06d}"}
        elif m == "apps.connections.open":
            body |= {"url": self.ws_url}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def seen(self, path: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.path == path]

    def posts(self, method: str = "chat.postMessage") -> list[Call]:
        return self.seen(f"/api/{method}")

    def wait_for(self, pred: Callable[[list[Call]], list[Call]], timeout: float = 60.0) -> list[Call]:
        """Wait until `pred(calls)` returns a non-empty list, and return it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = pred(list(self.calls))
                if found:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls so far: {[c.path for c in self.calls]}")
                self._cond.wait(left)

    def wait_posts(self, n: int = 1, method: str = "chat.postMessage", timeout: float = 60.0) -> list[Call]:
        path = f"/api/{method}"
        return self.wait_for(
            lambda cs: (lambda xs: xs if len(xs) >= n else [])([c for c in cs if c.path == path]), timeout
        )

    def wait_response(self, name: str, n: int = 1, timeout: float = 60.0) -> list[Call]:
        path = f"/response/{name}"
        return self.wait_for(
            lambda cs: (lambda xs: xs if len(xs) >= n else [])([c for c in cs if c.path == path]), timeout
        )


def signed(body: str, secret: str = SECRET, ts: int | None = None) -> dict[str, str]:
    """The headers Slack sends: X-Slack-Request-Timestamp and X-Slack-Signature (v0 HMAC-SHA256)."""
    ts = int(time.time()) if ts is None else ts
    sig = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={sig}"}


def post(url: str, body: str, headers: dict[str, str], content_type: str, timeout: float = 10) -> tuple[int, str]:
    req = urllib.request.Request(
        url, data=body.encode(), method="POST", headers={"Content-Type": content_type, **headers}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def event_body(event: dict[str, Any], event_id: str) -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
    )


def mention(text: str, ts: str, channel: str = "C0001", thread_ts: str | None = None) -> dict[str, Any]:
    e = {"type": "app_mention", "user": USER, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
    if thread_ts:
        e["thread_ts"] = thread_ts
    return e


def message(text: str, ts: str, channel: str, channel_type: str, **extra: Any) -> dict[str, Any]:
    e = {"type": "message", "user": USER, "text": text, "ts": ts, "channel": channel, "channel_type": channel_type}
    return e | extra


def send_event(
    base: str,
    event: dict[str, Any],
    event_id: str,
    extra_headers: dict[str, str] | None = None,
    secret: str = SECRET,
) -> tuple[int, str]:
    body = event_body(event, event_id)
    return post(f"{base}/slack/events", body, {**signed(body, secret), **(extra_headers or {})}, "application/json")


def send_command(base: str, text: str, response_url: str, channel: str = "C0001") -> tuple[int, str]:
    body = urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "channel_id": channel,
            "channel_name": "general",
            "user_id": USER,
            "user_name": "asker",
            "command": "/trials",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )
    return post(f"{base}/slack/commands", body, signed(body), "application/x-www-form-urlencoded")


def send_action(
    base: str,
    button: dict[str, Any],
    response_url: str,
    *,
    channel: str = "C0001",
    message_ts: str = "1800000000.000001",
    thread_ts: str | None = None,
    ephemeral: bool = False,
) -> tuple[int, str]:
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel,
        "is_ephemeral": ephemeral,
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": USER, "username": "asker", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": "1.2.3",
        "team": {"id": TEAM, "domain": "test"},
        "channel": {"id": channel, "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": button["action_id"],
                "block_id": "trialqa_answer_actions",
                "text": button["text"],
                "value": button["value"],
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if not ephemeral:
        payload["message"] = {"type": "message", "ts": message_ts, "user": BOT_USER, "text": "..."}
        if thread_ts:
            payload["message"]["thread_ts"] = thread_ts
    body = urlencode({"payload": json.dumps(payload)})
    return post(f"{base}/slack/actions", body, signed(body), "application/x-www-form-urlencoded")


def buttons(params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The buttons of a posted message, by action_id."""
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def texts(params: dict[str, Any]) -> list[str]:
    """The mrkdwn texts of a posted message's blocks, in order (sections and context lines)."""
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    out = []
    for b in blocks:
        if b["type"] == "section":
            out.append(b["text"]["text"])
        elif b["type"] == "context":
            out.extend(e["text"] for e in b["elements"])
    return out
