"""trialqa's library: readers, the trial model, hybrid retrieval and cited answers."""

from index.corpus.loader import Corpus, LoadError, load_corpus
from index.corpus.readers import read
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
from index.opening import open_index
from index.qa import MAX_K
from index.qa.conversation import Conversation
from index.results import Answer, Citation, ConversationContext, Hit, TrialAnswer
from index.trial_index import TrialIndex

__all__ = [
    "MAX_K",
    "Age",
    "Answer",
    "BadQuestion",
    "Citation",
    "ConfigError",
    "Conversation",
    "ConversationContext",
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
    "open_index",
    "read",
]
