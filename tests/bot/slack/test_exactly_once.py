"""Exactly one answer per Slack delivery, over HTTP with signed events against the Web API
stand-in: across a restart of `trialqa slack` (a deploy), between two processes sharing the
database, and between two threads of one process receiving the same delivery at once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.bot.slack.fakes import BOT_TOKEN, SECRET, SlackStandIn, mention, message, send_event, texts
from tests.helpers.slack_bots import HEPATIC, RETRY, race, settle, start_bot
from tests.reliability.botproc import bot_env

HIV = "which trials exclude HIV?"


def test_a_retry_after_a_restart_is_not_answered_again(
    seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path
) -> None:
    env = bot_env(
        tmp_path, standin.api_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET, TRIALQA_LOG_LEVEL="INFO"
    )
    thread = "1700006000.000100"
    asked = mention(f"<@UBOT> {HEPATIC}", thread)
    dm = message(HIV, "1700006000.000200", "D0001", "im")

    first = start_bot(tmp_path, "first", env, seed_index_dir)
    try:
        assert send_event(first.url, asked, "EvRestart1")[0] == 200
        assert send_event(first.url, dm, "EvRestart2")[0] == 200
        standin.wait_posts(2)
    finally:
        code, _, err = first.stop()
    assert code == 0, err

    second = start_bot(tmp_path, "second", env, seed_index_dir)  # the deploy: same database
    try:
        # Slack did not see the first acks in time and retries both, to the new process.
        assert send_event(second.url, asked, "EvRestart1", RETRY) == (200, "")
        assert send_event(second.url, dm, "EvRestart2", RETRY) == (200, "")
        # The DM again under another event id (the message key, not only the event id, is kept).
        assert send_event(second.url, dm, "EvRestart2b")[0] == 200
        # A follow-up in the thread answered before the restart: still the bot's thread.
        follow = message(HIV, "1700006000.000300", "C0001", "channel", thread_ts=thread)
        assert send_event(second.url, follow, "EvRestart3")[0] == 200
        posts = settle(standin, 3)
    finally:
        code, _, err = second.stop()
    assert code == 0, err
    assert [(p.params["channel"], p.params.get("thread_ts")) for p in posts] == [
        ("C0001", thread),
        ("D0001", None),
        ("C0001", thread),  # the follow-up, answered once; the two retries and the repeat: nothing
    ]
    assert "`NCT03209986`" in texts(posts[2].params)[1]
    assert "dropping a repeated delivery of event EvRestart1 (retry 1)" in err
    assert "dropping a repeated delivery of event EvRestart2 (retry 1)" in err


def test_two_processes_sharing_the_database_answer_a_delivery_once(
    seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path
) -> None:
    """Two replicas behind one Request URL: Slack's retry may reach the other one, at once."""
    env = bot_env(tmp_path, standin.api_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET)
    bots = [start_bot(tmp_path, name, env, seed_index_dir) for name in ("a", "b")]
    rounds = 5
    try:
        for i in range(rounds):
            event = mention(f"<@UBOT> {HEPATIC}", f"1700007000.{i:06d}")
            race(lambda n, e=event, i=i: send_event(bots[n].url, e, f"EvTwin{i}", RETRY if n else None))
        posts = settle(standin, rounds)
    finally:
        results = [b.stop() for b in bots]
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    assert Counter(p.params["thread_ts"] for p in posts) == {f"1700007000.{i:06d}": 1 for i in range(rounds)}


def test_one_delivery_racing_in_two_threads_is_answered_once(bot, standin: SlackStandIn) -> None:
    rounds = 10
    for i in range(rounds):  # the same event id twice at once: the delivery and its retry
        event = mention(f"<@UBOT> {HEPATIC}", f"1700008000.{i:06d}")
        race(lambda n, e=event, i=i: send_event(bot.url, e, f"EvRace{i}", RETRY if n else None))
    for i in range(rounds):  # one DM under two event ids at once: the message key decides
        dm = message(HIV, f"1700008001.{i:06d}", f"D{i:04d}", "im")
        race(lambda n, e=dm, i=i: send_event(bot.url, e, f"EvRaceDm{i}-{n}"))
    posts = settle(standin, 2 * rounds)
    assert Counter(p.params.get("thread_ts") or p.params["channel"] for p in posts) == {
        **{f"1700008000.{i:06d}": 1 for i in range(rounds)},
        **{f"D{i:04d}": 1 for i in range(rounds)},
    }
    assert bot.state.first_delivery("event:EvRace0") is False  # remembered in the database
