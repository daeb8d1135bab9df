"""The shared build stages: chunks and their trials, tokens, facts and names, what to embed,
and the records a generation carries."""

from pathlib import Path

import numpy as np

from index.build.files import CorpusFiles, fingerprint
from index.build.stages import (
    UNEMBEDDED,
    BuildSettings,
    Phases,
    chunk_trials,
    counts_record,
    manifest_record,
    sources_record,
    to_embed,
    tokenize_chunks,
    trial_records,
    trial_sources,
)
from index.corpus.loader import LoadError, load_corpus
from index.facts.names import condition_names, name_tokens, trial_facts
from index.text.chunk import chunk_trial
from tests.conftest import CORPUS

TRIALS = load_corpus([CORPUS]).trials


def test_chunks_are_numbered_by_trial_from_the_first_given() -> None:
    chunks, owner = chunk_trials(TRIALS[:2], first=3)
    n0, n1 = len(chunk_trial(TRIALS[0])), len(chunk_trial(TRIALS[1]))
    assert chunks == chunk_trial(TRIALS[0]) + chunk_trial(TRIALS[1])
    assert owner.tolist() == [3] * n0 + [4] * n1 and owner.dtype == np.int64


def test_a_repeated_text_is_tokenized_once_and_progress_is_reported() -> None:
    chunks, _ = chunk_trials(TRIALS[:1])
    twice = [chunks[0], chunks[1], chunks[0]]
    calls: list[tuple[str, int, int]] = []
    tokens = tokenize_chunks(twice, lambda *a: calls.append(a))
    assert tokens[0] is tokens[2] and tokens[0] == tokenize_chunks([chunks[0]])[0]
    assert calls == [("tokenize", 1, 3), ("tokenize", 3, 3)]


def test_trial_records_are_the_fact_layers_records_of_each_trial() -> None:
    calls: list[tuple[str, int, int]] = []
    records = trial_records(TRIALS, lambda *a: calls.append(a))
    assert records.facts == [trial_facts(t) for t in TRIALS]
    assert records.names == [name_tokens(t) for t in TRIALS]
    assert records.conditions == [condition_names(t) for t in TRIALS]
    assert calls == [("facts", 5, 5)]


def test_metadata_sections_get_no_vector() -> None:
    chunks, _ = chunk_trials(TRIALS[:1])
    want = to_embed(chunks)
    assert want.rows.tolist() == [i for i, c in enumerate(chunks) if c.section not in UNEMBEDDED]
    assert want.keys == [chunks[i].key for i in want.rows]
    assert want.texts == {chunks[i].key: chunks[i].embed_text for i in want.rows}
    assert want.key_array.dtype == np.dtype("S40") and want.key_array[0] == want.keys[0].encode()


def test_counts_sources_and_manifest_records() -> None:
    assert counts_record(5, 4, 100, 50, 1, embedded=30, vectors=70) == {
        "files": 5,
        "trials": 4,
        "chunks": 100,
        "terms": 50,
        "errors": 1,
        "embedded": 30,
        "reused": 40,
        "not_embedded": 30,
    }
    files = CorpusFiles({"/c/a.txt": "ab" * 32}, {"/c/a.txt": [3, 7]}, [])
    errors = [LoadError("c/b.txt", "no NCT ID")]
    assert sources_record(files, {"/c/a.txt": "c/a.txt"}, trial_sources(TRIALS[:1]), errors, "/w") == {
        "files": {"/c/a.txt": {"sha256": "ab" * 32, "source": "c/a.txt", "stat": [3, 7]}},
        "trials": [[TRIALS[0].nct_id, TRIALS[0].source]],
        "read_errors": [{"source": "c/b.txt", "reason": "no NCT ID"}],
        "cwd": "/w",
    }
    phases = Phases()
    phases.lap("read")
    m = manifest_record(BuildSettings([Path("c")], "m"), 384, files, {"files": 1}, errors, phases)
    assert list(m) == [
        "model",
        "tokenizer",
        "dim",
        "bm25",
        "fusion",
        "corpus_fingerprint",
        "paths",
        "counts",
        "errors",
        "created",
        "timings",
    ]
    assert (m["model"], m["dim"], m["paths"], m["corpus_fingerprint"]) == ("m", 384, ["c"], fingerprint(files.digests))
    assert m["bm25"]["variant"] == "plus" and m["fusion"]["method"] == "linear" and list(m["timings"]) == ["read"]
