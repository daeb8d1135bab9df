"""👍 / 👎 on answers, kept in the bot's state (the `feedback` table of its SQLite file: one row
per user and message, a changed vote replaces the earlier one).

`FeedbackStore` checks and normalises a vote, then hands it to a `BotState`; give it a path to
use that SQLite file directly (scripts, tests).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.slack.state import BotState, Feedback, SQLiteState
from index.text.clean import without_surrogates

__all__ = ["Feedback", "FeedbackStore"]


class FeedbackStore:
    def __init__(self, state: BotState | str | Path) -> None:
        self.state: BotState = SQLiteState(state) if isinstance(state, str | Path) else state

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
        self.state.add_feedback(fb)
        return fb

    def all(self) -> list[Feedback]:
        return self.state.all_feedback()
