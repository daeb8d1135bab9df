"""Two bot processes over signed HTTP sharing their state in a real Redis (no shared file):
every event delivered to both, as Slack's retries may be, is answered exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.bot.slack.fakes import BOT_TOKEN, SECRET, SlackStandIn, mention, send_event
from tests.helpers.slack_bots import HEPATIC, RETRY, race, settle, start_bot
from tests.reliability.botproc import bot_env


def test_two_replicas_sharing_redis_answer_each_event_once(
    seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path, redis_url: str
) -> None:
    bots = []
    for name in ("a", "b"):  # each its own SQLite file: only Redis is shared
        (tmp_path / f"db-{name}").mkdir()
        env = bot_env(
            tmp_path / f"db-{name}",
            standin.api_url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            TRIALQA_REDIS_URL=redis_url,
        )
        bots.append(start_bot(tmp_path, name, env, seed_index_dir))
    events = 20
    try:
        for i in range(events):
            event = mention(f"<@UBOT> {HEPATIC}", f"1700009000.{i:06d}")
            race(lambda n, e=event, i=i: send_event(bots[n].url, e, f"EvRedis{i}", RETRY if n else None))
        posts = settle(standin, events)
    finally:
        results = [b.stop() for b in bots]
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    assert len(posts) == events
    assert Counter(p.params["thread_ts"] for p in posts) == {f"1700009000.{i:06d}": 1 for i in range(events)}
    assert not (tmp_path / "db-a" / "feedback.sqlite3").exists()
    assert not (tmp_path / "db-b" / "feedback.sqlite3").exists()
