"""Structured filters inside Milvus: every constraint key as a filter expression over the
trials' scalar fields gives the embedded backend's answers, the candidates an exact clause
finds are exactly the matching trials, and a fact question fetches only the facts of the
trials it cites."""

from __future__ import annotations

from typing import Any

import pytest

from index.facts.check import check_all
from index.facts.constraints import parse_filters
from index.milvus.backend import MilvusBackend
from index.milvus.filters import Clause, both, clause, lit
from index.qa.identity import Identity
from index.trial_index import TrialIndex

# Every constraint key, alone and combined, some that no trial meets, some no record states.
FILTERS = [
    "status:recruiting", "status:completed", "status:unknown", "phase:2", "phase:1", "phase:3",
    "age>65", "age<18", "age>=18", "age<=30", "max_age<70", "max_age<=60", "min_age>18", "min_age:18", "min_age<20",
    "enrollment>100",
    "enrollment<=50", "enrollment>=240", "sex:female", "sex:all", "sex:male", "allocation:randomized",
    "allocation:non-randomized", "masking:double", "masking:none", "masking:single", "type:interventional",
    "type:observational", "placebo:yes", "placebo:no", "country:China", "country:Iran", 'country:"United States"',
    "country:Korea", "city:xian", "city:Tehran", "route:intravenous", "route:hepatic", 'route:"a%b"', "source:bone",
    "source:umbilical", "source:cord_blood", "condition:cirrhosis", 'condition:"liver cirrhosis"',
    'condition:"spinal cord"', "status:recruiting phase:2", "country:China age>18 placebo:no",
    "phase:2 masking:double allocation:randomized", "condition:cirrhosis route:hepatic",
    "follow_up>365", "follow_up>=24months", "doses>1", "doses:1", "doses>1 follow_up<=72weeks",
]  # fmt: skip
QUESTIONS = [
    "which trials use the hepatic artery?",
    "how many trials are recruiting?",
    "which trials are in China?",
    "compare the cell doses",
    "which trials are double-blind and randomized?",
    "trials for liver cirrhosis with more than 100 patients",
    "which trials enrol patients older than 65?",
    "which phase 2 trials use placebo?",
    "f/u longer than 1 yr?",
    "which give cells more than once",
]


@pytest.mark.parametrize("flt", FILTERS)
def test_filters_give_the_embedded_answers(seed_index, milvus_seed_index, flt: str) -> None:
    for q in ("which trials match?", "which trials use stem cells?", "how many trials match?"):
        assert milvus_seed_index.ask(q, filters=flt).to_dict() == seed_index.ask(q, filters=flt).to_dict()


@pytest.mark.parametrize("q", QUESTIONS)
def test_questions_with_constraints_give_the_embedded_answers(seed_index, milvus_seed_index, q: str) -> None:
    assert milvus_seed_index.ask(q).to_dict() == seed_index.ask(q).to_dict()


def test_within_a_conversation_s_trials(seed_index, milvus_seed_index) -> None:
    within = {"NCT01724697", "NCT01218464"}
    for flt in ("phase:2", "status:recruiting", "condition:cirrhosis"):
        e = seed_index.ask("which trials match?", filters=flt, within=within).to_dict()
        assert milvus_seed_index.ask("which trials match?", filters=flt, within=within).to_dict() == e


@pytest.mark.parametrize("flt", FILTERS)
def test_candidates_are_the_matches(seed_index, milvus_seed_index, flt: str) -> None:
    """An exact filter's candidates are the trials that match, its count of those left out the
    embedded check's; an inexact one's candidates hold every match and every trial left out."""
    constraints = parse_filters(flt)
    facts = Identity.of(seed_index.backend).facts
    verdicts = {nct: check_all(constraints, facts[nct])[0] for nct in seed_index.backend.trials()}
    matched = [n for n, v in verdicts.items() if v]
    unknown = sum(v is None for v in verdicts.values())
    found = milvus_seed_index.backend.filter_trials(constraints, None)
    if all(clause(c, True).exact for c in constraints):
        assert (found.candidates, found.left_out) == (matched, unknown)
    else:
        assert set(matched) <= set(found.candidates)
        assert found.left_out == 0
        assert {n for n, v in verdicts.items() if v is None} <= set(found.candidates)


class CountingClient:
    """A `MilvusClient` that records which trials' facts and records each query fetched."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.filters: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def query(self, collection: str, **kw: Any) -> Any:
        self.filters.append(kw.get("filter", ""))
        return self.client.query(collection, **kw)

    def query_iterator(self, collection: str, **kw: Any) -> Any:
        self.filters.append(kw.get("filter", ""))
        return self.client.query_iterator(collection, **kw)


def test_a_fact_question_fetches_the_facts_of_the_trials_it_cites(milvus_seed_index, milvus_uri: str) -> None:
    counting = CountingClient(milvus_seed_index.backend.client)
    ix = TrialIndex(MilvusBackend(counting, "seeds", milvus_uri), encoder_dir=milvus_seed_index._encoder_dir)
    ix.identity  # noqa: B018 - names and the trial table, before counting
    counting.filters.clear()
    answer = ix.ask("which trials are recruiting?")
    cited = {t.nct_id for t in answer.trials}
    assert cited == {"NCT05106972"}
    facts = [f for f in counting.filters if f.startswith('kind == "facts"')]
    assert facts == [f'kind == "facts" and nct_id in {sorted(cited)}'.replace("'", '"')]
    assert not any(f.startswith('kind == "trial"') for f in counting.filters)


def test_clause_expressions() -> None:
    (c,) = parse_filters("age>65")
    assert clause(c) == Clause(
        "((has_min_age or has_max_age) and (has_max_age == false or max_age > 65.0))", "(has_min_age or has_max_age)"
    )
    (c,) = parse_filters('route:"a%b"')
    assert clause(c) == Clause(None, None, exact=False)
    (c,) = parse_filters("route:hepatic")
    assert clause(c) == Clause('routes like "%hepatic%"', None)
    assert clause(c).possible == 'routes like "%hepatic%"'
    (c,) = parse_filters("country:China")
    assert clause(c, places_fit=False).exact is False
    assert both([None, None]) == "trial >= 0"
    assert lit(["b", "a"]) == '["a", "b"]' and lit('say "hi"') == '"say \\"hi\\""' and lit(3) == "3.0"
