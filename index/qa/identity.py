"""What the answer layer knows of each trial besides its chunks: the words that name it, the
abbreviations it defines, its facts and the corpus's condition names."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Sequence

from index.facts.extract import TrialFacts
from index.facts.names import MESH_PREFIX
from index.facts.stored import FactIndex, Trials, facts_from_dict
from index.model import Trial
from index.qa.question import Groups
from index.retrieval.backend import SearchBackend
from index.text.abbrev import expansions
from index.text.vocabulary import vocabulary
from index.text.vocabulary.concepts import Concepts, concepts

NameShare = Callable[[str, set[str]], float]  # (token, trials it names) -> its weight as a name
MIN_NAME_SHARE = 0.5  # a word names trials when at least this share of its mentions lie in them


class Identity:
    """Who each trial is: the words that name it (sponsor, places: a question word names
    trials when few trials carry it, so "hospital" names none and "Xijing" names one), the
    abbreviations it defines, its facts and the corpus's condition names."""

    def __init__(
        self,
        trials: Trials,
        facts: FactIndex,
        names: Sequence[Sequence[str]],
        conditions: Sequence[Sequence[str]],
    ) -> None:
        """``names`` and ``conditions``: each trial's (`index.facts.names`), in the order of
        ``trials``, as an index stores them (see `of`)."""
        self.trials = trials
        self.facts = facts
        self._abbr: dict[str, dict[str, set[str]]] = {}
        self._abbr_lock = threading.Lock()  # one index answers from many threads (Slack, servers)
        self.by_token: dict[str, set[str]] = defaultdict(set)
        for nct, toks in zip(trials, names, strict=True):
            for tok in toks:
                self.by_token[tok].add(nct)
        self.limit = max(1, int(0.02 * len(trials)))
        all_names: set[str] = {c for cs in conditions for c in cs}
        self.condition_names = {c for c in all_names if not c.startswith(MESH_PREFIX)}
        self.mesh_names = {c[len(MESH_PREFIX) :] for c in all_names if c.startswith(MESH_PREFIX)}
        self._concepts: Concepts | None = None

    @property
    def concepts(self) -> Concepts:
        """The condition concepts questions may name: the packaged table's and the MeSH
        headings of this corpus's records, knowing which ones its trials have (made on first use)."""
        if self._concepts is None:
            self._concepts = concepts().for_corpus(self.mesh_names, self.condition_names)
        return self._concepts

    @classmethod
    def of(cls, backend: SearchBackend) -> Identity:
        """The identity of an index's trials from what its build stored: no trial is parsed."""
        stored = backend.names()
        trials = backend.trials()

        def load(nct: str) -> TrialFacts:
            return facts_from_dict(backend.fact_record(nct))

        return cls(trials, FactIndex(trials, load=load), stored["names"], stored["conditions"])

    def _named_by_long_form(self, token: str) -> set[str]:
        """The trials whose names carry every word of what an abbreviation no name carries
        stands for ("PLA": People's Liberation Army), `Vocabulary.equivalents`."""
        words = vocabulary().equivalents(token) - {token}
        if len(words) < 2 or not all(w in self.by_token for w in words):  # a name of words, not "dz": disease
            return set()
        return set.intersection(*(self.by_token[w] for w in words))

    def trial(self, nct: str) -> Trial | None:
        """The trial, or None for an NCT ID the index does not hold."""
        if nct not in self.trials:  # the trial table has no .get
            return None
        return self.trials[nct]

    def expansions(self, nct: str) -> dict[str, set[str]]:
        """Abbreviations the trial defines, computed once per trial."""
        found = self._abbr.get(nct)
        if found is None:
            with self._abbr_lock:
                found = self._abbr.get(nct)
                if found is None:
                    t = self.trial(nct)
                    found = self._abbr[nct] = expansions(t) if t else {}
        return found

    def named(self, groups: Groups, share: NameShare | None = None, every: bool = False) -> tuple[set[str], set[int]]:
        """The trials the question's words name and the indices of the groups that named them.

        A word names the few trials whose sponsor or places carry it. When the naming words
        disagree ("the cells of the Air Force trial": "cell" is in Asia Stem Cell's name too),
        the trials named by the most weight win; ``share(token, owners)`` weighs a word by the
        share of its mentions in the whole corpus that lie in its owners' records, so a word all
        records use ("cell") names nothing and a proper name ("Royan") names its trial. With
        ``every`` ("Xijing, Beijing 302, Air Force - which of those ..."), every trial named."""
        votes: dict[str, float] = defaultdict(float)
        naming: list[tuple[int, set[str]]] = []
        for i, g in enumerate(groups):
            owners = self.by_token.get(g[0], set()) or self._named_by_long_form(g[0])
            if not 0 < len(owners) <= self.limit:
                continue
            weight = 1.0 if share is None else share(g[0], owners)
            if weight < MIN_NAME_SHARE:
                continue
            naming.append((i, owners))
            for nct in owners:
                votes[nct] += weight
        if not votes:
            return set(), set()
        top = 0.0 if every else max(votes.values())
        hits = {nct for nct, v in votes.items() if v >= top - 1e-9}
        return hits, {i for i, owners in naming if owners & hits}
