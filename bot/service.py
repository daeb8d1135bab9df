"""What the HTTP API and the MCP server answer with: one loaded index behind checked calls.

Each call validates its input at this boundary and raises `BadQuestion` (the message says what
to send instead) or `UnknownTrial`; the front ends turn those into a 422 / 404 or a tool error.
Retrieval itself stays in `index`. One `TrialService` serves many threads: `TrialIndex` loads
what it loads lazily once, under its lock, and follows rebuilds of its directory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from bot.serialize import hit_json
from index import Answer, BadQuestion, Trial, TrialIndex, TrialQAError
from index.facts.constraints import parse_filters
from index.model import NCT_RE
from index.qa import MAX_K, check_k
from index.text.clean import MAX_QUESTION_CHARS, clean_question

MAX_CONVERSATIONS = 1000  # most recently used conversations kept per process
NCT_PATTERN = r"^[Nn][Cc][Tt][0-9]{8}$"  # an NCT ID as a path parameter (any case)
WARM_QUESTION = "which trials use the hepatic artery?"


class UnknownTrial(TrialQAError):
    """A well-formed NCT ID that is not in the index."""


def check_question(text: object, what: str = "question") -> str:
    """The question as the library will search it; `BadQuestion` with the library's message
    when it is not text, empty (after control and invisible characters are taken out) or
    longer than `MAX_QUESTION_CHARS` characters as sent."""
    if not isinstance(text, str):
        raise BadQuestion(f"A {what} must be text.")
    q, problem = clean_question(text)
    if problem is None and len(text) > MAX_QUESTION_CHARS:
        # Padding the library would strip still counts here (the OpenAPI maxLength is on the
        # text as sent); the message is the library's own for a text of this length.
        _, problem = clean_question("x" * len(text))
    if problem:
        raise BadQuestion(problem)
    return q


def check_filters(filters: Sequence[str] | str | None) -> list[str] | None:
    """The filters as given, when every one is readable; `BadQuestion` naming the first that is not."""
    if filters is None:
        return None
    items = [filters] if isinstance(filters, str) else list(filters)
    try:
        parse_filters(items)
    except ValueError as exc:
        raise BadQuestion(str(exc)) from None
    return items or None


def check_nct(nct_id: str) -> str:
    nct = nct_id.strip().upper()
    if not NCT_RE.fullmatch(nct):
        raise BadQuestion(f"{nct_id[:40]!r} is not an NCT ID: NCT and 8 digits, e.g. NCT01724697")
    return nct


class TrialService:
    def __init__(self, index: TrialIndex, max_conversations: int = MAX_CONVERSATIONS) -> None:
        self.index = index
        self.max_conversations = max_conversations
        self._conversations: OrderedDict[str, tuple[Any, threading.Lock]] = OrderedDict()
        self._lock = threading.Lock()
        self._warm = False

    # -- answers -------------------------------------------------------------------------------

    def ask(
        self,
        question: object,
        k: object = 10,
        filters: Sequence[str] | str | None = None,
        conversation_id: str | None = None,
    ) -> Answer:
        """The cited answer (`Answer.to_dict()` is the `ask --json` object). With a
        `conversation_id`, the question is asked in that conversation when the index offers
        conversations (`TrialIndex.conversation()`); otherwise it is answered on its own."""
        q = check_question(question)
        n = check_k(k)
        items = check_filters(filters)
        self._check_named_trials(q)
        conversation = self._conversation(conversation_id)
        if conversation is None:
            return self.index.ask(q, k=n, filters=items)
        asker, lock = conversation
        with lock:  # one question at a time per conversation: each builds on the last
            return asker.ask(q, k=n, filters=items)

    def search(self, query: object, k: object = 10) -> list[dict[str, Any]]:
        """The k best chunks (verbatim text, location, fused / BM25 / dense scores)."""
        q = check_question(query, "query")
        n = check_k(k)
        hits = self.index.search(q, k=n)
        trials = self.index.trials
        return [hit_json(h, trials) for h in hits]

    def trial(self, nct_id: str) -> Trial:
        nct = check_nct(nct_id)
        trials = self.index.trials
        if nct not in trials:
            raise UnknownTrial(f"{nct} is not in the corpus ({len(trials)} trials)")
        return trials[nct]

    def _check_named_trials(self, q: str) -> None:
        """A question naming only trials this index lacks cannot be searched as asked."""
        named = {m.upper() for m in NCT_RE.findall(q.upper())}
        trials = self.index.trials
        if named and not named & trials.keys():
            raise UnknownTrial(f"{', '.join(sorted(named))} is not in this index ({len(trials)} trials).")

    def _conversation(self, conversation_id: str | None) -> tuple[Any, threading.Lock] | None:
        start = getattr(self.index, "conversation", None)
        if conversation_id is None or start is None:  # conversations not offered by this index: stateless
            return None
        with self._lock:
            found = self._conversations.get(conversation_id)
            if found is None:
                found = self._conversations[conversation_id] = (start(), threading.Lock())
                while len(self._conversations) > self.max_conversations:
                    self._conversations.popitem(last=False)
            self._conversations.move_to_end(conversation_id)
            return found

    # -- state ---------------------------------------------------------------------------------

    def warm(self) -> None:
        """Load the query encoder, the trials' facts and the chunks a first question reads."""
        self.index.ask(WARM_QUESTION)
        self._warm = True

    def health(self) -> dict[str, Any]:
        """Whether the index answers, and which generation of it (follows rebuilds)."""
        trials = len(self.index.trials)
        backend = self.index.backend
        return {
            "ok": True,
            "trials": trials,
            "generation": self.index.generation,
            "model": backend.manifest.get("model"),
        }

    def ready(self) -> bool:
        """Warmed up, and the generation it answers from is still on disk."""
        return self._warm and self.index.available()


__all__ = ["MAX_K", "MAX_QUESTION_CHARS", "NCT_PATTERN", "TrialService", "UnknownTrial"]
