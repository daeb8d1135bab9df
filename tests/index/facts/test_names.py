"""What the build stores of each trial for the answer layer: name tokens, condition names, facts."""

from __future__ import annotations

import json

import pytest

from index.corpus.loader import load_corpus
from index.facts.names import condition_names, name_tokens, trial_facts
from index.model import Trial
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def seeds() -> dict[str, Trial]:
    return {t.nct_id: t for t in load_corpus([CORPUS]).trials}


def test_name_tokens_of_sponsor_and_locations(seeds: dict[str, Trial]) -> None:
    assert name_tokens(seeds["NCT05106972"]) == [
        "asia", "cell", "china", "co", "haikou", "hospit", "ltd", "peopl", "pharmaceut", "regen", "stem",
    ]  # fmt: skip
    assert name_tokens(seeds["NCT01218464"]) == ["302", "beij", "beijing302", "hospit"]  # and a protocol code
    assert name_tokens(seeds["NCT03209986"]) == ["digest", "diseas", "hospit", "xije", "xjmsc0001"]
    assert name_tokens(seeds["NCT01724697"]) == [
        "air", "armi", "forc", "liber", "medic", "militari", "peopl", "universiti",
    ]  # fmt: skip


def test_condition_names_lower_cased_in_order(seeds: dict[str, Trial]) -> None:
    assert condition_names(seeds["NCT01724697"]) == ["liver cirrhosis", "end stage liver disease"]
    assert condition_names(seeds["NCT00713934"]) == ["stem cell transplantation", "cirrhosis"]
    assert condition_names(seeds["NCT03209986"]) == ["liver cirrhosis"]


def test_what_the_index_stores_is_what_these_compute(seeds: dict[str, Trial], seed_index) -> None:
    stored = seed_index.backend.names()
    assert stored["trials"] == ["NCT01724697", "NCT03209986", "NCT00713934", "NCT05106972", "NCT01218464"]
    assert stored["names"] == [name_tokens(seeds[n]) for n in stored["trials"]]
    assert stored["conditions"] == [condition_names(seeds[n]) for n in stored["trials"]]
    for nct, t in seeds.items():
        facts = trial_facts(t)
        assert facts["trial"]["nct_id"] == nct
        assert seed_index.backend.fact_record(nct) == json.loads(json.dumps(facts))  # stored as JSON
