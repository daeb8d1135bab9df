"""Index faults: damaged, truncated, missing, foreign and old-format index files, and a model
other than the one the index was built with. Each is detected with a message saying how to
rebuild (exit 3 from the CLI, no traceback); nothing answers from damaged data."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import signal
from pathlib import Path

import numpy as np
import pytest

import index.trial_index
from index import IndexCorrupt, IndexMissing, IndexStale, TrialIndex
from index.store.manifest import CHECKSUM_LIMIT, FORMAT_VERSION
from tests.conftest import CORPUS
from tests.helpers.builds import build, wait_for_writing
from tests.helpers.reliability import HEPATIC, answers_hepatic, cli_env, live_generation, run_cli

REBUILD = "rebuild with `trialqa index`"


def flip(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0xFF
    path.write_bytes(bytes(data))


def checked_files(gen: Path) -> list[str]:
    """The files of a generation that its manifest checksums on every load, largest first."""
    files = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))["files"]
    return sorted(
        (rel for rel, info in files.items() if info["size"] <= CHECKSUM_LIMIT), key=lambda r: -files[r]["size"]
    )


def test_a_flipped_byte_in_any_file_is_caught_by_its_checksum(index_copy: Path) -> None:
    gen = live_generation(index_copy)
    files = checked_files(gen)
    assert len(files) >= 15  # trials, chunks, spans, BM25, vectors, codes, scan model, tokenizer, ...
    for rel in files:
        original = (gen / rel).read_bytes()
        flip(gen / rel)
        with pytest.raises(IndexCorrupt) as info:
            TrialIndex.load(index_copy)
        assert str(info.value) == f"{gen}: {rel} fails its checksum; {REBUILD}"
        (gen / rel).write_bytes(original)
    assert answers_hepatic(TrialIndex.load(index_copy).ask(HEPATIC))  # restored: usable again


def test_truncated_missing_and_damaged_manifest(index_copy: Path) -> None:
    gen = live_generation(index_copy)
    rel = checked_files(gen)[0]
    target = gen / rel
    size = target.stat().st_size
    target.write_bytes(target.read_bytes()[:100])
    with pytest.raises(IndexCorrupt, match=rf"^{gen}: {rel} has 100 bytes, expected {size}; {REBUILD}$"):
        TrialIndex.load(index_copy)
    target.unlink()
    with pytest.raises(IndexCorrupt, match=rf"^{gen}: {rel} is missing; {REBUILD}$"):
        TrialIndex.load(index_copy)
    manifest = gen / "manifest.json"
    good = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_bytes(b"\xff\xfe garbage")
    with pytest.raises(IndexCorrupt, match=rf"^{gen}: unreadable manifest \(.*\); {REBUILD}$"):
        TrialIndex.load(index_copy)
    manifest.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match=rf"^{gen}: not a trialqa index; {REBUILD}$"):
        TrialIndex.load(index_copy)
    manifest.write_text(json.dumps(good | {"files": [rel]}), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match=rf"^{gen}: manifest.json fails its checksum; {REBUILD}$"):
        TrialIndex.load(index_copy)
    # a manifest whose checksum agrees but whose structure is wrong (a bug, not damage)
    (gen / "manifest.sha256").write_text(hashlib.sha256(manifest.read_bytes()).hexdigest() + "\n")
    with pytest.raises(IndexCorrupt) as info:
        TrialIndex.load(index_copy)
    assert str(info.value) == f"{gen}: manifest.json does not list the index's files and segments; {REBUILD}"


def test_cli_reports_a_damaged_index_with_exit_3(index_copy: Path) -> None:
    gen = live_generation(index_copy)
    rel = next(r for r in checked_files(gen) if r.startswith("trials"))
    flip(gen / rel)
    r = run_cli(["ask", "--index", str(index_copy), HEPATIC])
    assert (r.returncode, r.stdout) == (3, b"")
    assert r.stderr.decode() == f"trialqa: {gen}: {rel} fails its checksum; {REBUILD}\n"


def damage(path: Path) -> None:
    """Overwrite 32 bytes in the middle of the file with 0xff (all of it when shorter), in place:
    the file keeps its size."""
    size = path.stat().st_size
    n = min(32, size)
    with path.open("r+b") as f:
        f.seek((size - n) // 2)
        f.write(b"\xff" * n)


def test_32_bytes_of_0xff_in_the_query_encoder_are_caught_before_it_is_used(index_copy: Path) -> None:
    """Issue 18: the ONNX query encoder is larger than the size up to which every load checksums
    files; it is checksummed once, remembered by identity, and damage after that is caught."""
    gen = live_generation(index_copy)
    model = gen / "query_encoder" / "model.onnx"
    assert model.stat().st_size > CHECKSUM_LIMIT
    assert answers_hepatic(TrialIndex.load(index_copy).ask(HEPATIC))  # verified once, remembered
    assert "query_encoder/model.onnx" in json.loads((gen / "verified.json").read_text(encoding="utf-8"))
    damage(model)
    r = run_cli(["ask", "--index", str(index_copy), HEPATIC])
    assert (r.returncode, r.stdout) == (3, b"")
    assert r.stderr.decode() == f"trialqa: {gen}: query_encoder/model.onnx fails its checksum; {REBUILD}\n"


def test_the_same_damage_to_every_file_of_the_index_is_caught(index_copy: Path) -> None:
    gen = live_generation(index_copy)
    files = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert len(files) >= 20 and any(info["size"] > CHECKSUM_LIMIT for info in files.values())
    for rel in sorted(files):
        original = (gen / rel).read_bytes()
        damage(gen / rel)
        with pytest.raises(IndexCorrupt) as info:
            TrialIndex.load(index_copy)
        assert str(info.value) == f"{gen}: {rel} fails its checksum; {REBUILD}", rel
        (gen / rel).write_bytes(original)
    assert answers_hepatic(TrialIndex.load(index_copy).ask(HEPATIC))  # restored: usable again


# -- foreign directories and old versions ---------------------------------------------------


def test_foreign_directories(tmp_path: Path) -> None:
    d = tmp_path / "foreign"
    d.mkdir()
    (d / "notes.txt").write_text("not an index", encoding="utf-8")
    (d / "data.json").write_text("{}", encoding="utf-8")
    missing = f"no index at {d}; build one with `trialqa index PATH... --index {d}`"
    with pytest.raises(IndexMissing, match=rf"^{missing}$"):
        TrialIndex.load(d)
    r = run_cli(["ask", "--index", str(d), HEPATIC])
    assert (r.returncode, r.stderr.decode()) == (3, f"trialqa: {missing}\n")
    cases = {
        b"gen-000007\n": "'gen-000007'",
        b"../../etc\n": "'../../etc'",
        b"": "''",
    }
    for content, shown in cases.items():
        (d / "CURRENT").write_bytes(content)
        with pytest.raises(IndexCorrupt) as info:
            TrialIndex.load(d)
        assert str(info.value) == f"{d}: CURRENT points to {shown}, which is missing; {REBUILD}"
    (d / "CURRENT").write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(IndexCorrupt) as info:
        TrialIndex.load(d)
    assert str(info.value) == (
        f"{d}: not a readable trialqa index (UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: "
        f"invalid start byte); rebuild with `trialqa index PATH... --index {d}`"
    )
    r = run_cli(["ask", "--index", str(d), HEPATIC])
    assert r.returncode == 3 and b"Traceback" not in r.stderr


def test_an_old_format_version_is_stale(index_copy: Path) -> None:
    gen = live_generation(index_copy)
    manifest = gen / "manifest.json"
    manifest.write_text(json.dumps(json.loads(manifest.read_text("utf-8")) | {"format_version": 1}), "utf-8")
    stale = f"{gen}: index format 1, this trialqa reads {FORMAT_VERSION}; {REBUILD}"
    with pytest.raises(IndexStale, match=rf"^{stale}$"):
        TrialIndex.load(index_copy)
    r = run_cli(["ask", "--index", str(index_copy), HEPATIC])
    assert (r.returncode, r.stderr.decode()) == (3, f"trialqa: {stale}\n")


# -- another model ---------------------------------------------------------------------------


def test_an_index_built_with_another_model_warns_and_answers_with_its_own(index_copy: Path) -> None:
    warning = (
        f"trialqa: warning: the index at {index_copy} was built with the model 'all-MiniLM-L6-v2', not "
        "'paraphrase-MiniLM-L3-v2' (TRIALQA_MODEL / --model); questions are embedded with 'all-MiniLM-L6-v2' to "
        f"match its vectors. To use 'paraphrase-MiniLM-L3-v2', rebuild it: trialqa index PATH... --index {index_copy}\n"
    )
    for args, env in [
        (["--index", str(index_copy)], {}),
        ([], {"TRIALQA_INDEX": str(index_copy)}),
    ]:
        r = run_cli(["ask", "--json", *args, HEPATIC], TRIALQA_MODEL="paraphrase-MiniLM-L3-v2", **env)
        assert (r.returncode, r.stderr.decode()) == (0, warning)
        assert [t["nct_id"] for t in json.loads(r.stdout)["trials"]] == ["NCT01724697"]


def test_default_index_with_an_unloadable_model_keeps_answering(index_copy: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.move(index_copy, data / "index")
    gen = live_generation(data / "index")
    r = run_cli(["ask", "--json", HEPATIC], TRIALQA_DATA_DIR=str(data), TRIALQA_MODEL="no-such-model-anywhere")
    assert r.returncode == 0
    err = r.stderr.decode().splitlines()
    assert err[0] == "trialqa: the corpus or model changed; rebuilding the index…"
    assert err[-1].startswith("trialqa: could not rebuild the index (cannot load embedding model 'no-such-model")
    assert err[-1].endswith(
        f"answering from the existing one at {data / 'index'} (built "
        f"{json.loads((gen / 'manifest.json').read_text())['created']} with 'all-MiniLM-L6-v2')"
    )
    assert [t["nct_id"] for t in json.loads(r.stdout)["trials"]] == ["NCT01724697"]
    assert live_generation(data / "index") == gen


def test_an_index_named_by_trialqa_index_is_never_rebuilt_from_another_corpus(index_copy: Path, tmp_path: Path) -> None:
    """$TRIALQA_INDEX works like --index: an index of other trials is used, not overwritten with
    the default corpus (it used to be rebuilt from corpus/ because its fingerprint differed)."""
    two = tmp_path / "two"
    two.mkdir()
    for name in ("000_178c2bec843b439b.txt", "001_f861453f9ef4fb04.txt"):
        shutil.copy(CORPUS / name, two)
    TrialIndex.build([two], index_copy)
    gen = live_generation(index_copy)
    r = run_cli(["ask", "--json", HEPATIC], TRIALQA_INDEX=str(index_copy))
    assert (r.returncode, r.stderr) == (0, b"")
    assert [t["nct_id"] for t in json.loads(r.stdout)["trials"]] == ["NCT01724697"]
    assert live_generation(index_copy) == gen
    assert sorted(TrialIndex.load(index_copy).trials) == ["NCT01724697", "NCT03209986"]


# -- an index rebuilt under a running process ------------------------------------------------

NOTE = "NCT09300001 Diary note\n\nSummary:\nVersion {v}: the volunteers keep a sleep diary for two weeks.\n"


@pytest.mark.parametrize("warmed", [True, False], ids=["warmed", "loaded-only"])
def test_a_running_index_survives_rebuilds_that_remove_its_generation(
    index_copy: Path, corpus_copy: Path, caplog, warmed: bool
) -> None:
    """A REPL or Slack bot keeps its index for days; two rebuilds later its generation is
    deleted (only the newest two are kept), and with it the files it had not read yet. Its next
    question is answered from the live generation (before: FileNotFoundError, or stale answers)."""
    TrialIndex.build([corpus_copy], index_copy)
    ix = TrialIndex.load(index_copy)
    if warmed:
        ix.warm()
    first = live_generation(index_copy)
    for v in (1, 2):
        (corpus_copy / "note.txt").write_text(NOTE.format(v=v), encoding="utf-8")
        TrialIndex.build([corpus_copy], index_copy)
    assert not first.exists()
    with caplog.at_level(logging.WARNING, logger="index.trial_index"):
        lookup = ix.ask("What dose does the Xijing trial give?")
        assert answers_hepatic(ix.ask(HEPATIC))
    assert lookup.trials[0].nct_id == "NCT03209986" and "1x10E6" in lookup.trials[0].citations[0].snippet
    assert [t.nct_id for t in ix.ask("Which trials ask volunteers to keep a sleep diary?").trials] == ["NCT09300001"]
    assert len(ix.trials) == 6
    assert [r.getMessage() for r in caplog.records] == [
        f"the index at {index_copy} was rebuilt; answering from {live_generation(index_copy).name} (was {first.name})"
    ]


def test_a_model_that_no_longer_gives_the_index_vectors_makes_it_stale(
    index_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No usable ONNX export, and the model under the same name now embeds differently (an
    upgraded package, a replaced directory): answering would compare unlike vectors."""

    class Unusable:
        def __init__(self, model_dir: Path) -> None:
            raise RuntimeError("onnxruntime cannot load this")

    class Drifted:
        def __init__(self, model: str) -> None:
            self.model_id = model

        def encode(self, texts, progress=None) -> np.ndarray:
            return np.eye(1, 384, dtype=np.float32).repeat(len(texts), axis=0)

    monkeypatch.setattr(index.trial_index, "OnnxEncoder", Unusable)
    monkeypatch.setattr(index.trial_index, "SentenceTransformerEncoder", Drifted)
    ix = TrialIndex.load(index_copy)
    with pytest.raises(IndexStale) as info:
        ix.ask(HEPATIC)
    assert re.fullmatch(
        rf"{re.escape(str(live_generation(index_copy)))}: the model 'all-MiniLM-L6-v2' no longer gives this index's "
        r"vectors \(cosine -?0\.\d{3}\); rebuild with `trialqa index`",
        str(info.value),
    )


# -- the manifest's own checksum, and a killed build's temporary files -------------------------


def test_a_damaged_manifest_value_is_detected(index_copy: Path) -> None:
    manifest = live_generation(index_copy) / "manifest.json"
    data = manifest.read_bytes()
    assert data.count(b'"all-MiniLM-L6-v2"') == 1
    manifest.write_bytes(data.replace(b'"all-MiniLM-L6-v2"', b'"all-MiniLM-L6-v3"'))  # one flipped bit
    with pytest.raises(IndexCorrupt):
        TrialIndex.load(index_copy)


def test_a_killed_full_build_leaves_nothing_outside_the_index(seed_index_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = cli_env(TRIALQA_DATA_DIR=str(tmp_path / "data"), TMPDIR=str(tmp))
    existing = {p.name for p in index_dir.iterdir()}
    proc = build(str(CORPUS) + "/", index_dir, env)  # other paths than the manifest's: a full build
    wait_for_writing(index_dir, existing, proc)
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert answers_hepatic(TrialIndex.load(index_dir).ask(HEPATIC))
    assert [p.name for p in tmp.iterdir() if not p.name.startswith(".")] == []


def test_a_missing_or_damaged_manifest_checksum_is_reported(index_copy: Path) -> None:
    gen = live_generation(index_copy)
    checksum = gen / "manifest.sha256"
    recorded = checksum.read_text()
    checksum.write_text("0" * 64 + "\n")
    with pytest.raises(IndexCorrupt, match=rf"^{gen}: manifest.json fails its checksum; {REBUILD}$"):
        TrialIndex.load(index_copy)
    checksum.unlink()
    with pytest.raises(IndexStale, match=rf"^{gen}: the manifest has no checksum \(written by an older trialqa\); "):
        TrialIndex.load(index_copy)
    checksum.write_text(recorded)
    assert answers_hepatic(TrialIndex.load(index_copy).ask(HEPATIC))


# -- a full disk ----------------------------------------------------------------------------


def test_a_full_disk_while_writing_keeps_the_previous_index(
    index_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import index.store.writer
    from index import IndexWriteError
    from index.build.pipeline import build_index

    before = live_generation(index_copy).name
    real_save = np.save
    calls = []

    def save(path, arr, *args, **kwargs):
        calls.append(path)
        if len(calls) == 4:  # part-way through the new generation
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(path, arr, *args, **kwargs)

    monkeypatch.setattr(index.store.writer.np, "save", save)
    with pytest.raises(IndexWriteError) as info:
        # other paths than the manifest's: a full build (an unchanged corpus writes nothing)
        build_index([str(CORPUS) + "/"], index_copy, "all-MiniLM-L6-v2", cache_dir=tmp_path / "cache")
    assert str(info.value) == (
        f"cannot write the index at {index_copy} (No space left on device); the index it holds ({before}) is unchanged"
    )
    monkeypatch.setattr(index.store.writer.np, "save", real_save)
    assert sorted(p.name for p in index_copy.iterdir() if p.name.startswith((".tmp", "gen-"))) == [before]
    assert answers_hepatic(TrialIndex.load(index_copy).ask(HEPATIC))


def test_a_full_embedding_cache_is_warned_about_once_and_the_build_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import errno

    import index.build.embedding
    import index.store.vcache
    from index.build.pipeline import build_index

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(index.store.vcache.np, "savez", full)
    monkeypatch.setattr(index.build.embedding, "EMBED_BATCH", 16)  # several shards would be written
    with caplog.at_level(logging.WARNING, logger="index.store.vcache"):
        backend, _ = build_index([CORPUS], tmp_path / "index", "all-MiniLM-L6-v2", cache_dir=tmp_path / "cache")
    warned = [r.getMessage() for r in caplog.records if r.name == "index.store.vcache"]
    assert warned == [
        f"cannot save embeddings to the cache {tmp_path / 'cache' / 'all-MiniLM-L6-v2'} ([Errno 28] No space left on "
        "device); continuing without it"
    ]
    assert list((tmp_path / "cache" / "all-MiniLM-L6-v2").iterdir()) == []  # no half-written shard
    assert backend.manifest["counts"]["embedded"] > 16
    assert answers_hepatic(TrialIndex(backend).ask(HEPATIC))
