"""Trial identity on the seed index: trials named by sponsor, city or NCT ID, and their
facts read from what the build stored (the backend's `fact_record`)."""

import pytest

from index import TrialIndex
from index.corpus.loader import load_corpus
from index.facts.extract import extract
from index.qa.identity import Identity
from index.qa.question import search_terms
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def identity(seed_index: TrialIndex) -> Identity:
    return Identity.of(seed_index.backend)


@pytest.mark.parametrize(
    ("question", "named", "used"),
    [
        ("What dose does the Xijing trial give?", {"NCT03209986"}, {1}),  # sponsor
        ("How many patients did the Royan Institute trial enroll?", {"NCT00713934"}, {2, 3}),
        ("where is the Haikou trial?", {"NCT05106972"}, {0}),  # a city of its locations
        ("what does the Beijing 302 hospital trial give?", {"NCT01218464"}, {0, 1}),
        ("which hospital trials are there?", set(), set()),  # "hospital": three trials
        ("which trials use stem cells?", {"NCT05106972"}, {0, 1}),  # its sponsor: Asia Stem Cell ...
        ("What dose does the PLA trial give?", {"NCT01724697"}, {1}),  # People's Liberation Army, by its words
        ("seventy yo w/ liver dz - which", set(), set()),  # "dz" stands for one word: no name
    ],
)
def test_trials_named_by_sponsor_or_place(identity: Identity, question: str, named: set[str], used: set[int]) -> None:
    groups, _ = search_terms(question)
    assert identity.named(groups) == (named, used)


def test_one_word_names_a_trial_only_when_few_carry_it(identity: Identity) -> None:
    assert identity.limit == 1
    assert identity.by_token["hospit"] == {"NCT03209986", "NCT05106972", "NCT01218464"}
    assert identity.by_token["xije"] == {"NCT03209986"}


def test_trials_by_nct_id(identity: Identity) -> None:
    t = identity.trial("NCT01724697")
    assert t is not None and t.sponsor == "Air Force Military Medical University of People's Liberation Army"
    assert identity.trial("NCT99999999") is None
    assert identity.expansions("NCT99999999") == {}


def test_facts_come_from_the_stored_records(identity: Identity) -> None:
    for t in load_corpus([CORPUS]).trials:
        stored, fresh = identity.facts[t.nct_id], extract(t)
        assert stored.citations == fresh.citations and stored.routes == fresh.routes
        assert stored.doses == fresh.doses and dict(stored.countries) == dict(fresh.countries)
    assert "liver cirrhosis" in identity.condition_names


def test_naming_words_vote_weighed_by_their_share_of_mentions(identity: Identity) -> None:
    groups, _ = search_terms("what do the stem cells of the Royan trial do?", listing=False)
    assert [g[0] for g in groups] == ["stem", "cell", "royan"]
    assert identity.named(groups) == ({"NCT05106972"}, {0, 1})  # unweighed: two words name Asia Stem Cell

    def share(token: str, owners: set[str]) -> float:
        return {"stem": 0.14, "cell": 0.15}.get(token, 1.0)  # most of their mentions are in other records

    assert identity.named(groups, share) == ({"NCT00713934"}, {2})
    tie, _ = search_terms("the People's Liberation Army hospital in Haikou", listing=False)
    assert identity.named(tie, share)[0] == {"NCT01724697"}  # "people" names both; three words name one
