"""A Slack thread is one conversation: a follow-up in it is read against the thread's earlier
answers, also after `trialqa slack` restarts between the two messages (the state is kept in
the bot's SQLite database). Over HTTP with signed events against the Web API stand-in."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bot.slack.fakes import BOT_TOKEN, SECRET, SlackStandIn, mention, message, send_event, texts
from tests.reliability.botproc import BotProcess, bot_env

PREGNANCY = "which trials require a negative pregnancy test?"
SINGLE_BLIND = "which of those have a single-blind design?"


def start_bot(tmp_path: Path, name: str, env: dict[str, str], index: Path) -> BotProcess:
    logs = tmp_path / name
    logs.mkdir()
    args = ["slack", "--http", "--host", "127.0.0.1", "--port", "0", "--index", str(index)]
    return BotProcess(logs, env, args).wait_ready()


def listed(params: dict) -> list[str]:
    """The NCT IDs an answer lists, in order (each trial's heading line)."""
    heading = re.compile(r"^\*<https://clinicaltrials\.gov/study/NCT\d{8}\|[^>]*>\*  `(NCT\d{8})`")
    return [m for t in texts(params) for m in heading.findall(t)]


def test_a_thread_follow_up_is_answered_in_context_across_a_restart(
    seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path
) -> None:
    env = bot_env(tmp_path, standin.api_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET)
    thread = "1700007000.000100"
    first = start_bot(tmp_path, "first", env, seed_index_dir)
    try:
        assert send_event(first.url, mention(f"<@UBOT> {PREGNANCY}", thread), "EvConv1")[0] == 200
        standin.wait_posts(1)
    finally:
        code, _, err = first.stop()
    assert code == 0, err
    second = start_bot(tmp_path, "second", env, seed_index_dir)  # a deploy between the two messages
    try:
        follow = message(SINGLE_BLIND, "1700007000.000300", "C0001", "channel", thread_ts=thread)
        assert send_event(second.url, follow, "EvConv2")[0] == 200
        # a new thread: the same follow-up words have no previous answer there
        other = message(SINGLE_BLIND, "1700007100.000100", "D0001", "im")
        assert send_event(second.url, other, "EvConv3")[0] == 200
        posts = standin.wait_posts(3)
    finally:
        code, _, err = second.stop()
    assert code == 0, err
    answer = posts[0].params
    # the last two events are answered concurrently: their posts may come in either order
    by_channel = {p.params["channel"]: p.params for p in posts[1:]}
    follow_up, elsewhere = by_channel["C0001"], by_channel["D0001"]
    assert sorted(listed(answer)) == ["NCT00713934", "NCT01218464"]
    assert follow_up["thread_ts"] == thread
    assert "Understood: among the 2 trials of the previous answer" in texts(follow_up)
    assert listed(follow_up) == ["NCT00713934"]
    assert "Understood: among the 2 trials of the previous answer" not in texts(elsewhere)
