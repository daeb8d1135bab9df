"""What the Slack bot remembers, behind one small interface (`BotState`): deliveries seen (so a
retried event is never answered twice, also after a restart), threads answered (so a follow-up
there needs no new mention), 👍 / 👎 feedback, and per-thread conversation state.

`open_state(settings)` is the one place a store is chosen; today that is SQLite in the bot's
database file (`TRIALQA_FEEDBACK_DB`), or Redis when `TRIALQA_REDIS_URL` is set (several
bot replicas sharing one state).
"""

from __future__ import annotations

from bot.slack.settings import SlackSettings
from bot.slack.state.base import BotState, Feedback, Limits, StateError, delivery_key
from bot.slack.state.sqlite import SQLiteState

__all__ = ["BotState", "Feedback", "Limits", "SQLiteState", "StateError", "delivery_key", "open_state"]


def open_state(settings: SlackSettings) -> BotState:
    """The bot's state store for these settings, checked: `StateError` when it cannot be used."""
    limits = Limits(delivery_ttl=settings.delivery_ttl, thread_ttl=settings.thread_ttl)
    if settings.redis_url:
        from bot.slack.state.redis import RedisState

        return RedisState(settings.redis_url, limits)
    try:
        return SQLiteState(settings.feedback_db, limits)
    except StateError as exc:
        raise StateError(f"{exc}; fix it, or set TRIALQA_FEEDBACK_DB to another file") from None
