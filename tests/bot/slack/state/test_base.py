"""The bot-state interface: delivery keys, limits, and the error a failing store raises."""

from __future__ import annotations

import pytest

from bot.slack.state import BotState, Limits, SQLiteState, StateError, delivery_key
from bot.slack.state.base import DAY, HOUR
from index.errors import ConfigError


def test_delivery_key_joins_percent_escaped_parts() -> None:
    assert delivery_key("event", "Ev0123") == "event:Ev0123"
    assert delivery_key("message", "C0001", "1700000000.000100") == "message:C0001:1700000000.000100"
    assert delivery_key("a:b", "c") == "a%3Ab:c"
    assert delivery_key("a", "b:c") == "a:b%3Ac"  # not the key of ("a:b", "c")
    assert delivery_key("x", "é ") == "x:%C3%A9%20"
    assert delivery_key("x", "\udc80") == "x:%ED%B2%80"  # a lone surrogate: still plain ASCII


def test_limits_defaults_and_bad_values() -> None:
    limits = Limits()
    assert (limits.delivery_ttl, limits.thread_ttl, limits.conversation_ttl) == (2 * HOUR, 30 * DAY, 30 * DAY)
    assert (limits.max_deliveries, limits.max_conversation_bytes) == (100_000, 65_536)
    with pytest.raises(ValueError, match=r"^delivery_ttl must be a positive number of seconds, not 0$"):
        Limits(delivery_ttl=0)
    with pytest.raises(ValueError, match=r"^max_threads must be at least 1, not 0$"):
        Limits(max_threads=0)


def test_state_error_is_a_config_error_and_sqlite_is_a_bot_state(tmp_path) -> None:
    assert issubclass(StateError, ConfigError)
    s = SQLiteState(tmp_path / "s.sqlite3")
    try:
        assert isinstance(s, BotState)
    finally:
        s.close()
