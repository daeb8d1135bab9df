"""Facts as an index stores them (`facts_to_dict`, `facts_from_dict`: plain JSON-able data,
each citation written once and made again only when read), and `FactIndex`, every trial's
facts extracted or read once on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from index.facts.dose_count import Count
from index.facts.extract import TrialFacts, extract
from index.model import RowMap, Trial, trial_from_dict, trial_to_dict
from index.results import Citation


def facts_to_dict(f: TrialFacts) -> dict[str, Any]:
    """The facts as plain JSON-able data (stored in the index at build time). The trial is
    kept without its sections (its fields are what the checks read); each citation is
    written once and referred to by number."""
    table: list[list[Any]] = []
    seen: dict[Citation, int] = {}

    def ref(c: Citation) -> int:
        i = seen.get(c)
        if i is None:
            i = seen[c] = len(table)
            table.append([c.section, c.name, c.snippet, c.field, c.start, c.end])
        return i

    header = trial_to_dict(f.trial)
    header.pop("sections")
    out: dict[str, Any] = {
        "trial": header,
        "citations": {k: [ref(c) for c in v] for k, v in f.citations.items()},
        "routes": {k: ref(c) for k, c in f.routes.items()},
        "sources": {k: ref(c) for k, c in f.sources.items()},
        "doses": [[d, ref(c)] for d, c in f.doses],
        "placebo": ref(f.placebo) if f.placebo is not None else None,
        "has_arms": f.has_arms,
        "countries": {k: ref(c) for k, c in f.countries.items()},
        "cities": {k: ref(c) for k, c in f.cities.items()},
        "follow_up": [f.follow_up[0], ref(f.follow_up[1])] if f.follow_up else None,
        "dose_counts": [[n.low, n.high, ref(c)] for n, c in f.dose_counts],
    }
    out["cites"] = table
    return out


class _Table:
    """A stored citation table; each citation is made when it is first wanted (a trial
    with a thousand sites has a thousand place citations that a question rarely reads)."""

    def __init__(self, rows: list[list[Any]], source: str) -> None:
        self.rows = rows
        self.source = source
        self.made: dict[int, Citation] = {}

    def __getitem__(self, i: int) -> Citation:
        c = self.made.get(i)
        if c is None:
            r = self.rows[i]
            c = self.made[i] = Citation(
                section=r[0], name=r[1], snippet=r[2], source=self.source, field=r[3], start=r[4], end=r[5]
            )
        return c


def facts_from_dict(d: dict[str, Any]) -> TrialFacts:
    """`TrialFacts` from `facts_to_dict` output (its trial has no sections)."""
    trial = trial_from_dict(d["trial"])
    cites = _Table(d["cites"], trial.source)
    placebo = d.get("placebo")
    follow_up = d["follow_up"]
    return TrialFacts(
        trial,
        citations={k: [cites[i] for i in v] for k, v in d["citations"].items()},
        routes={k: cites[i] for k, i in d["routes"].items()},
        sources={k: cites[i] for k, i in d["sources"].items()},
        doses=[(text, cites[i]) for text, i in d["doses"]],
        placebo=cites[placebo] if placebo is not None else None,
        has_arms=bool(d["has_arms"]),
        countries=RowMap(d["countries"], cites.__getitem__),
        cities=RowMap(d["cities"], cites.__getitem__),
        follow_up=(float(follow_up[0]), cites[follow_up[1]]) if follow_up else None,
        dose_counts=[(Count(lo, hi), cites[i]) for lo, hi, i in d["dose_counts"]],
    )


class Trials(Protocol):
    """Trials by NCT ID (a dict, or an index's trial table)."""

    def __getitem__(self, nct_id: str, /) -> Trial: ...

    def __iter__(self) -> Iterator[str]: ...

    def __len__(self) -> int: ...

    def __contains__(self, nct_id: object, /) -> bool: ...


class FactIndex:
    """Facts of every trial, extracted (or, with ``load``, read from the index) once per
    trial on first use."""

    def __init__(self, trials: Trials, load: Callable[[str], TrialFacts] | None = None) -> None:
        self.trials = trials
        self._load = load or (lambda nct: extract(self.trials[nct]))
        self._facts: dict[str, TrialFacts] = {}
        self._lock = threading.Lock()  # each trial's facts are extracted once, whichever thread asks first

    def __getitem__(self, nct: str) -> TrialFacts:
        found = self._facts.get(nct)
        if found is None:
            with self._lock:
                found = self._facts.get(nct)
                if found is None:
                    found = self._facts[nct] = self._load(nct)
        return found
