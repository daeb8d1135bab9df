"""Answers: from a question to a cited `Answer` (`ask`), given an index's `Identity`."""

from index.qa.ask import ask
from index.qa.identity import Identity
from index.qa.question import MAX_K, check_k

__all__ = ["MAX_K", "Identity", "ask", "check_k"]
