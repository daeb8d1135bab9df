"""What every listener needs, built once and passed to each `register(app, services)`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.slack.answerer import Answerer
from bot.slack.feedback import FeedbackStore
from bot.slack.settings import SlackSettings
from bot.slack.state import BotState, StateError

log = logging.getLogger("trialqa.slack")


@dataclass(frozen=True)
class Services:
    answerer: Answerer
    state: BotState
    settings: SlackSettings

    @property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(self.state)

    # The state was checked at start-up. Should it fail later (a full disk), the bot keeps
    # answering and logs each failure: a retry may then be answered twice, but nothing is
    # left unanswered, and an answer is never followed by an apology for a bookkeeping error.

    def first_delivery(self, key: str) -> bool:
        try:
            return self.state.first_delivery(key)
        except StateError:
            log.exception("could not check whether %s was delivered before; answering it", key)
            return True

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        try:
            self.state.remember_thread(channel, thread_ts)
        except StateError:
            log.exception("could not remember the answered thread %s in %s", thread_ts, channel)

    def thread(self, channel: str, thread_ts: str | None) -> ThreadState:
        """Where the conversation of a thread (or of an unthreaded DM) is kept."""
        return ThreadState(self.state, channel, thread_ts or "")

    def answered_thread(self, channel: str, thread_ts: str) -> bool:
        try:
            return self.state.answered_thread(channel, thread_ts)
        except StateError:
            log.exception("could not look up the thread %s in %s", thread_ts, channel)
            return False


@dataclass(frozen=True)
class ThreadState:
    """One thread's conversation in the bot's state. A failure to read it starts a new
    conversation and a failure to write it loses only the context, each logged: the question
    is still answered."""

    state: BotState
    channel: str
    thread_ts: str

    def load(self) -> dict[str, Any] | None:
        try:
            return self.state.get_conversation(self.channel, self.thread_ts)
        except (StateError, ValueError):
            log.exception("could not read the conversation of %s in %s", self.thread_ts, self.channel)
            return None

    def save(self, state: dict[str, Any]) -> None:
        try:
            self.state.put_conversation(self.channel, self.thread_ts, state)
        except (StateError, ValueError):
            log.exception("could not keep the conversation of %s in %s", self.thread_ts, self.channel)
