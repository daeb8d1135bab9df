"""The JSON shapes shared by the front ends: a trial, a search hit, the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.serialize import corpus_json, hit_json, trial_json
from index import Corpus, Trial, load_corpus

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
HEPATIC = "NCT01724697"

TRIAL_KEYS = [
    "nct_id",
    "title",
    "sponsor",
    "status",
    "enrollment",
    "min_age_years",
    "max_age_years",
    "masking",
    "allocation",
    "source",
    "format",
    "sections",
    "url",
    "phases",
    "study_type",
    "sex",
    "intervention_model",
    "conditions",
    "interventions",
    "locations",
    "also_sources",
    "warnings",
]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus([CORPUS])


@pytest.fixture(scope="module")
def hepatic(corpus: Corpus) -> Trial:
    return next(t for t in corpus.trials if t.nct_id == HEPATIC)


def test_trial_json_keys_and_fields_for_a_seed_trial(hepatic: Trial) -> None:
    obj = trial_json(hepatic)
    assert list(obj) == TRIAL_KEYS
    assert (obj["nct_id"], obj["format"], obj["source"]) == (HEPATIC, "veeva", "corpus/000_178c2bec843b439b.txt")
    assert obj["title"] == (
        "Safety and Efficacy of Human Bone Marrow Stem Cells for Treatment of HBV-related Liver Cirrhosis"
    )
    assert len(obj["sections"]) == 19
    assert obj["sections"][0] == {"name": "title", "heading": "Title", "field": None, "start": 28, "end": 124}


def test_trial_json_with_texts_adds_each_section_verbatim(hepatic: Trial) -> None:
    sections = trial_json(hepatic, texts=True)["sections"]
    assert sections[0]["text"] == hepatic.title
    assert [s["text"] for s in sections] == [s.text for s in hepatic.sections]


def test_corpus_json_lists_the_five_seed_trials_and_no_errors(corpus: Corpus) -> None:
    obj = corpus_json(corpus)
    assert sorted(t["nct_id"] for t in obj["trials"]) == [
        "NCT00713934",
        "NCT01218464",
        "NCT01724697",
        "NCT03209986",
        "NCT05106972",
    ]
    assert obj["errors"] == []


def test_hit_json_gives_the_location_and_every_score(seed_index) -> None:
    hit = seed_index.search("hepatic artery", k=1)[0]
    obj = hit_json(hit, seed_index.trials)
    assert list(obj) == [
        "nct_id",
        "title",
        "url",
        "section",
        "name",
        "snippet",
        "source",
        "field",
        "start",
        "end",
        "score",
        "bm25",
        "dense",
        "bm25_part",
        "dense_part",
    ]
    assert (obj["nct_id"], obj["url"]) == (HEPATIC, f"https://clinicaltrials.gov/study/{HEPATIC}")
    assert obj["title"] == seed_index.trials[HEPATIC].title
    assert obj["score"] == round(hit.score, 4)
    assert hit_json(hit)["title"] is None
