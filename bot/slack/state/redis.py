"""`BotState` in Redis (`TRIALQA_REDIS_URL`), shared by every replica of the bot.

Keys live under one prefix (``trialqa:``): ``delivery:<key>`` (SET NX with the delivery TTL:
atomic, so of any number of replicas racing on one retried event exactly one answers it),
``thread:<channel>:<ts>`` and ``conversation:<channel>:<ts>`` (with their TTLs; Redis expires
them, and its ``maxmemory`` policy bounds them), and ``feedback`` (a hash per user and
message, so a changed vote replaces the earlier one, plus a sorted set ordering them by time).
Opening pings the server, so an unreachable Redis is a `StateError` at start-up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from bot.slack.state.base import Feedback, Limits, StateError, conversation_blob

_SURROGATE = re.compile("[\ud800-\udfff]")
PREFIX = "trialqa:"


class RedisState:
    """The bot's state in a Redis server at ``url`` (``redis://HOST:6379/0``)."""

    def __init__(self, url: str, limits: Limits | None = None, prefix: str = PREFIX) -> None:
        import redis

        self.url = url
        self.limits = limits or Limits()
        self.prefix = prefix
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        try:
            self._r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=10, socket_connect_timeout=5)
            self._r.ping()
        except (*self._errors, ValueError) as exc:
            raise StateError(f"cannot use Redis at {_shown(url)} for the bot's state ({exc})") from None

    def first_delivery(self, key: str) -> bool:
        ms = int(self.limits.delivery_ttl * 1000)
        return bool(self._do(self._r.set, self._key("delivery", key), "1", nx=True, px=ms))

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        self._do(self._r.set, self._key("thread", channel, thread_ts), "1", px=int(self.limits.thread_ttl * 1000))

    def answered_thread(self, channel: str, thread_ts: str) -> bool:
        return bool(self._do(self._r.exists, self._key("thread", channel, thread_ts)))

    def add_feedback(self, feedback: Feedback) -> None:
        fb = feedback
        field = self._key("vote", fb.channel_id, fb.message_ts, fb.user_id)
        record = {
            "at": fb.at.isoformat(timespec="seconds"),
            "user_id": _text(fb.user_id),
            "channel_id": _text(fb.channel_id),
            "message_ts": _text(fb.message_ts),
            "vote": fb.vote,
            "question": _text(fb.question),
            "trials": list(fb.trials),
        }
        seq = self._do(self._r.incr, self.prefix + "feedback:seq")
        pipe = self._r.pipeline(transaction=True)
        pipe.hset(self.prefix + "feedback", field, json.dumps(record))
        pipe.zadd(self.prefix + "feedback:order", {field: seq})  # a replaced vote moves to the end
        self._do(pipe.execute)

    def all_feedback(self) -> list[Feedback]:
        fields = self._do(self._r.zrange, self.prefix + "feedback:order", 0, -1)
        if not fields:
            return []
        values = self._do(self._r.hmget, self.prefix + "feedback", fields)
        out = []
        for v in values:
            if v is None:
                continue
            d = json.loads(v)
            out.append(
                Feedback(
                    datetime.fromisoformat(d["at"]),
                    d["user_id"],
                    d["channel_id"],
                    d["message_ts"],
                    d["vote"],
                    d["question"],
                    tuple(d["trials"]),
                )
            )
        return out

    def get_conversation(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        blob = self._do(self._r.get, self._key("conversation", channel, thread_ts))
        return None if blob is None else dict(json.loads(blob))

    def put_conversation(self, channel: str, thread_ts: str, value: Mapping[str, Any]) -> None:
        blob = conversation_blob(value, self.limits)
        ms = int(self.limits.conversation_ttl * 1000)
        self._do(self._r.set, self._key("conversation", channel, thread_ts), blob, px=ms)

    def close(self) -> None:
        self._r.close()

    def _key(self, kind: str, *parts: str) -> str:
        return self.prefix + ":".join([kind, *(quote(_text(p), safe="") for p in parts)])

    def _do(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except self._errors as exc:
            raise StateError(f"the bot's state in Redis at {_shown(self.url)} failed ({exc})") from None


def _text(s: str) -> str:
    """`s` storable as UTF-8: lone surrogates become U+FFFD (not a str: its str())."""
    s = s if isinstance(s, str) else str(s)
    return s if s.isascii() else _SURROGATE.sub("\ufffd", s)


def _shown(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"//([^:@/]*):[^@/]*@", r"//\1:***@", url)
