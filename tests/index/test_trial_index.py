"""The library API over the seed corpus: answers, citations, search, persistence."""

import json
from pathlib import Path

import numpy as np
import pytest

from index import Answer, TrialIndex
from index.evaluation.evaluate import load_questions, run_dev
from index.evaluation.verify import bad_citations, citation_ok
from tests.conftest import CORPUS, HEPATIC_CITATIONS


def test_dev_questions_all_pass(seed_index: TrialIndex, dev_questions: Path) -> None:
    report = run_dev(seed_index.ask, load_questions(dev_questions))
    failed = [(r.id, r.question, r.detail) for r in report.results if not r.passed]
    assert failed == []
    assert len(report.results) == 16


def test_hepatic_artery_answer_is_exact(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trials use the hepatic artery?")
    assert isinstance(a, Answer) and not a.no_answer
    assert [t.nct_id for t in a.trials] == ["NCT01724697"]
    t = a.trials[0]
    assert t.url == "https://clinicaltrials.gov/study/NCT01724697"
    assert [(c.section, c.snippet) for c in t.citations] == HEPATIC_CITATIONS
    c = t.citations[0]
    text = (CORPUS / "000_178c2bec843b439b.txt").read_text(encoding="utf-8")
    assert text[c.start : c.end] == c.snippet and c.field is None
    assert [c.snippet[s:e] for s, e in c.highlights] == ["hepatic", "artery"]


QUESTIONS = [
    "which trials use the hepatic artery?",
    "Which trials exclude HIV?",
    "What dose does the Xijing trial give?",
    "Which trials give cells through the portal vein?",
    "Which trials are double blind?",
    "How many patients did the Beijing 302 Hospital trial enroll?",
    "Which trials measure the Child-Pugh score?",
    "Tell me about NCT05106972",
]


def test_every_citation_verifies(seed_index: TrialIndex) -> None:
    answers = [seed_index.ask(q) for q in QUESTIONS]
    assert sum(len(t.citations) for a in answers for t in a.trials) >= 10
    assert bad_citations(answers) == []


def test_lookups_resolve_the_named_trial(seed_index: TrialIndex) -> None:
    a = seed_index.ask("What dose does the Xijing trial give?")
    assert a.kind == "lookup"
    first = a.trials[0]
    assert first.nct_id == "NCT03209986"
    assert "1x10E6" in first.citations[0].snippet
    b = seed_index.ask("How many patients did the Beijing 302 Hospital trial enroll?")
    assert b.trials[0].nct_id == "NCT01218464"
    assert b.trials[0].citations[0].snippet == "70 estimated patients"


def test_hiv_exclusion(seed_index: TrialIndex) -> None:
    a = seed_index.ask("Which trials exclude HIV?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT03209986"]
    snippets = {t.nct_id: t.citations[0].snippet for t in a.trials}
    assert snippets == {
        "NCT00713934": "HIV, HBV or HCV infection",
        "NCT03209986": "Coinfection with HIV or other viral hepatitis.",
    }


@pytest.mark.parametrize("question", ["", "   ", "?!?", "\x00\x01", "the of and", "x" * 5000])
def test_empty_or_absurd_questions_get_a_helpful_message(seed_index: TrialIndex, question: str) -> None:
    a = seed_index.ask(question)
    assert a.no_answer and a.trials == ()
    assert a.message and len(a.message) < 300


def test_unknown_nct_id_is_reported(seed_index: TrialIndex) -> None:
    a = seed_index.ask("What is the dose in NCT99999999?")
    assert a.no_answer
    assert a.message == "NCT99999999 is not in this index (5 trials)."


def test_search_exposes_both_contributions(seed_index: TrialIndex) -> None:
    hits = seed_index.search("hepatic artery", k=5)
    assert len(hits) == 5
    assert hits[0].chunk.nct_id == "NCT01724697"
    for h in hits:
        assert h.score == pytest.approx(h.bm25_part + h.dense_part)
        assert -1.0 <= h.dense <= 1.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert seed_index.search("hepatic artery", k=0) == []


def test_answer_json_shape(seed_index: TrialIndex) -> None:
    d = seed_index.ask("Which trials exclude HIV?").to_dict()
    assert list(d) == ["question", "no_answer", "trials"]
    t = d["trials"][0]
    assert list(t) == ["nct_id", "title", "url", "score", "citations"]
    assert list(t["citations"][0]) == ["section", "snippet", "source", "field", "start", "end"]
    json.dumps(d)


def test_onnx_query_encoder_matches_the_model(seed_index: TrialIndex) -> None:
    from index.retrieval.embed import OnnxEncoder, SentenceTransformerEncoder

    assert isinstance(seed_index.encoder, OnnxEncoder)
    texts = ["which trials use the hepatic artery?", "Exclusion criteria: HIV, HBV or HCV infection"]
    a = seed_index.encoder.encode(texts)
    b = SentenceTransformerEncoder(seed_index.manifest["model"]).encode(texts)
    assert np.all((a * b).sum(axis=1) > 1 - 1e-3)


def test_rebuild_reuses_vectors_and_detects_changes(seed_index_dir: Path, tmp_path: Path) -> None:
    import shutil

    d = tmp_path / "index"
    shutil.copytree(seed_index_dir, d)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    first = TrialIndex.build([corpus], d)
    assert first.manifest["counts"]["embedded"] == 0  # same chunk texts: nothing re-embedded
    p = corpus / "001_f861453f9ef4fb04.txt"
    p.write_text(p.read_text("utf-8").replace("7. Drug abuse or alcohol abuse", "7. Drug or alcohol abuse"), "utf-8")
    second = TrialIndex.build([corpus], d)
    assert second.manifest["counts"]["embedded"] == 1  # only the changed exclusion chunk
    assert second.manifest["corpus_fingerprint"] != first.manifest["corpus_fingerprint"]
    a = second.ask("Which trials exclude drug or alcohol abuse?")
    assert [t.nct_id for t in a.trials] == ["NCT03209986"]
    assert a.trials[0].citations[0].snippet == "Drug or alcohol abuse"
    assert citation_ok(a.trials[0].citations[0])
