"""What the answer layer needs of every trial without parsing the whole record: the words
that name it (sponsor and places), its condition names and its facts. Computed once per
trial when the index is written and stored beside the trials (see `index.store.writer`), so a
question over a large index reads only the trials it cites."""

from __future__ import annotations

from typing import Any

from index.facts.conditions import CONDITION_MESH
from index.facts.extract import extract
from index.facts.stored import facts_to_dict
from index.model import Trial
from index.text.tokenize import tokenize


def name_tokens(t: Trial) -> list[str]:
    """The tokens of the trial's sponsor and locations, each once, sorted."""
    return sorted(set(tokenize(" ".join([t.sponsor or "", *t.locations]))))


MESH_PREFIX = "mesh:"  # a condition name that is a MeSH heading the registry gave the record


def condition_names(t: Trial) -> list[str]:
    """The trial's condition names, lower-cased, each once, in order; then its MeSH condition
    terms and their ancestors, each as ``mesh:`` and the heading lower-cased."""
    mesh = [MESH_PREFIX + s.text.lower() for name in CONDITION_MESH for s in t.mesh_named(name)]
    return list(dict.fromkeys([*(c.lower() for c in t.conditions), *mesh]))


def trial_facts(t: Trial) -> dict[str, Any]:
    """The trial's facts as stored (`index.facts.stored.facts_to_dict`)."""
    return facts_to_dict(extract(t))
