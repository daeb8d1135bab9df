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


class IndexWriteError(TrialQAError):
    """The index could not be written (disk full, no permission); the previous one is intact."""


class BadQuestion(TrialQAError):
    """The question is empty, too long or otherwise unusable."""


class ConfigError(TrialQAError):
    """A setting is missing or invalid (names the variable or flag)."""


class FetchError(TrialQAError):
    """Fetching from the ClinicalTrials.gov API failed (names the URL and the reason).

    ``status`` is the HTTP status when the server answered with an error, else None.
    """

    def __init__(self, message: str, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class EmptyCorpus(ConfigError):
    """The paths given to build an index hold no readable trial record (nothing is written)."""
