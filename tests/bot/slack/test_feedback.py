"""The feedback store: a vote checked, normalised and kept in SQLite, one row per user and message."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from bot.slack.feedback import FeedbackStore


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
