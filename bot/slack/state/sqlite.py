"""`BotState` in one SQLite file (the bot's database, `TRIALQA_FEEDBACK_DB`): feedback (the table
as it always was), deliveries seen, threads answered, conversation state.

One connection per store, used under a lock; other processes on the same file are serialised
by SQLite's own locking (10 s busy timeout). `first_delivery` is one INSERT .. ON CONFLICT
statement, hence atomic however many threads or processes race on a key. Opening checks the
file (`quick_check`) and makes one real write, so a missing, read-only or damaged database is a
`StateError` at start-up rather than at the first question. Expired rows are pruned, and each
table cut back to its bound, at open and every `prune_every` writes.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.slack.state.base import Feedback, Limits, StateError, conversation_blob

log = logging.getLogger("trialqa.slack.state")

SCHEMA_VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")
BUSY_TIMEOUT = 10.0

# The feedback table exactly as bot/slack/feedback.py created it before the state store existed.
_FEEDBACK = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,              -- ISO 8601, UTC
    user_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    message_ts TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    question TEXT NOT NULL,
    trials TEXT NOT NULL,          -- JSON array of the NCT IDs the answer listed
    UNIQUE (channel_id, message_ts, user_id) ON CONFLICT REPLACE
)
"""

_SCHEMA = [
    _FEEDBACK,
    """CREATE TABLE IF NOT EXISTS state_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS deliveries (
        key TEXT PRIMARY KEY,      -- delivery_key(): event:<event_id>, message:<channel>:<ts>
        expires REAL NOT NULL      -- Unix time; a repeat after it counts as a first delivery
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS deliveries_by_expiry ON deliveries (expires)",
    """CREATE TABLE IF NOT EXISTS threads (
        channel TEXT NOT NULL,
        thread_ts TEXT NOT NULL,
        expires REAL NOT NULL,
        PRIMARY KEY (channel, thread_ts)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS threads_by_expiry ON threads (expires)",
    """CREATE TABLE IF NOT EXISTS conversations (
        channel TEXT NOT NULL,
        thread_ts TEXT NOT NULL,
        value TEXT NOT NULL,       -- a JSON object
        expires REAL NOT NULL,
        PRIMARY KEY (channel, thread_ts)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS conversations_by_expiry ON conversations (expires)",
]

# (table, its key columns, its bound's name in Limits)
_BOUNDED = [
    ("deliveries", "key", "max_deliveries"),
    ("threads", "channel, thread_ts", "max_threads"),
    ("conversations", "channel, thread_ts", "max_conversations"),
]


class SQLiteState:
    def __init__(
        self,
        path: str | Path,
        limits: Limits | None = None,
        *,
        clock: Callable[[], float] = time.time,
        prune_every: int = 256,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        self.path = Path(path)
        self.limits = limits or Limits()
        self._clock = clock
        self._prune_every = max(1, prune_every)
        self._writes = 0
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            if self.path.parent.exists() and not self.path.parent.is_dir():
                raise sqlite3.OperationalError(f"{self.path.parent} is not a directory")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
            self._open()
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise StateError(f"cannot use {self.path} as the bot's database ({_reason(exc)})") from None

    # -- BotState ------------------------------------------------------------------------------

    def first_delivery(self, key: str) -> bool:
        now = self._clock()
        with self._write() as db:
            # Inserted, or an expired row taken over: 1 row changed. A live row: 0.
            cur = db.execute(
                "INSERT INTO deliveries (key, expires) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE deliveries.expires <= ?",
                (_text(key), now + self.limits.delivery_ttl, now),
            )
            return cur.rowcount == 1

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        now = self._clock()
        with self._write() as db:
            db.execute(
                "INSERT INTO threads (channel, thread_ts, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (channel, thread_ts) DO UPDATE SET expires = excluded.expires",
                (_text(channel), _text(thread_ts), now + self.limits.thread_ttl),
            )

    def answered_thread(self, channel: str, thread_ts: str) -> bool:
        with self._read() as db:
            row = db.execute(
                "SELECT 1 FROM threads WHERE channel = ? AND thread_ts = ? AND expires > ?",
                (_text(channel), _text(thread_ts), self._clock()),
            ).fetchone()
        return row is not None

    def add_feedback(self, feedback: Feedback) -> None:
        fb = feedback
        with self._write(prune=False) as db:
            db.execute(
                "INSERT INTO feedback (at, user_id, channel_id, message_ts, vote, question, trials) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    fb.at.isoformat(timespec="seconds"),
                    _text(fb.user_id),
                    _text(fb.channel_id),
                    _text(fb.message_ts),
                    fb.vote,
                    _text(fb.question),
                    json.dumps(list(fb.trials)),
                ),
            )

    def all_feedback(self) -> list[Feedback]:
        with self._read() as db:
            rows = db.execute(
                "SELECT at, user_id, channel_id, message_ts, vote, question, trials FROM feedback ORDER BY id"
            ).fetchall()
        return [
            Feedback(datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6]))) for r in rows
        ]

    def get_conversation(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        with self._read() as db:
            row = db.execute(
                "SELECT value FROM conversations WHERE channel = ? AND thread_ts = ? AND expires > ?",
                (_text(channel), _text(thread_ts), self._clock()),
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def put_conversation(self, channel: str, thread_ts: str, value: Mapping[str, Any]) -> None:
        blob = conversation_blob(value, self.limits)
        now = self._clock()
        with self._write() as db:
            db.execute(
                "INSERT INTO conversations (channel, thread_ts, value, expires) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (channel, thread_ts) DO UPDATE SET value = excluded.value, expires = excluded.expires",
                (_text(channel), _text(thread_ts), blob, now + self.limits.conversation_ttl),
            )

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- upkeep --------------------------------------------------------------------------------

    def prune(self) -> None:
        """Drop expired rows, then cut each table back to its bound (the rows nearest expiry first)."""
        with self._lock:
            self._prune(self._connection())

    def counts(self) -> dict[str, int]:
        """Rows per table, expired ones included (for tests and operators)."""
        with self._read() as db:
            return {
                t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("deliveries", "threads", "conversations", "feedback")
            }

    def _open(self) -> None:
        db = self._connection()
        problems = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError(f"the file is damaged: {problems[0]}")
        # Write-ahead log: a commit is an append, without the two fsyncs of a rollback journal
        # (those put 50 racing deliveries 1.5 s behind in their acks). With synchronous=NORMAL a
        # commit survives the process being killed; a power cut may lose the last few.
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use a write-ahead log (journal mode {mode})")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                db.execute(statement)
            row = db.execute("SELECT value FROM state_meta WHERE name = 'schema'").fetchone()
            if row is not None and int(row[0]) > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"written by a newer trialqa (state schema {row[0]}; this one reads {SCHEMA_VERSION})"
                )
            # A real write each start: a read-only file or directory fails here, not at the first question.
            db.executemany(
                "INSERT OR REPLACE INTO state_meta (name, value) VALUES (?, ?)",
                [("schema", str(SCHEMA_VERSION)), ("opened_at", str(self._clock()))],
            )
            self._prune(db, in_transaction=True)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _prune(self, db: sqlite3.Connection, in_transaction: bool = False) -> None:
        now = self._clock()
        if not in_transaction:
            db.execute("BEGIN IMMEDIATE")
        try:
            for table, key, bound in _BOUNDED:
                db.execute(f"DELETE FROM {table} WHERE expires <= ?", (now,))
                db.execute(
                    f"DELETE FROM {table} WHERE ({key}) IN "
                    f"(SELECT {key} FROM {table} ORDER BY expires DESC LIMIT -1 OFFSET ?)",
                    (getattr(self.limits, bound),),
                )
            if not in_transaction:
                db.execute("COMMIT")
        except BaseException:
            if not in_transaction and db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise StateError(f"the bot's database {self.path} is closed")
        return self._db

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._lock:
                yield self._connection()
        except sqlite3.Error as exc:
            raise StateError(f"cannot read the bot's database {self.path} ({_reason(exc)})") from None

    @contextmanager
    def _write(self, prune: bool = True) -> Iterator[sqlite3.Connection]:
        """One autocommitted statement (atomic on its own); every `prune_every` writes, a prune."""
        try:
            with self._lock:
                db = self._connection()
                yield db
                self._writes += 1
                if prune and self._writes % self._prune_every == 0:
                    try:
                        self._prune(db)
                    except sqlite3.Error as exc:  # the write itself is done: the next prune catches up
                        log.warning("could not prune the bot's database %s (%s)", self.path, _reason(exc))
        except sqlite3.Error as exc:
            raise StateError(f"cannot write the bot's database {self.path} ({_reason(exc)})") from None


def _text(s: str) -> str:
    """`s` storable as UTF-8: lone surrogates (from text that was not UTF-8) become U+FFFD.
    (Not a str, from a forged payload: its str().)"""
    s = s if isinstance(s, str) else str(s)
    return s if s.isascii() else _SURROGATE.sub("\ufffd", s)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc) or type(exc).__name__
