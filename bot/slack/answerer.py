"""The answerer, built once: the loaded index behind a lock, turning Slack text into messages."""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

from bot.slack.blocks import Message, answer_message, more_message
from bot.slack.mrkdwn import query_text
from bot.slack.settings import TOP_K
from index import Conversation
from index.errors import BadQuestion
from index.results import Answer
from index.trial_index import TrialIndex

log = logging.getLogger(__name__)


class Thread(Protocol):
    """Where one Slack thread's conversation state is kept (`bot.slack.services.ThreadState`)."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, state: dict[str, Any]) -> None: ...


def _stored(thread: Thread) -> dict[str, Any] | None:
    """The thread's state, or None (a new conversation) when it is missing or unreadable."""
    state = thread.load()
    if state is None:
        return None
    try:
        Conversation.check_state(state)
    except ValueError:
        log.warning("a thread's conversation state is unreadable; starting a new conversation")
        return None
    return state


WARM_QUESTION = "which trials use the hepatic artery?"


class Answerer:
    def __init__(self, index: TrialIndex, k: int = TOP_K) -> None:
        self.index = index
        self.k = k
        self._lock = threading.Lock()  # one question at a time through the encoder and the index

    @property
    def trial_count(self) -> int:
        """Trials in the live index (it follows rebuilds: see `TrialIndex`)."""
        return len(self.index.trials)

    def warm(self) -> None:
        """Load everything a first question needs (query encoder, chunks, identity) before serving."""
        self.ask(WARM_QUESTION)

    def ask(self, asked: str) -> Answer:
        """The answer to a question as typed in Slack (markup and entities taken out)."""
        q = query_text(asked)
        try:
            with self._lock:
                return self.index.ask(q, k=self.k)
        except BadQuestion as exc:  # written for the asker: shown (escaped) as the reason
            return Answer(question=q, trials=(), no_answer=True, message=str(exc))

    def ask_in(self, asked: str, thread: Thread) -> Answer:
        """The answer to a question asked in a thread, read as a turn of the thread's
        conversation (kept in the bot's state, so it survives restarts)."""
        q = query_text(asked)
        with self._lock:  # turns of one thread in order; one question at a time through the index
            conversation = self.index.conversation(_stored(thread))
            try:
                answer = conversation.ask(q, k=self.k)
            except BadQuestion as exc:  # the conversation is left as it was
                return Answer(question=q, trials=(), no_answer=True, message=str(exc))
            thread.save(conversation.to_dict())
        return answer

    def reply(
        self, asked: str, *, share: bool = False, shared_by: str | None = None, thread: Thread | None = None
    ) -> Message:
        answer = self.ask(asked) if thread is None else self.ask_in(asked, thread)
        log.info("answered %r: %s", answer.question[:200], [t.nct_id for t in answer.trials] or "no answer")
        return answer_message(answer, asked, corpus_size=self.trial_count, share=share, shared_by=shared_by)

    def more(self, asked: str, start: int) -> Message:
        return more_message(self.ask(asked), asked, start, corpus_size=self.trial_count)
