"""Updating a Milvus index in place: a trial added, one changed and one removed give the
answers a fresh full build gives (on both backends), with only the changed chunks written
and only new texts embedded; one writer at a time."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from index.build.pipeline import build_index
from index.config import Settings
from index.milvus.client import writer_lock
from index.milvus.update import stored_meta
from index.trial_index import TrialIndex
from tests.conftest import CORPUS
from tests.helpers.milvus import answers, differences, milvus_index

MODEL = "all-MiniLM-L6-v2"
CHANGED = "NCT03209986"  # its route of administration is changed to the hepatic artery
REMOVED = "NCT00713934"
ADDED = "NCT01218464"


def _change(corpus: Path) -> None:
    """Add the fifth seed trial, change the second (peripheral vein -> hepatic artery), remove the third."""
    files = sorted(CORPUS.iterdir())
    shutil.copy(files[4], corpus / files[4].name)
    f = corpus / files[1].name
    f.write_text(f.read_text(encoding="utf-8").replace("peripheral vein", "hepatic artery"), encoding="utf-8")
    (corpus / files[2].name).unlink()


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory, milvus_uri: str, milvus_server: str):
    """(Milvus index updated in place, embedded index updated incrementally, fresh embedded
    build, fresh Milvus build, the NCT ID of each chunk row the Milvus index started with, and
    the `TrialIndex` that read the Milvus index before the update, and the same update made
    through `milvus-lite server` by URI)."""
    d = tmp_path_factory.mktemp("update")
    corpus = d / "corpus"
    corpus.mkdir()
    for f in sorted(CORPUS.iterdir())[:4]:
        shutil.copy(f, corpus / f.name)
    cache = Settings.from_env().data_dir / "cache" / "embeddings"
    first_ix = milvus_index([corpus], milvus_uri, "upd")
    first = first_ix.backend
    first_ix.ask("which trials use the hepatic artery?")  # reads and keeps chunks, terms, names
    before = {r: first.chunk(r).nct_id for r in range(first.n_chunks)}
    build_index([corpus], d / "emb", MODEL, cache_dir=cache)
    milvus_index([corpus], milvus_server, "upd")
    _change(corpus)
    after = milvus_index([corpus], milvus_uri, "upd")
    on_server = milvus_index([corpus], milvus_server, "upd")
    emb_inc, _ = build_index([corpus], d / "emb", MODEL, cache_dir=cache)
    emb_fresh, _ = build_index([corpus], d / "fresh", MODEL, cache_dir=cache)
    mil_fresh = milvus_index([corpus], milvus_uri, "upd_fresh", update=False)
    return after, TrialIndex(emb_inc), TrialIndex(emb_fresh), mil_fresh, before, first_ix, on_server


def test_answers_equal_a_fresh_build_on_both_backends(updated, parity_questions) -> None:
    milvus_updated, embedded_updated, embedded_fresh, milvus_fresh, _, _, _ = updated
    fresh = answers(embedded_fresh, parity_questions)
    assert differences(fresh, answers(milvus_updated, parity_questions)) == []
    # The embedded update keeps the old trials first and adds changed and new ones after, so
    # answers that list trials in index order (facts: "all participants younger than 70")
    # list the same trials with the same citations in another order; Milvus renumbers trials.
    embedded = answers(embedded_updated, parity_questions)
    reordered = differences(fresh, embedded)
    assert reordered == [  # fact answers (ages, conditions as concepts, places) list trials in index order
        "In which trials are all participants younger than 70?",
        "Which trials enrol patients with decompensated cirrhosis?",
        "Which trials have a site in China?",
        "Which trials have an upper age limit below 70?",
        "Which trials study scarring of the liver?",
        "Which trials take place in China?",
    ]
    assert all(_unordered(fresh[q]) == _unordered(embedded[q]) for q in reordered)
    sample = parity_questions[:40]
    assert differences({q: fresh[q] for q in sample}, answers(milvus_fresh, sample)) == []
    hepatic = milvus_updated.ask("which trials use the hepatic artery?")
    assert [t.nct_id for t in hepatic.trials] == [CHANGED, "NCT01724697"]


def _unordered(answer: dict) -> dict:
    return dict(answer, trials=sorted(answer["trials"], key=lambda t: t["nct_id"]))


def test_only_changed_chunks_are_written(updated) -> None:
    milvus_updated, _, embedded_fresh, milvus_fresh, before, _, _ = updated
    b, fresh = milvus_updated.backend, embedded_fresh.backend
    assert (b.n_chunks, b.n_trials) == (fresh.n_chunks, fresh.n_trials)
    assert list(b.trials()) == list(fresh.trials())
    assert REMOVED in before.values() and ADDED not in before.values()
    client = b.client
    rows = {
        e["row"]: e["nct_id"]
        for e in client.query("upd_chunks", filter="row >= 0", output_fields=["nct_id"], limit=1000)
    }
    assert len(rows) == b.n_chunks and REMOVED not in rows.values()
    kept = [r for r in rows if r < len(before)]
    added = [r for r in rows if r >= len(before)]
    assert {rows[r] for r in added} == {ADDED, CHANGED}  # the new trial and the changed chunks of the other
    assert [r for r in kept if rows[r] == CHANGED] and not [r for r in kept if rows[r] == ADDED]
    key = repr
    assert sorted(map(key, (b.chunk(r) for r in rows))) == sorted(
        map(key, (fresh.chunk(r) for r in range(fresh.n_chunks)))
    )
    meta = stored_meta(client, b.cols)
    assert meta is not None and meta["next_row"] == len(before) + len(added)
    counts = meta["manifest"]["counts"]
    assert 0 < counts["embedded"] <= len([r for r in added if rows[r] == CHANGED])
    gone = client.query("upd_records", filter=f'nct_id == "{REMOVED}"', output_fields=["key"])
    assert gone == [] and client.query("upd_trials", filter=f'nct_id == "{REMOVED}"', output_fields=["trial"]) == []
    assert milvus_fresh.backend.n_chunks == b.n_chunks


def test_an_update_of_an_unchanged_corpus_writes_nothing(updated, milvus_uri: str) -> None:
    from index.build.milvus import build_milvus
    from index.milvus.client import connect

    milvus_updated = updated[0]
    paths = [Path(p) for p in milvus_updated.manifest["paths"]]
    client = connect(milvus_uri)
    before = stored_meta(client, milvus_updated.backend.cols)
    again, _ = build_milvus(paths, client, "upd", MODEL, uri=milvus_uri)
    after = stored_meta(client, again.cols)
    assert before is not None and after is not None
    assert after["next_row"] == before["next_row"] and after["next_term"] == before["next_term"]
    q = "which trials use the hepatic artery?"
    assert (
        TrialIndex(again, encoder_dir=milvus_updated._encoder_dir).ask(q).to_dict() == milvus_updated.ask(q).to_dict()
    )


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    uri = str(tmp_path / "milvus.db")
    order: list[str] = []

    def second() -> None:
        with writer_lock(uri):
            order.append("second")

    with writer_lock(uri):
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.5)
        order.append("first")
    t.join(timeout=10)
    assert order == ["first", "second"]
    assert (tmp_path / "milvus.db.writer.lock").exists()
    with writer_lock("http://127.0.0.1:19530"):  # a server: nothing to lock here
        pass


def test_update_keeps_the_collections_consistent(updated) -> None:
    b = updated[0].backend
    terms = b.client.query("upd_terms", filter="id >= 0", output_fields=["term", "df"], limit=16384)
    assert all(e["df"] > 0 for e in terms)
    assert json.dumps(sorted(e["term"] for e in terms)) == json.dumps(sorted(updated[2].backend.bm25.vocab))


def test_a_process_holding_the_index_reads_the_update(updated) -> None:
    """A bot replica loaded the index before the update: its next question sees the update."""
    embedded_fresh, held = updated[2], updated[5]
    old = held.backend
    for q in ("which trials use the hepatic artery?", "which trials are recruiting?", "how many trials are there?"):
        assert held.ask(q).to_dict() == embedded_fresh.ask(q).to_dict()
    assert held.backend is not old and len(held.trials) == 4


def test_an_update_through_milvus_lite_server(updated, parity_questions) -> None:
    embedded_fresh, on_server = updated[2], updated[6]
    assert on_server.backend.uri.startswith("http://127.0.0.1:")
    sample = parity_questions[:60]
    assert differences(answers(embedded_fresh, sample), answers(on_server, sample)) == []
    assert on_server.backend.n_chunks == embedded_fresh.backend.n_chunks
