"""The SQLite bot-state store: atomic `first_delivery` (threads, connections, processes),
expiry and bounds on an injected clock, conversations, the feedback table unchanged, and a
database that cannot be used is a `StateError` when it is opened."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.slack.state import BotState, Feedback, Limits, SQLiteState, StateError, delivery_key
from index.errors import ConfigError
from tests.helpers.files import read_only

THREADS = 8
KEYS = 200


class Clock:
    def __init__(self, t: float = 1_700_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_it_is_a_bot_state(tmp_path: Path) -> None:
    assert isinstance(SQLiteState(tmp_path / "s.sqlite3"), BotState)


def test_delivery_keys_are_ascii_and_unambiguous() -> None:
    assert delivery_key("event", "Ev0123ABC") == "event:Ev0123ABC"
    assert delivery_key("message", "C0001", "1700000000.000100") == "message:C0001:1700000000.000100"
    assert delivery_key("message", "C:1", "2") != delivery_key("message", "C", "1:2")
    assert delivery_key("message", "C\udcff", "1").isascii()
    assert delivery_key("message", "C0001", 1700000000.5) == "message:C0001:1700000000.5"  # a forged payload


def test_text_that_is_not_utf8_or_not_text(tmp_path: Path) -> None:
    s = SQLiteState(tmp_path / "s.sqlite3")
    s.remember_thread("C\udcff", "1.0")
    assert s.answered_thread("C\ufffd", "1.0") and s.answered_thread("C\udcff", "1.0")
    s.remember_thread("C1", 1.5)  # type: ignore[arg-type]
    assert s.answered_thread("C1", "1.5")
    assert s.first_delivery("event:\udcff") and not s.first_delivery("event:\udcff")


def race(fn, keys: list[str], threads: int = THREADS) -> Counter[str]:
    """`fn(key)` for every key from `threads` threads at once; how many Trues each key got."""
    wins: Counter[str] = Counter()
    lock, start = threading.Lock(), threading.Barrier(threads)

    def work(i: int) -> None:
        f = fn(i)
        start.wait()
        for k in keys:
            if f(k):
                with lock:
                    wins[k] += 1

    ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return wins


def test_first_delivery_is_atomic_under_8_threads_sharing_a_store(tmp_path: Path) -> None:
    s = SQLiteState(tmp_path / "s.sqlite3")
    keys = [delivery_key("event", f"Ev{i}") for i in range(KEYS)]
    wins = race(lambda i: s.first_delivery, keys)
    assert wins == Counter(dict.fromkeys(keys, 1))


def test_first_delivery_is_atomic_under_8_threads_each_with_its_own_connection(tmp_path: Path) -> None:
    stores = [SQLiteState(tmp_path / "s.sqlite3") for _ in range(THREADS)]
    keys = [delivery_key("message", "C0001", f"1700000000.{i:06d}") for i in range(KEYS)]
    wins = race(lambda i: stores[i].first_delivery, keys)
    assert wins == Counter(dict.fromkeys(keys, 1))


def _claim(path: str, keys: list[str], start, out) -> None:
    s = SQLiteState(path)
    start.wait()
    won = []
    for k in keys:
        if s.first_delivery(k):
            won.append(k)
        time.sleep(0.002)  # deliveries arrive over time: let the other process in
    out.put(won)


def test_first_delivery_is_atomic_across_two_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite3")
    SQLiteState(path).close()
    keys = [delivery_key("event", f"EvP{i}") for i in range(KEYS)]
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    # One walks the keys forwards, the other backwards: they meet, and race, in the middle.
    procs = [ctx.Process(target=_claim, args=(path, order, start, out)) for order in (keys, keys[::-1])]
    for p in procs:
        p.start()
    claimed = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert sorted(claimed[0] + claimed[1]) == sorted(keys)  # every key claimed once, by one process
    assert all(claimed), "both processes should have won some keys (they ran at once)"


def test_deliveries_survive_a_reopen_and_expire_after_the_ttl(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "s.sqlite3"
    s = SQLiteState(path, Limits(delivery_ttl=7200), clock=clock)
    assert s.first_delivery("event:Ev1")
    s.close()
    clock.t += 7199
    s = SQLiteState(path, Limits(delivery_ttl=7200), clock=clock)  # a restart
    assert s.first_delivery("event:Ev1") is False  # a retry an hour later: still a repeat
    clock.t += 1
    assert s.first_delivery("event:Ev1") is True  # the retry window is over: new again
    assert s.first_delivery("event:Ev1") is False
    with pytest.raises(StateError, match=r"is closed$"):
        s.close() or s.first_delivery("event:Ev2")


def test_expired_rows_are_pruned_and_each_table_is_bounded(tmp_path: Path) -> None:
    clock = Clock()
    limits = Limits(delivery_ttl=100, thread_ttl=1000, max_deliveries=5, max_threads=3, max_conversations=2)
    s = SQLiteState(tmp_path / "s.sqlite3", limits, clock=clock, prune_every=1_000_000)
    for i in range(20):
        clock.t += 1
        s.first_delivery(f"event:{i}")
        s.remember_thread("C1", f"{i}.0")
        s.put_conversation("C1", f"{i}.0", {"turn": i})
    assert s.counts() == {"deliveries": 20, "threads": 20, "conversations": 20, "feedback": 0}
    s.prune()  # the newest of each are kept
    assert s.counts() == {"deliveries": 5, "threads": 3, "conversations": 2, "feedback": 0}
    assert [s.answered_thread("C1", f"{i}.0") for i in (16, 17, 18, 19)] == [False, True, True, True]
    assert [s.get_conversation("C1", f"{i}.0") for i in (17, 18, 19)] == [None, {"turn": 18}, {"turn": 19}]
    assert s.first_delivery("event:19") is False and s.first_delivery("event:14") is True
    clock.t += 100
    s.prune()  # every delivery expired: all gone; the threads live on
    assert s.counts()["deliveries"] == 0 and s.counts()["threads"] == 3
    clock.t += 1000
    assert s.answered_thread("C1", "19.0") is False  # expired, even before a prune removes it
    s.prune()
    assert s.counts() == {"deliveries": 0, "threads": 0, "conversations": 2, "feedback": 0}
    clock.t += limits.conversation_ttl
    s.prune()
    assert s.counts() == {"deliveries": 0, "threads": 0, "conversations": 0, "feedback": 0}


def test_pruning_happens_as_it_writes(tmp_path: Path) -> None:
    s = SQLiteState(tmp_path / "s.sqlite3", Limits(max_deliveries=10), clock=Clock(), prune_every=7)
    for i in range(100):
        s.first_delivery(f"event:{i}")
        assert s.counts()["deliveries"] <= 10 + 7
    assert s.first_delivery("event:99") is False


def test_threads_refresh_and_expire(tmp_path: Path) -> None:
    clock = Clock()
    s = SQLiteState(tmp_path / "s.sqlite3", Limits(thread_ttl=30 * 86400), clock=clock)
    s.remember_thread("C1", "1.0")
    clock.t += 29 * 86400
    assert s.answered_thread("C1", "1.0")
    s.remember_thread("C1", "1.0")  # answered again: another 30 days
    clock.t += 29 * 86400
    assert s.answered_thread("C1", "1.0") and not s.answered_thread("C1", "2.0")
    clock.t += 86400
    assert not s.answered_thread("C1", "1.0")


def test_conversations(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "s.sqlite3"
    s = SQLiteState(path, Limits(conversation_ttl=3600, max_conversation_bytes=200), clock=clock)
    assert s.get_conversation("C1", "1.0") is None
    value = {"turns": [{"q": "which trials exclude HIV?", "trials": ["NCT03209986"]}], "lang": "日本語\udcff"}
    s.put_conversation("C1", "1.0", value)
    s.put_conversation("C1", "2.0", {"other": True})
    s.close()
    s = SQLiteState(path, Limits(conversation_ttl=3600, max_conversation_bytes=200), clock=clock)
    assert s.get_conversation("C1", "1.0") == value  # JSON keeps the surrogate as \udcff
    s.put_conversation("C1", "1.0", {"turns": []})  # replaced
    assert (s.get_conversation("C1", "1.0"), s.get_conversation("C1", "2.0")) == ({"turns": []}, {"other": True})
    clock.t += 3600
    assert s.get_conversation("C1", "1.0") is None
    with pytest.raises(ValueError, match="must be a JSON object"):
        s.put_conversation("C1", "1.0", ["not", "an", "object"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be JSON"):
        s.put_conversation("C1", "1.0", {"when": datetime.now(UTC)})
    with pytest.raises(ValueError, match=r"over the 200-byte limit"):
        s.put_conversation("C1", "1.0", {"x": "y" * 300})


def test_feedback_table_is_the_one_it_always_was(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with sqlite3.connect(path) as db:  # a database written before the state store existed
        db.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL, "
            "channel_id TEXT NOT NULL, message_ts TEXT NOT NULL, "
            "vote TEXT NOT NULL CHECK (vote IN ('up', 'down')), question TEXT NOT NULL, trials TEXT NOT NULL, "
            "UNIQUE (channel_id, message_ts, user_id) ON CONFLICT REPLACE)"
        )
        db.execute(
            "INSERT INTO feedback (at, user_id, channel_id, message_ts, vote, question, trials) "
            "VALUES ('2026-01-02T03:04:05+00:00', 'U1', 'C1', '1.1', 'up', 'q?', '[\"NCT01724697\"]')"
        )
    s = SQLiteState(path)
    t = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert s.all_feedback() == [Feedback(t, "U1", "C1", "1.1", "up", "q?", ("NCT01724697",))]
    s.add_feedback(Feedback(t, "U1", "C1", "1.1", "down", "q?", ("NCT01724697",)))  # a changed vote replaces it
    assert [f.vote for f in s.all_feedback()] == ["down"]
    with sqlite3.connect(path) as db:
        (ddl,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'feedback'").fetchone()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "UNIQUE (channel_id, message_ts, user_id) ON CONFLICT REPLACE" in ddl
    assert tables == {"feedback", "state_meta", "deliveries", "threads", "conversations"}


# -- a database that cannot be used: StateError (a ConfigError) when opened -------------------


def test_a_read_only_database_is_an_error_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    SQLiteState(path).close()
    with read_only(path), pytest.raises(StateError) as e:
        SQLiteState(path)
    assert str(e.value) == f"cannot use {path} as the bot's database (attempt to write a readonly database)"
    assert isinstance(e.value, ConfigError)


def test_a_read_only_directory_is_an_error_when_opened(tmp_path: Path) -> None:
    d = tmp_path / "ro"
    d.mkdir()
    SQLiteState(d / "s.sqlite3").close()
    with read_only(d), pytest.raises(StateError, match=r"^cannot use .*/ro/s\.sqlite3 as the bot's database \("):
        SQLiteState(d / "s.sqlite3")  # the file is writable, but its journal cannot be created
    with read_only(d), pytest.raises(StateError, match=r"^cannot use .*/ro/new\.sqlite3 as the bot's database \("):
        SQLiteState(d / "new.sqlite3")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_bytes(b"this is not a database\n" * 200), "file is not a database"),
        (lambda p: p.mkdir(), "unable to open database file"),
        (lambda p: p.parent.joinpath("file").write_text("x"), "FILE is not a directory"),
    ],
    ids=["garbage", "a-directory", "parent-is-a-file"],
)
def test_an_unusable_path_is_an_error_when_opened(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "s.sqlite3"
    make(path)
    if reason.startswith("FILE"):
        path, reason = tmp_path / "file" / "s.sqlite3", reason.replace("FILE", str(tmp_path / "file"))
    with pytest.raises(StateError) as e:
        SQLiteState(path)
    assert str(e.value) == f"cannot use {path} as the bot's database ({reason})"


def test_a_damaged_database_is_an_error_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    s = SQLiteState(path)
    for i in range(12):  # a few dozen pages
        s.put_conversation("C0001", f"1700000000.{i:06d}", {"text": f"{i} " * 10_000})
    s.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    page = 4096 * (len(data) // 4096 // 2)  # a page in the middle: the header is intact
    data[page : page + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(StateError, match=r"^cannot use .* as the bot's database \((the file is damaged|database disk)"):
        SQLiteState(path)


def test_a_write_failing_later_is_a_state_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    s = SQLiteState(path, busy_timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock for too long
    try:
        with pytest.raises(StateError, match=r"^cannot write the bot's database .*s\.sqlite3 \(database is locked\)$"):
            s.first_delivery("event:Ev1")
        assert s.answered_thread("C1", "1.0") is False  # reads still work (write-ahead log)
    finally:
        other.execute("ROLLBACK")
    assert s.first_delivery("event:Ev1") is True


# The store as the listeners use it (dedupe, answered threads).


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
