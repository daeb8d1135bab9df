"""The services the listeners share: a state that fails after start-up is logged, not fatal."""

from __future__ import annotations

import sqlite3

from bot.slack.state import SQLiteState


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
