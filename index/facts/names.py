"""What the answer layer needs of every trial without parsing the whole record: the words
that name it (sponsor and places), its condition names and its facts. Computed once per
trial when the index is written and stored beside the trials (see `index.store.writer`), so a
question over a large index reads only the trials it cites."""

from __future__ import annotations

import re
from typing import Any

from index.facts.conditions import CONDITION_MESH
from index.facts.extract import extract
from index.facts.stored import facts_to_dict
from index.model import Trial
from index.text.tokenize import tokenize

# "xjmsc0001": letters and digits, not "1" or "2012", nor the NCT ID (questions name that as such)
_CODE = re.compile(r"^(?!nct\d{8}$)(?=.*[a-z])(?=.*\d)[a-z0-9]{4,}$")


def name_tokens(t: Trial) -> list[str]:
    """The tokens of the trial's sponsor and locations, and the codes among its identifiers
    (a protocol number such as "XJMSC0001" names the trial), each once, sorted."""
    codes = {tok for sec in t.sections if sec.name == "identifiers" for tok in tokenize(sec.text) if _CODE.match(tok)}
    return sorted(set(tokenize(" ".join([t.sponsor or "", *t.locations]))) | codes)


MESH_PREFIX = "mesh:"  # a condition name that is a MeSH heading the registry gave the record


def condition_names(t: Trial) -> list[str]:
    """The trial's condition names, lower-cased, each once, in order; then its MeSH condition
    terms and their ancestors, each as ``mesh:`` and the heading lower-cased."""
    mesh = [MESH_PREFIX + s.text.lower() for name in CONDITION_MESH for s in t.mesh_named(name)]
    return list(dict.fromkeys([*(c.lower() for c in t.conditions), *mesh]))


def trial_facts(t: Trial) -> dict[str, Any]:
    """The trial's facts as stored (`index.facts.stored.facts_to_dict`)."""
    return facts_to_dict(extract(t))
