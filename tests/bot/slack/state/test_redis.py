"""`RedisState` against a real redis-server: the `BotState` contract, exactly."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest

from bot.slack.settings import SlackSettings
from bot.slack.state import Feedback, Limits, StateError, open_state
from bot.slack.state.redis import RedisState


@pytest.fixture
def state(redis_url: str):
    s = RedisState(redis_url, Limits(delivery_ttl=60, thread_ttl=60), prefix=f"test-{uuid.uuid4().hex}:")
    yield s
    s.close()


def test_first_delivery_once_then_again_after_expiry(redis_url: str) -> None:
    s = RedisState(redis_url, Limits(delivery_ttl=0.3), prefix=f"test-{uuid.uuid4().hex}:")
    assert s.first_delivery("event:Ev1") is True
    assert s.first_delivery("event:Ev1") is False
    assert s.first_delivery("event:Ev2") is True
    time.sleep(0.5)
    assert s.first_delivery("event:Ev1") is True


def test_first_delivery_is_atomic_across_threads(state: RedisState) -> None:
    won: list[bool] = []
    start = threading.Barrier(16)

    def race() -> None:
        start.wait()
        won.append(state.first_delivery("event:EvRace"))

    ts = [threading.Thread(target=race) for _ in range(16)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sorted(won) == [False] * 15 + [True]


def test_threads_and_conversations(state: RedisState) -> None:
    assert state.answered_thread("C1", "1.2") is False
    state.remember_thread("C1", "1.2")
    assert state.answered_thread("C1", "1.2") is True
    assert state.answered_thread("C1", "1.3") is False
    assert state.get_conversation("C1", "1.2") is None
    state.put_conversation("C1", "1.2", {"turns": [{"q": "ünïcode \ud800"}]})
    assert state.get_conversation("C1", "1.2") == {"turns": [{"q": "ünïcode \ud800"}]}
    with pytest.raises(ValueError, match="JSON object"):
        state.put_conversation("C1", "1.2", [1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="over the 65,536-byte limit"):
        state.put_conversation("C1", "1.2", {"x": "a" * 70_000})


def test_feedback_a_changed_vote_replaces_the_earlier(state: RedisState) -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    up = Feedback(at, "U1", "C1", "1.1", "up", "q?", ("NCT01724697",))
    other = Feedback(at, "U2", "C1", "1.1", "down", "q?", ())
    state.add_feedback(up)
    state.add_feedback(other)
    changed = Feedback(at, "U1", "C1", "1.1", "down", "q?", ("NCT01724697",))
    state.add_feedback(changed)
    assert state.all_feedback() == [other, changed]


def test_unreachable_server_is_a_state_error() -> None:
    from tests.redis_server import free_port

    with pytest.raises(StateError, match=r"cannot use Redis at redis://u:\*\*\*@127.0.0.1"):
        RedisState(f"redis://u:secret@127.0.0.1:{free_port()}/0")


def test_open_state_chooses_redis_when_the_url_is_set(redis_url: str, tmp_path) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "TRIALQA_DATA_DIR": str(tmp_path)}
    settings = SlackSettings.from_args(None, env | {"TRIALQA_REDIS_URL": redis_url})
    assert settings.redis_url == redis_url
    assert redis_url not in repr(settings)
    s = open_state(settings)
    assert isinstance(s, RedisState)
    s.close()
    assert SlackSettings.from_args(None, env).redis_url is None
    with pytest.raises(Exception, match="TRIALQA_REDIS_URL must be a redis://"):
        SlackSettings.from_args(None, env | {"TRIALQA_REDIS_URL": "http://x"})
