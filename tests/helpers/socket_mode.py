"""A local WebSocket server speaking Slack's Socket Mode envelope protocol."""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

from websockets.sync.server import ServerConnection, serve

from tests.bot.slack.fakes import event_body


class SocketModeServer:
    """Says hello, sends the queued envelopes, and records what the client sends back."""

    def __init__(self, envelopes: list[dict[str, Any]]) -> None:
        self.envelopes = envelopes
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self.server = serve(self._session, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/"

    def _session(self, ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}))
        for env in self.envelopes:
            ws.send(json.dumps(env))
        for raw in ws:
            self.received.put(json.loads(raw))

    def close(self) -> None:
        self.server.shutdown()


def envelope(envelope_id: str, event: dict[str, Any], event_id: str, retry_attempt: int = 0) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "payload": json.loads(event_body(event, event_id)),
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }
