"""Domain exceptions. Raised in the library; turned into messages only at the edges."""

from __future__ import annotations


class TrialQAError(Exception):
    """Base class for every error trialqa raises on purpose."""


class CorpusError(TrialQAError):
    """A source file could not be read as a trial record.

    ``source`` names the file and ``reason`` says why, in words a user can act on.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class IndexMissing(TrialQAError):
    """No index exists where one was expected."""


class IndexStale(TrialQAError):
    """The index was built from another corpus, model or format version."""


class IndexCorrupt(TrialQAError):
    """The index files are damaged, foreign or incomplete."""


class BadQuestion(TrialQAError):
    """The question is empty, too long or otherwise unusable."""


class ConfigError(TrialQAError):
    """A setting is missing or invalid (names the variable or flag)."""
