"""`MilvusBackend` offers the `SearchBackend` protocol and answers exactly as the embedded one
over the seeds: the same answers (trials, citations, scores) to the dev questions, both halves
of the seed question set and the seed conversations, in process and through `milvus-lite
server` by URI; the same BM25 and dense top 10."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.errors import IndexMissing
from index.milvus.backend import MilvusBackend
from index.retrieval.bm25 import top_k
from index.text.tokenize import tokenize
from tests.helpers.milvus import answers, conversation_answers, differences, load_milvus_index
from tests.helpers.protocol import backend_gaps

QUERIES = [
    "which trials use the hepatic artery?",
    "bone marrow mononuclear cells",
    "exclusion criteria pregnancy",
    "intravenous infusion of mesenchymal stem cells",
]


def test_answers_match_the_embedded_backend(embedded_answers, milvus_seed_index, parity_questions) -> None:
    """Milvus Lite in this process: every dev question and both halves of the seed set."""
    assert differences(embedded_answers, answers(milvus_seed_index, parity_questions)) == []


def test_conversations_match_the_embedded_backend(
    embedded_conversations, milvus_seed_index, seed_conversations
) -> None:
    assert len(seed_conversations) == 28  # the seed ones of conversations_tune + _test
    assert differences(embedded_conversations, conversation_answers(milvus_seed_index, seed_conversations)) == []


def test_answers_through_milvus_lite_server_match(embedded_answers, milvus_server_index, parity_questions) -> None:
    """`milvus-lite server` as its own process, the index built and searched by URI."""
    assert milvus_server_index.backend.uri.startswith("http://127.0.0.1:")
    assert differences(embedded_answers, answers(milvus_server_index, parity_questions)) == []


def test_conversations_through_milvus_lite_server_match(
    embedded_conversations, milvus_server_index, seed_conversations
) -> None:
    assert differences(embedded_conversations, conversation_answers(milvus_server_index, seed_conversations)) == []


def test_a_second_client_of_the_server_answers_alike(milvus_server, milvus_server_index) -> None:
    """Another process's view: the index loaded by URI as `trialqa ask` loads it."""
    other = load_milvus_index(milvus_server, "seeds")
    q = "which trials use the hepatic artery?"
    assert other.ask(q).to_dict() == milvus_server_index.ask(q).to_dict()
    assert [t.nct_id for t in other.ask(q).trials] == ["NCT01724697"]


def test_hepatic_artery_answer(milvus_seed_index) -> None:
    answer = milvus_seed_index.ask("which trials use the hepatic artery?")
    assert [t.nct_id for t in answer.trials] == ["NCT01724697"]


@pytest.mark.parametrize("query", QUERIES)
def test_bm25_top10_matches(seed_index, milvus_seed_index, query: str) -> None:
    tokens = tokenize(query)
    e_docs, e_vals = seed_index.backend.lexical_matches(tokens)
    m_docs, m_vals = milvus_seed_index.backend.lexical_matches(tokens)
    assert m_docs.tolist() == e_docs.tolist()
    np.testing.assert_allclose(m_vals, e_vals, rtol=0, atol=1e-5)
    e_top, m_top = top_k(e_vals, 10)[0], top_k(m_vals, 10)[0]
    assert m_docs[m_top].tolist() == e_docs[e_top].tolist()
    assert milvus_seed_index.backend.idf(tokens[0]) == seed_index.backend.idf(tokens[0])


@pytest.mark.parametrize("query", QUERIES)
def test_dense_top10_matches(seed_index, milvus_seed_index, query: str) -> None:
    qvec = seed_index.embed_query(query)
    e_rows, e_cos = seed_index.backend.dense(qvec, 10)
    m_rows, m_cos = milvus_seed_index.backend.dense(qvec, 10)
    assert m_rows.tolist() == e_rows.tolist()
    np.testing.assert_allclose(m_cos, e_cos, rtol=0, atol=1e-5)


def test_restricted_searches_match(seed_index, milvus_seed_index) -> None:
    e, m = seed_index.backend, milvus_seed_index.backend
    rows = m.rows_of_trials({"NCT01724697", "NCT00713934"})
    assert rows.tolist() == e.rows_of_trials({"NCT01724697", "NCT00713934"}).tolist()
    tokens = tokenize("autologous stem cell transplantation")
    m_docs, m_vals = m.lexical_matches(tokens, rows)
    e_docs, e_vals = e.lexical_matches(tokens, rows)
    assert (m_docs.tolist(), m_vals.tolist()) == (e_docs.tolist(), e_vals.tolist())
    qvec = seed_index.embed_query("hepatic artery")
    assert m.dense(qvec, 5, rows)[0].tolist() == e.dense(qvec, 5, rows)[0].tolist()
    assert np.array_equal(m.vectors_of(rows[:7]), e.vectors_of(rows[:7]))


def test_stored_records_match(seed_index, milvus_seed_index) -> None:
    e, m = seed_index.backend, milvus_seed_index.backend
    assert (m.n_chunks, m.n_trials) == (e.n_chunks, e.n_trials) == (131, 5)
    assert m.names() == e.names()
    assert list(m.trials()) == list(e.trials())
    for nct in e.trials():
        assert m.trials()[nct] == e.trials()[nct]
        assert m.fact_record(nct) == e.fact_record(nct)
    assert [m.chunk(r) for r in range(m.n_chunks)] == [e.chunk(r) for r in range(e.n_chunks)]
    with pytest.raises(KeyError):
        m.fact_record("NCT00000000")


def test_cli_ask_on_the_milvus_backend(milvus_seed_index, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    argv = ["ask", "--backend", "milvus", "--index", "seeds", "--json", "which trials use the hepatic artery?"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert [t["nct_id"] for t in out["trials"]] == ["NCT01724697"]
    assert out == milvus_seed_index.ask("which trials use the hepatic artery?").to_dict()


def test_satisfies_the_search_backend_protocol(milvus_seed_index) -> None:
    backend = milvus_seed_index.backend
    assert isinstance(backend, MilvusBackend)
    assert backend_gaps(backend) == []
    assert backend.name == "seeds"
    assert backend.manifest["backend"] == "milvus" and backend.manifest["dim"] == 384


def test_unknown_rows_trials_and_terms(milvus_seed_index, milvus_uri: str) -> None:
    m = milvus_seed_index.backend
    with pytest.raises(IndexError, match="no chunk row 131 in Milvus index 'seeds'"):
        m.chunk(131)
    trials = m.trials()
    assert "NCT00000000" not in trials and "NCT01724697" in trials and len(trials) == 5
    with pytest.raises(KeyError):
        trials["NCT00000000"]
    assert m.idf("zzzunknownzzz") == 0.0
    docs, scores = m.lexical_matches(["zzzunknownzzz"])
    assert (docs.tolist(), scores.tolist()) == ([], [])
    assert m.rows_of_trials([]).tolist() == []
    assert m.vectors_of([]).shape == (0, 384)
    with pytest.raises(IndexMissing):
        MilvusBackend(m.client, "not_built", milvus_uri)


def test_a_new_process_answers_from_a_lite_directory_another_built(tmp_path, seed_index) -> None:
    """`trialqa index` and then `trialqa ask` as two processes over one Milvus Lite directory:
    the second finds the collections released and loads them."""
    import os
    import subprocess
    import sys

    from tests.conftest import CORPUS, REPO

    env = dict(os.environ, PYTHONPATH=str(REPO), TRIALQA_MILVUS_URI=str(tmp_path / "lite.db"))
    base = [sys.executable, "-m", "bot.cli"]
    q = "which trials use the hepatic artery?"
    built = subprocess.run([*base, "index", str(CORPUS), "--backend", "milvus", "--index", "two"], env=env, timeout=300)
    assert built.returncode == 0
    asked = subprocess.run(
        [*base, "ask", "--backend", "milvus", "--index", "two", "--json", q],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert json.loads(asked.stdout) == seed_index.ask(q).to_dict()
