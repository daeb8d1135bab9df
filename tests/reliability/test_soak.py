"""Soak: `trialqa slack` (a real process, HTTP mode) answers signed events, slash commands and
buttons without pause; every reply is checked, none may be missing or doubled, and the
process's resident memory is sampled to show it does not drift.

The full soak is `slow` (10 minutes; TRIALQA_SOAK_SECONDS sets it):

    bash scripts/test.sh tests/reliability -m slow

An 8-second version runs with the default suite."""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from index import TrialIndex
from tests.bot.slack.fakes import BOT_TOKEN, SECRET, SlackStandIn, buttons, mention, send_action, send_event, texts
from tests.helpers.reliability import QUESTIONS, report
from tests.reliability.botproc import BotProcess, bot_env

SOAK_SECONDS = float(os.environ.get("TRIALQA_SOAK_SECONDS", "600"))
SHORT_SECONDS = 8.0
IN_FLIGHT = 4  # events sent together in each round
WARM_ROUNDS = 5  # rounds before the first memory sample (caches, allocator)


def listed(params: dict) -> list[str]:
    return re.findall(r"`(NCT\d{8})`", "\n".join(texts(params)[1:-1]))


def take(standin: SlackStandIn, want: set[str], timeout: float = 120) -> list:
    """Wait for chat.postMessage calls in the threads `want`, and remove every call seen so far
    from the stand-in's record (its list would otherwise grow for the whole soak)."""
    standin.wait_for(lambda cs: [1] if want <= {c.params.get("thread_ts") for c in cs} else [], timeout)
    with standin._cond:
        calls, standin.calls[:] = list(standin.calls), []
    return calls


def soak(seconds: float, seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path) -> dict:
    questions = QUESTIONS[:5]
    ix = TrialIndex.load(seed_index_dir)
    expected = {q: [t.nct_id for t in ix.ask(q).trials][:5] for q in questions}
    env = bot_env(tmp_path, standin.api_url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET)
    args = ["slack", "--http", "--host", "127.0.0.1", "--port", "0", "--index", str(seed_index_dir)]
    bot = BotProcess(tmp_path, env, args).wait_ready()
    replies: Counter[str] = Counter()
    samples: list[float] = []
    n = buttons_pressed = 0
    t_end = None
    try:
        t0 = time.monotonic()
        rounds = 0
        while rounds < WARM_ROUNDS or time.monotonic() - t0 < seconds:
            want: dict[str, str] = {}
            senders = []
            for _ in range(IN_FLIGHT):
                ts = f"1700100000.{n:06d}"
                want[ts] = questions[n % len(questions)]
                event = mention(f"<@UBOT> {want[ts]}", ts)
                senders.append(threading.Thread(target=send_event, args=(bot.url, event, f"EvSoak{n}")))
                n += 1
            for s in senders:
                s.start()
            for s in senders:
                s.join(30)
            calls = take(standin, set(want))
            for c in calls:
                if c.method == "chat.postMessage" and c.params.get("thread_ts") in want:
                    ts = c.params["thread_ts"]
                    replies[ts] += 1
                    assert listed(c.params) == expected[want[ts]], want[ts]
            if rounds % 10 == 0:  # a button now and then: 👍 (recorded in SQLite) on the last answer
                last = next(c for c in reversed(calls) if c.method == "chat.postMessage")
                send_action(bot.url, buttons(last.params)["trialqa_feedback_up"], standin.response_url("fb"))
                standin.wait_response("fb")
                buttons_pressed += 1
            rounds += 1
            if rounds == WARM_ROUNDS:
                t0 = time.monotonic()  # the soak proper starts after the warm-up
            if rounds >= WARM_ROUNDS and (not samples or len(samples) < (time.monotonic() - t0) / 5 + 1):
                samples.append(bot.rss_mb())
        t_end = time.monotonic() - t0
        time.sleep(1.0)
        late = take(standin, set())
        replies.update(c.params.get("thread_ts") for c in late if c.method == "chat.postMessage")
        samples.append(bot.rss_mb())
    finally:
        code, _, err = bot.stop()
    assert code == 0, err
    assert len(replies) == n and set(replies.values()) == {1}  # every event answered, once
    return {
        "events": n,
        "buttons": buttons_pressed,
        "seconds": t_end,
        "rss_start": samples[0],
        "rss_end": samples[-1],
        "rss_max": max(samples),
        "rss_quarters": [samples[min(len(samples) - 1, len(samples) * q // 4)] for q in (1, 2, 3)],
    }


def check_and_report(name: str, r: dict, drift_limit_mb: float) -> None:
    drift = r["rss_end"] - r["rss_start"]
    report(
        name,
        f"{r['events']} events + {r['buttons']} buttons in {r['seconds']:.0f} s "
        f"({r['events'] / r['seconds']:.1f}/s), all answered once and exactly; RSS {r['rss_start']:.0f} MiB after "
        f"warm-up, {' / '.join(f'{x:.0f}' for x in r['rss_quarters'])} MiB at each further quarter, "
        f"{r['rss_end']:.0f} MiB at the end (max {r['rss_max']:.0f}): drift {drift:+.1f} MiB",
    )
    assert drift < drift_limit_mb


def test_short_soak(seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path) -> None:
    check_and_report("soak, short (default suite)", soak(SHORT_SECONDS, seed_index_dir, standin, tmp_path), 32)


@pytest.mark.slow
def test_soak(seed_index_dir: Path, standin: SlackStandIn, tmp_path: Path) -> None:
    check_and_report(
        f"soak, {SOAK_SECONDS:.0f} s (TRIALQA_SOAK_SECONDS)", soak(SOAK_SECONDS, seed_index_dir, standin, tmp_path), 64
    )
