"""The bot's state as the listeners use it (dedupe, answered threads) and the feedback store
(SQLite). The store itself is tested in tests/bot/slack/state/."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from bot.slack.feedback import FeedbackStore
from bot.slack.state import Limits, SQLiteState, delivery_key


def test_state_forgets_the_oldest_beyond_its_bound(tmp_path) -> None:
    # was LruSet(2): the bound keeps the entries furthest from expiry
    clock = iter(range(100, 200)).__next__
    s = SQLiteState(tmp_path / "s.sqlite3", Limits(max_deliveries=2), clock=lambda: float(clock()), prune_every=1)
    assert (s.first_delivery("a"), s.first_delivery("b"), s.first_delivery("a"), s.first_delivery("c")) == (
        True,
        True,
        False,
        True,
    )
    assert (s.first_delivery("a"), s.counts()["deliveries"]) == (True, 2)  # "a" was the oldest: forgotten


def test_memory(tmp_path) -> None:
    m = SQLiteState(tmp_path / "s.sqlite3", Limits(max_deliveries=3))
    assert [m.first_delivery(delivery_key("event", e)) for e in ["E1", "E1", "E2"]] == [True, False, True]
    assert not m.answered_thread("C1", "1.0")
    m.remember_thread("C1", "1.0")
    assert (m.answered_thread("C1", "1.0"), m.answered_thread("C2", "1.0")) == (True, False)


def test_feedback_rows(tmp_path) -> None:
    path = tmp_path / "nested" / "fb.sqlite3"
    store = FeedbackStore(path)
    t = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    common = {"question": "which trials exclude HIV?", "channel_id": "C1", "message_ts": "1.1", "at": t}
    store.record(vote="up", trials=["NCT03209986", "NCT00713934"], user_id="U1", **common)
    store.record(vote="down", trials=["NCT03209986", "NCT00713934"], user_id="U1", **common)  # changed vote
    store.record(vote="up", trials=[], user_id="U2", **common)
    rows = [(f.vote, f.user_id, f.trials, f.at) for f in FeedbackStore(path).all()]
    assert rows == [("down", "U1", ("NCT03209986", "NCT00713934"), t), ("up", "U2", (), t)]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT at, trials FROM feedback WHERE user_id = 'U1'").fetchall() == [
            ("2026-01-02T03:04:05+00:00", '["NCT03209986", "NCT00713934"]')
        ]
    with pytest.raises(ValueError, match="vote must be 'up' or 'down'"):
        store.record(vote="meh", trials=[], user_id="U3", **common)


def test_a_bad_question_becomes_a_polite_no_answer(answerer, monkeypatch) -> None:
    from bot.slack.blocks import NO_ANSWER
    from index.errors import BadQuestion

    def refuse(question, k=10):
        raise BadQuestion("unknown filter 'colour:blue'; known: status, phase, age")

    monkeypatch.setattr(answerer.index, "ask", refuse)
    msg = answerer.reply("which trials are colour:blue?")
    assert msg.blocks[1]["text"]["text"] == f"{NO_ANSWER}\nunknown filter 'colour:blue'; known: status, phase, age"


def test_a_state_failing_after_start_is_logged_and_the_bot_answers(answerer, tmp_path, caplog) -> None:
    """Checked at start-up; should writes fail later (here: another process holds the lock), each
    failure is logged and the message is answered rather than dropped."""
    from argparse import Namespace

    from bot.slack.services import Services
    from bot.slack.settings import SlackSettings

    settings = SlackSettings.from_args(Namespace(), {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    state = SQLiteState(tmp_path / "s.sqlite3", busy_timeout=0.1)
    services = Services(answerer=answerer, state=state, settings=settings)
    state.remember_thread("C1", "1.0")
    other = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with caplog.at_level("ERROR", logger="trialqa.slack"):
            assert services.first_delivery("event:Ev1") is True
            services.remember_thread("C1", "2.0")
            assert services.answered_thread("C1", "1.0") is True  # reads go on (write-ahead log)
    finally:
        other.execute("ROLLBACK")
    assert [r.getMessage() for r in caplog.records] == [
        "could not check whether event:Ev1 was delivered before; answering it",
        "could not remember the answered thread 2.0 in C1",
    ]
    assert all("database is locked" in str(r.exc_info[1]) for r in caplog.records)
