"""Trials and chunks to plain dicts and back."""

from index.corpus.loader import load_corpus
from index.store.serialize import chunk_from_dict, chunk_to_dict, trial_from_dict, trial_to_dict
from index.text.chunk import chunk_trial
from tests.conftest import CORPUS


def test_every_seed_trial_and_chunk_reads_back_equal() -> None:
    for t in load_corpus([CORPUS]).trials:
        assert trial_from_dict(trial_to_dict(t)) == t
        for c in chunk_trial(t):
            assert chunk_from_dict(chunk_to_dict(c)) == c


def test_missing_tuples_and_ages_read_as_empty() -> None:
    t = trial_from_dict({"nct_id": "NCT00000001", "title": "t", "source": "s", "format": "text"})
    assert t.conditions == () and t.sections == () and t.min_age is None and t.max_age is None
