"""Concurrency and load: one index shared by many threads answers exactly as it does alone
(lazy parts loaded once), and 50 signed Slack events arriving at once over HTTP get 50
replies, none twice, each acknowledged within Slack's 3 seconds."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import index.qa.identity
import index.trial_index
from index import TrialIndex
from tests.bot.slack.fakes import mention, send_event, texts
from tests.helpers.reliability import HEPATIC, QUESTIONS, report

THREADS = 8
ROUNDS = 4


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def test_one_index_many_threads_same_answers(seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = TrialIndex.load(seed_index_dir)
    expected = {q: reference.ask(q).to_dict() for q in QUESTIONS}
    expected_hits = [(h.row, round(h.score, 9)) for h in reference.search("portal vein infusion", k=20)]

    created: Counter[str] = Counter()
    extracted: Counter[str] = Counter()
    real_onnx, real_identity, real_read = (
        index.trial_index.OnnxEncoder,
        index.trial_index.Identity,
        index.qa.identity.facts_from_dict,
    )

    def onnx(*args):
        created["encoder"] += 1
        return real_onnx(*args)

    class Identity(real_identity):
        @classmethod
        def of(cls, backend):
            created["identity"] += 1
            return real_identity.of(backend)

    def read_facts(stored):
        extracted[stored["trial"]["nct_id"]] += 1
        time.sleep(0.01)  # widen the window a racing thread would need
        return real_read(stored)

    monkeypatch.setattr(index.trial_index, "OnnxEncoder", onnx)
    monkeypatch.setattr(index.trial_index, "Identity", Identity)
    monkeypatch.setattr(index.qa.identity, "facts_from_dict", read_facts)

    shared = TrialIndex.load(seed_index_dir)  # cold: every lazy part is loaded by the racing threads
    start = threading.Barrier(THREADS)

    def work(n: int) -> list[tuple[str, dict]]:
        start.wait()
        out = []
        for r in range(ROUNDS):
            for q in QUESTIONS[n % 3 :] + QUESTIONS[: n % 3]:  # threads start on different questions
                out.append((q, shared.ask(q).to_dict()))
            if r == 0:
                hits = [(h.row, round(h.score, 9)) for h in shared.search("portal vein infusion", k=20)]
                out.append(("search", {"hits": hits}))
        return out

    t0 = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        results = [r for batch in pool.map(work, range(THREADS)) for r in batch]
    seconds = time.perf_counter() - t0
    answers = [(q, d) for q, d in results if q != "search"]
    assert len(answers) == THREADS * ROUNDS * len(QUESTIONS)
    assert [q for q, d in answers if d != expected[q]] == []
    assert [d["hits"] for q, d in results if q == "search"] == [expected_hits] * THREADS
    assert created == {"encoder": 1, "identity": 1}
    assert set(extracted.values()) == {1} and len(extracted) == 5  # each trial's stored facts read once
    report(
        "one index, 8 threads",
        f"{len(answers)} answers identical to sequential ones, {len(answers) / seconds:.1f} answers/s",
    )


def test_50_concurrent_signed_events_get_50_replies(bot, standin, answerer) -> None:
    n = 50
    asked = {f"1700003000.{i:06d}": QUESTIONS[i % 5] for i in range(n)}
    # what each question lists when asked alone (the first page of five)
    expected = {q: [t.nct_id for t in answerer.index.ask(q).trials][:5] for q in QUESTIONS[:5]}
    assert expected[HEPATIC] == ["NCT01724697"]
    assert expected["Which trials exclude HIV?"] == ["NCT03209986", "NCT00713934"]
    sent_at: dict[str, float] = {}
    acks: dict[str, tuple[int, float]] = {}
    start = threading.Barrier(n)

    def send(i: int, ts: str) -> None:
        start.wait()
        sent_at[ts] = time.monotonic()
        status, _ = send_event(bot.url, mention(f"<@UBOT> {asked[ts]}", ts), f"EvLoad{i:03d}")
        acks[ts] = (status, time.monotonic() - sent_at[ts])

    threads = [threading.Thread(target=send, args=(i, ts)) for i, ts in enumerate(asked)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    posts = standin.wait_posts(n, timeout=300)
    time.sleep(1.0)  # time for a duplicate to show up
    posts = standin.posts()
    assert len(posts) == n
    assert sorted(p.params["thread_ts"] for p in posts) == sorted(asked)  # each answered once
    assert {status for status, _ in acks.values()} == {200}
    ack_times = [sec for _, sec in acks.values()]
    assert max(ack_times) < 3.0  # Slack's rule, under load
    for p in posts:
        listed = re.findall(r"`(NCT\d{8})`", "\n".join(texts(p.params)[1:-1]))
        assert listed == expected[asked[p.params["thread_ts"]]], asked[p.params["thread_ts"]]
    latency = [p.at - sent_at[p.params["thread_ts"]] for p in posts]
    report(
        "50 concurrent signed Slack events (HTTP, loopback)",
        f"50/50 replies, 0 duplicates; reply p50 {percentile(latency, 50):.2f} s, p95 {percentile(latency, 95):.2f} s, "
        f"max {max(latency):.2f} s; ack p95 {percentile(ack_times, 95) * 1000:.0f} ms, "
        f"max {max(ack_times) * 1000:.0f} ms",
    )
