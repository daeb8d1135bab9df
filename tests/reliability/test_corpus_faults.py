"""Corpus faults: unreadable, oddly encoded, truncated, huge, looping, duplicated or missing
files, and an empty corpus. Each bad file is a clear error; the rest is indexed; an existing
index is never replaced by an empty one."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from index import EmptyCorpus, TrialIndex, load_corpus
from index.corpus.readers import MAX_FILE_BYTES
from index.evaluation.verify import bad_citations
from tests.conftest import CORPUS
from tests.helpers.reliability import HEPATIC, answers_hepatic, live_generation, report, run_cli

SEEDS = ["NCT01724697", "NCT03209986", "NCT00713934", "NCT05106972", "NCT01218464"]
LATIN1 = (
    "NCT09000001 Café note\n\nSummary:\nPatients with cirrhosis receive naïve cells via the saphenous vein (±5%).\n"
)
UTF16 = "NCT09000002 UTF-16 note\n\nSummary:\nPatients receive menstrual blood cells through the spleen.\n"


def make_unreadable(path: Path) -> str:
    """A file the reader cannot read (as root, chmod 000 is no obstacle: /proc/self/mem is,
    a regular file whose reads fail); returns the expected reason."""
    if os.geteuid() != 0:
        path.write_text("NCT09000009 hidden note", encoding="utf-8")
        path.chmod(0)
        return "cannot read file (Permission denied)"
    if not Path("/proc/self/mem").exists():
        pytest.skip("running as root without /proc: no file that root cannot read")
    path.symlink_to("/proc/self/mem")
    return "cannot read file (Input/output error)"


@pytest.fixture
def faulty(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """The five seeds plus one file of each kind of fault; the errors expected, in walk order."""
    d = tmp_path / "faulty"
    shutil.copytree(CORPUS, d)
    (d / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (d / "utf16.txt").write_bytes(UTF16.encode("utf-16"))  # with its BOM
    (d / "truncated.json").write_text(
        '{"protocolSection": {"identificationModule": {"nctId": "NCT09000003", "briefTitle": "Trunc', encoding="utf-8"
    )
    (d / "truncated.xml").write_text(
        '<?xml version="1.0"?>\n<clinical_study><id_info><nct_id>NCT09000004</nct_id></id_info><brief_title>Trunc',
        encoding="utf-8",
    )
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"NCT09000005\x00\x01\x02" * 100)
    os.mkfifo(d / "pipe.txt")  # reading it would wait for ever
    (d / "loop.txt").symlink_to("loop.txt")
    (d / "sub").mkdir()
    (d / "sub" / "back").symlink_to("..")
    (d / "zz_duplicate.txt").write_bytes((CORPUS / "000_178c2bec843b439b.txt").read_bytes())
    unreadable = make_unreadable(d / "unreadable.txt")
    errors = [
        (str(d / "loop.txt"), "broken or looping symbolic link"),
        (str(d / "pipe.txt"), "not a regular file (a FIFO, socket or device): not read"),
        (str(d / "sub" / "back"), "directory already visited (symbolic link loop)"),
        (str(d / "binary.txt"), "binary content (NUL bytes), not a text, JSON or XML record"),
        (str(d / "empty.txt"), "file is empty"),
        (str(d / "truncated.json"), "truncated JSON at line 1 column 85: Unterminated string starting at"),
        (str(d / "truncated.xml"), "truncated XML at line 2 column 82: no element found"),
        (str(d / "unreadable.txt"), unreadable),
    ]
    return d, errors


def test_bad_files_are_clear_errors_and_the_rest_is_read(faulty) -> None:
    d, errors = faulty
    corpus = load_corpus([d])
    assert sorted((e.source, e.reason) for e in corpus.errors) == sorted(errors)
    assert [t.nct_id for t in corpus.trials] == [*SEEDS, "NCT09000001", "NCT09000002"]
    latin, utf16 = corpus.trials[-2:]
    assert [s.text for s in latin.sections] == [
        "NCT09000001 Café note",
        "Patients with cirrhosis receive naïve cells via the saphenous vein (±5%).",
    ]
    assert [s.text for s in utf16.sections][-1] == "Patients receive menstrual blood cells through the spleen."
    first = corpus.get("NCT01724697")
    assert (first.source, first.also_sources) == (str(d / "000_178c2bec843b439b.txt"), (str(d / "zz_duplicate.txt"),))


def test_a_file_removed_between_listing_and_reading_is_an_error(tmp_path: Path) -> None:
    d = tmp_path / "racy"
    shutil.copytree(CORPUS, d)
    victim = d / "003_f4fa15020fc67282.txt"

    def remove_after_first(done: int, total: int) -> None:
        if done == 1:
            victim.unlink()

    corpus = load_corpus([d], progress=remove_after_first)
    gone = "cannot read file (No such file or directory)"
    assert [(e.source, e.reason) for e in corpus.errors] == [(str(victim), gone)]
    assert len(corpus.trials) == 4


def test_faulty_corpus_is_indexed_with_verifiable_citations(faulty, seed_index_dir: Path, tmp_path: Path) -> None:
    d, errors = faulty
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)  # a previous generation with the same model: no ONNX export
    ix = TrialIndex.build([d], index_dir)
    assert sorted((e["source"], e["reason"]) for e in ix.manifest["errors"]) == sorted(errors)
    assert sorted(ix.trials) == sorted([*SEEDS, "NCT09000001", "NCT09000002"])
    hepatic = ix.ask(HEPATIC)
    assert answers_hepatic(hepatic)
    assert hepatic.trials[0].citations[0].source == str(d / "000_178c2bec843b439b.txt")
    latin = ix.ask("Which trials give cells via the saphenous vein?")
    spleen = ix.ask("Which trials give menstrual blood cells through the spleen?")
    assert [t.nct_id for t in latin.trials] == ["NCT09000001"]
    assert [t.nct_id for t in spleen.trials] == ["NCT09000002"]
    assert latin.trials[0].citations[0].snippet == (
        "Patients with cirrhosis receive naïve cells via the saphenous vein (±5%)."
    )
    assert bad_citations([hepatic, latin, spleen]) == []  # offsets into the Latin-1 and UTF-16 files hold


def test_huge_files_are_read_or_refused_quickly(tmp_path: Path) -> None:
    d = tmp_path / "huge"
    d.mkdir()
    fifty = 50 * 10**6
    prose = "".join(f"Sentence {i}: patients received {i % 97} million cells in cohort {i}.\n" for i in range(800_000))
    (d / "no_nct.txt").write_text(prose[:fifty], encoding="utf-8")
    (d / "one_trial.txt").write_text(("NCT09000006 Huge note\n\n" + prose)[:fifty], encoding="utf-8")
    with (d / "over_limit.txt").open("wb") as f:  # sparse: instant to write
        f.truncate(MAX_FILE_BYTES + 1)
    with (d / "sparse50.txt").open("wb") as f:
        f.truncate(fifty)
    shutil.copy(CORPUS / "000_178c2bec843b439b.txt", d)
    t0 = time.perf_counter()
    corpus = load_corpus([d])
    seconds = time.perf_counter() - t0
    report("corpus with four 50-65 MB files, read", f"{seconds:.1f} s")
    assert seconds < 300  # a clear answer, not a hang
    assert [t.nct_id for t in corpus.trials] == ["NCT01724697"]
    assert sorted((Path(e.source).name, e.reason) for e in corpus.errors) == [
        ("no_nct.txt", "no NCT ID (NCT followed by 8 digits) found in this text file"),
        ("one_trial.txt", "NCT09000006 holds 48 MiB of text, more than a trial record can (limit 4 MiB): not indexed"),
        ("over_limit.txt", "file is 64 MiB, over the 64 MiB limit"),
        ("sparse50.txt", "binary content (NUL bytes), not a text, JSON or XML record"),
    ]


# -- an empty corpus -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["empty directory", "missing path", "only bad files"])
def test_indexing_nothing_is_an_error_and_keeps_the_index(index_copy: Path, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "nothing"
    if kind != "missing path":
        target.mkdir()
    if kind == "only bad files":
        (target / "a.txt").write_text("no trial identifier here", encoding="utf-8")
        (target / "b.json").write_text("{", encoding="utf-8")
    before = sorted(p.name for p in index_copy.iterdir())
    current = (index_copy / "CURRENT").read_text(encoding="utf-8")
    r = run_cli(["index", str(target), "--index", str(index_copy)])
    problem = {
        "empty directory": "no files found",
        "missing path": "no files found (no such file or directory)",
        "only bad files": f"none of its 2 files is a trial record (first problem: {target / 'a.txt'}: "
        "no NCT ID (NCT followed by 8 digits) found in this text file)",
    }[kind]
    assert (r.returncode, r.stdout) == (2, b"")
    assert r.stderr.decode() == f"trialqa: nothing to index in {target}: {problem}; no index was written or changed\n"
    assert sorted(p.name for p in index_copy.iterdir()) == before
    assert (index_copy / "CURRENT").read_text(encoding="utf-8") == current
    assert answers_hepatic(TrialIndex.load(index_copy).ask(HEPATIC))
    with pytest.raises(EmptyCorpus):
        TrialIndex.build([target], index_copy)
    assert (index_copy / "CURRENT").read_text(encoding="utf-8") == current


def test_default_index_survives_an_emptied_corpus(index_copy: Path, tmp_path: Path) -> None:
    """`trialqa ask` rebuilds the default index when its corpus changes; a corpus emptied by
    mistake cannot be rebuilt from, so it answers from the index it has."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.move(index_copy, data / "index")
    gen = live_generation(data / "index").name
    empty = tmp_path / "emptied"
    empty.mkdir()
    r = run_cli(["ask", "--json", HEPATIC], TRIALQA_DATA_DIR=str(data), TRIALQA_CORPUS=str(empty))
    assert r.returncode == 0
    assert r.stderr.decode().splitlines() == [
        "trialqa: the corpus or model changed; rebuilding the index…",
        f"trialqa: could not rebuild the index (nothing to index in {empty}: no files found; no index was written "
        f"or changed); answering from the existing one at {data / 'index'} (built "
        f"{TrialIndex.load(data / 'index').manifest['created']} with 'all-MiniLM-L6-v2')",
    ]
    assert b'"nct_id": "NCT01724697"' in r.stdout
    assert live_generation(data / "index").name == gen
