"""The bot-state interface: what the Slack bot remembers between requests and across restarts.

`BotState` is a small Protocol so that another store (Redis, for several replicas) can replace
the SQLite one without touching the listeners. Every method is safe to call from many threads
and many processes at once; `first_delivery` is atomic: of any number of callers racing on one
key, exactly one gets True. A store that fails raises `StateError`, never its own exceptions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

from index.errors import ConfigError

HOUR = 3600.0
DAY = 24 * HOUR


class StateError(ConfigError):
    """The bot's state cannot be opened, read or written (names the file or server and the reason).

    A `ConfigError`: at start-up it stops `trialqa slack` with exit code 2, like a bad setting."""


@dataclass(frozen=True)
class Feedback:
    """One 👍 / 👎 on an answer (one per user and message: a changed vote replaces the earlier one)."""

    at: datetime
    user_id: str
    channel_id: str
    message_ts: str
    vote: str
    question: str
    trials: tuple[str, ...]


@dataclass(frozen=True)
class Limits:
    """How long each kind of memory lasts (seconds) and how many rows each may hold.

    Slack retries a delivery it thinks failed for up to about an hour, so deliveries are kept
    for 2 hours by default; answered threads and conversations for 30 days. Beyond `max_*` the
    entries closest to expiry are dropped first."""

    delivery_ttl: float = 2 * HOUR
    thread_ttl: float = 30 * DAY
    conversation_ttl: float = 30 * DAY
    max_deliveries: int = 100_000
    max_threads: int = 100_000
    max_conversations: int = 10_000
    max_conversation_bytes: int = 64 * 1024

    def __post_init__(self) -> None:
        for name in ("delivery_ttl", "thread_ttl", "conversation_ttl"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be a positive number of seconds, not {getattr(self, name)!r}")
        for name in ("max_deliveries", "max_threads", "max_conversations", "max_conversation_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)!r}")


@runtime_checkable
class BotState(Protocol):
    """What the bot remembers. Keys and ids are any `str`; values round-trip exactly except lone
    surrogates (text that was not UTF-8), which become U+FFFD."""

    def first_delivery(self, key: str) -> bool:
        """True the first time `key` (see `delivery_key`) is seen within the delivery TTL; False
        for a repeat. Atomic across threads and processes sharing the store."""
        ...

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        """The bot answered in this thread (refreshes its expiry)."""
        ...

    def answered_thread(self, channel: str, thread_ts: str) -> bool:
        """Whether the bot answered in this thread within the thread TTL."""
        ...

    def add_feedback(self, feedback: Feedback) -> None:
        """Store a vote, replacing the same user's earlier vote on the same message."""
        ...

    def all_feedback(self) -> list[Feedback]:
        """Every stored vote, oldest first."""
        ...

    def get_conversation(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        """The JSON object last put for this thread, or None (never put, or expired)."""
        ...

    def put_conversation(self, channel: str, thread_ts: str, value: Mapping[str, Any]) -> None:
        """Replace this thread's conversation state (a JSON object of at most
        `Limits.max_conversation_bytes`; `ValueError` otherwise) and refresh its expiry."""
        ...

    def close(self) -> None: ...


def delivery_key(kind: str, *parts: str) -> str:
    """A `first_delivery` key: `event:Ev0123`, `message:C0001:1700000000.000100`. Each part is
    percent-escaped, so keys are plain ASCII and two different deliveries never share one."""
    return ":".join(quote(str(p), safe="", errors="surrogatepass") for p in (kind, *parts))


def conversation_blob(value: Mapping[str, Any], limits: Limits) -> str:
    """A conversation's state as the compact JSON every store keeps (`ValueError` when it is
    not a JSON object or is over `Limits.max_conversation_bytes`)."""
    if not isinstance(value, Mapping):
        raise ValueError(f"a conversation's state must be a JSON object (a mapping), not {type(value).__name__}")
    try:
        blob = json.dumps(dict(value), allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a conversation's state must be JSON: {exc}") from None
    if len(blob) > limits.max_conversation_bytes:  # ASCII (ensure_ascii): characters are bytes
        raise ValueError(
            f"a conversation's state is {len(blob):,} bytes as JSON, over the "
            f"{limits.max_conversation_bytes:,}-byte limit"
        )
    return blob
