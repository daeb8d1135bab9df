"""`SearchBackend`: what retrieval and answers need of an index, whatever stores it.

The embedded backend (`index.store.reader.EmbeddedBackend`) implements it over plain files;
a distributed engine implements the same protocol. Every caller (hybrid search, answers,
`TrialIndex`) goes through it: nothing reaches past it to a concrete backend.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from index.facts.constraint import Constraint
from index.model import Trial
from index.text.chunk import Chunk


class SearchBackend(Protocol):
    @property
    def manifest(self) -> dict[str, Any]: ...

    @property
    def n_chunks(self) -> int: ...

    @property
    def n_trials(self) -> int: ...

    def chunk(self, row: int) -> Chunk:
        """The chunk at a row (0 <= row < n_chunks)."""
        ...

    def lexical_matches(self, tokens: Sequence[str], rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """BM25 over all chunks, or over ``rows`` (sorted, unique): the rows that contain a query
        term (sorted) and their scores above what a chunk without any query term gets."""
        ...

    def idf(self, token: str) -> float:
        """The BM25 idf of a token (0 for unknown tokens)."""
        ...

    def dense(self, vector: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and cosines of the k chunks nearest the unit vector, best first; ``rows``
        (sorted, unique) restricts the search to those chunks."""
        ...

    def vectors_of(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Each row's float32 vector (zeros for chunks without one)."""
        ...

    def rows_of_trials(self, nct_ids: set[str] | Sequence[str]) -> np.ndarray:
        """Rows of every chunk of the named trials."""
        ...

    def trials(self) -> Mapping[str, Trial]:
        """The trials by NCT ID in index order (a trial is parsed when first read)."""
        ...

    def names(self) -> dict[str, Any]:
        """``trials`` (NCT IDs in trial order), ``names`` (each trial's name tokens) and
        ``conditions`` (each trial's condition names), as the build stored them."""
        ...

    def fact_record(self, nct_id: str) -> dict[str, Any]:
        """The trial's stored facts as the build handed them to the writer (KeyError for an
        unknown trial); `index.facts` turns them back into `TrialFacts`."""
        ...


@dataclass(frozen=True)
class FilteredTrials:
    """What a backend's own filter found: ``candidates``, the trials (NCT IDs in index order)
    that may satisfy every constraint, to be checked against their facts; ``left_out``, how
    many other trials satisfy none less but leave one unstated (counted by the backend)."""

    candidates: list[str]
    left_out: int = 0


@runtime_checkable
class FiltersTrials(Protocol):
    """A backend that runs the structured filters itself (Milvus: a filter expression over
    each trial's scalar fields), so only the candidates' facts are read. Without it every
    trial's facts are checked."""

    def filter_trials(self, constraints: Sequence[Constraint], within: Collection[str] | None) -> FilteredTrials:
        """Candidates among all trials (or those in ``within``) for the constraints; their
        facts are fetched together, so checking them reads nothing more."""
        ...


@runtime_checkable
class PrefetchesTrials(Protocol):
    """A backend that reads trial records from afar (Milvus): a question's candidate trials
    are fetched together rather than one at a time as they are read."""

    def prefetch_trials(self, nct_ids: Collection[str]) -> None: ...


@runtime_checkable
class ScoresRows(Protocol):
    """A backend whose `lexical_matches` returns only the best matches (Milvus: a search has a
    result limit): hybrid search asks it for the exact BM25 scores of the other candidates."""

    def lexical_scores(self, tokens: Sequence[str], rows: np.ndarray) -> np.ndarray:
        """Each row's BM25 score above the per-term constant (0 for a row without a query term)."""
        ...
