"""👍 / 👎 on answers, kept in a local SQLite file (one row per user and message: a changed
vote replaces the earlier one)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.text.clean import without_surrogates

_SCHEMA = """
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


@dataclass(frozen=True)
class Feedback:
    at: datetime
    user_id: str
    channel_id: str
    message_ts: str
    vote: str
    question: str
    trials: tuple[str, ...]


class FeedbackStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:  # commits, or rolls back on error
                yield db
        finally:
            db.close()

    def record(
        self,
        *,
        vote: str,
        question: str,
        trials: list[str] | tuple[str, ...],
        user_id: str,
        channel_id: str,
        message_ts: str,
        at: datetime | None = None,
    ) -> Feedback:
        if vote not in ("up", "down"):
            raise ValueError(f"vote must be 'up' or 'down', not {vote!r}")
        # Text from a button's value or a forged payload may hold lone surrogates, which SQLite
        # cannot store as UTF-8: they become U+FFFD.
        fb = Feedback(
            at=(at or datetime.now(UTC)).astimezone(UTC),
            user_id=without_surrogates(user_id),
            channel_id=without_surrogates(channel_id),
            message_ts=without_surrogates(message_ts),
            vote=vote,
            question=without_surrogates(question),
            trials=tuple(trials),
        )
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO feedback (at, user_id, channel_id, message_ts, vote, question, trials) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    fb.at.isoformat(timespec="seconds"),
                    fb.user_id,
                    fb.channel_id,
                    fb.message_ts,
                    fb.vote,
                    fb.question,
                    json.dumps(list(fb.trials)),
                ),
            )
        return fb

    def all(self) -> list[Feedback]:
        with self._lock, self._connect() as db:
            rows = db.execute(
                "SELECT at, user_id, channel_id, message_ts, vote, question, trials FROM feedback ORDER BY id"
            ).fetchall()
        return [
            Feedback(datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6]))) for r in rows
        ]
