"""trialqa's library: readers, the trial model, hybrid retrieval and cited answers."""

from index.answer import Answer, Citation, TrialAnswer
from index.corpus import Corpus, LoadError, load_corpus
from index.errors import (
    BadQuestion,
    ConfigError,
    CorpusError,
    EmptyCorpus,
    IndexCorrupt,
    IndexMissing,
    IndexStale,
    IndexWriteError,
    TrialQAError,
)
from index.model import Age, Section, Trial
from index.readers import read
from index.search import Hit
from index.trial_index import TrialIndex

__all__ = [
    "Age",
    "Answer",
    "BadQuestion",
    "Citation",
    "ConfigError",
    "Corpus",
    "CorpusError",
    "EmptyCorpus",
    "Hit",
    "IndexCorrupt",
    "IndexMissing",
    "IndexStale",
    "IndexWriteError",
    "LoadError",
    "Section",
    "Trial",
    "TrialAnswer",
    "TrialIndex",
    "TrialQAError",
    "load_corpus",
    "read",
]
