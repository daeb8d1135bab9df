"""trialqa's library: readers, the trial model, hybrid retrieval and cited answers."""

# Entry points are imported on first use (PEP 562), so a front end that only asks does not
# load the readers, the build or Milvus: `from index import TrialIndex` works as before.
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Age": "index.model",
    "Answer": "index.results",
    "BadQuestion": "index.errors",
    "Citation": "index.results",
    "ConfigError": "index.errors",
    "Conversation": "index.qa.conversation",
    "ConversationContext": "index.results",
    "Corpus": "index.corpus.loader",
    "CorpusError": "index.errors",
    "EmptyCorpus": "index.errors",
    "Hit": "index.results",
    "IndexCorrupt": "index.errors",
    "IndexMissing": "index.errors",
    "IndexStale": "index.errors",
    "IndexWriteError": "index.errors",
    "LoadError": "index.corpus.loader",
    "MAX_K": "index.qa",
    "Section": "index.model",
    "Trial": "index.model",
    "TrialAnswer": "index.results",
    "TrialIndex": "index.trial_index",
    "TrialQAError": "index.errors",
    "load_corpus": "index.corpus.loader",
    "open_index": "index.opening",
    "read": "index.corpus.readers",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(where), name)
    globals()[name] = value
    return value


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
