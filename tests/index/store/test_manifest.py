"""Manifests: the checksum of the manifest itself, format versions, every file's size and checksum."""

import json
import shutil
from pathlib import Path

import pytest

import index.store.verified as verified_mod
from index.errors import IndexCorrupt, IndexStale
from index.store.layout import current_generation
from index.store.manifest import (
    FORMAT_VERSION,
    MANIFEST_SUM,
    file_records,
    read_manifest,
    sha256_file,
    verify,
    write_manifest,
)
from index.store.reader import open_backend

REBUILD = "rebuild with `trialqa index`"


def _generation(d: Path) -> dict:
    d.mkdir()
    (d / "a.txt").write_bytes(b"hello")
    (d / "sub").mkdir()
    (d / "sub" / "b.npy").write_bytes(b"12345678")
    m = {"kind": "trialqa-index", "format_version": FORMAT_VERSION, "segments": {}, "files": file_records(d, {})}
    write_manifest(d, m)
    return m


def test_a_written_manifest_reads_back_with_every_file_recorded(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    m = _generation(gen)
    assert m["files"] == {
        "a.txt": {"size": 5, "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"},
        "sub/b.npy": {"size": 8, "sha256": sha256_file(gen / "sub" / "b.npy")},
    }
    assert read_manifest(gen) == m
    verify(gen, m, full=True)
    kept = {"a.txt": {"size": 5, "sha256": "recorded"}}
    assert file_records(gen, kept)["a.txt"] == {"size": 5, "sha256": "recorded"}  # linked files keep their record


def test_a_damaged_manifest_fails_its_checksum(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    _generation(gen)
    raw = (gen / "manifest.json").read_text().replace('"size": 5', '"size": 6')
    (gen / "manifest.json").write_text(raw)
    with pytest.raises(IndexCorrupt) as info:
        read_manifest(gen)
    assert str(info.value) == f"{gen}: manifest.json fails its checksum; {REBUILD}"
    (gen / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorrupt, match=r"unreadable manifest \(Expecting property name"):
        read_manifest(gen)


def test_a_manifest_without_checksum_or_of_another_format_is_stale(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    _generation(gen)
    (gen / MANIFEST_SUM).unlink()
    with pytest.raises(IndexStale) as info:
        read_manifest(gen)
    assert str(info.value) == f"{gen}: the manifest has no checksum (written by an older trialqa); {REBUILD}"
    write_manifest(gen, {"kind": "trialqa-index", "format_version": 4})
    with pytest.raises(IndexStale) as old:
        read_manifest(gen)
    assert str(old.value) == f"{gen}: index format 4, this trialqa reads {FORMAT_VERSION}; {REBUILD}"
    write_manifest(gen, {"kind": "something-else"})
    with pytest.raises(IndexCorrupt) as foreign:
        read_manifest(gen)
    assert str(foreign.value) == f"{gen}: not a trialqa index; {REBUILD}"


def test_verify_names_the_file_that_is_missing_resized_or_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = tmp_path / "gen"
    m = _generation(gen)
    (gen / "a.txt").write_bytes(b"jello")
    with pytest.raises(IndexCorrupt) as damaged:
        verify(gen, m)
    assert str(damaged.value) == f"{gen}: a.txt fails its checksum; {REBUILD}"
    monkeypatch.setattr(verified_mod, "CHECKSUM_LIMIT", 4)  # larger files too: checksummed until verified once
    with pytest.raises(IndexCorrupt, match=r"a\.txt fails its checksum"):
        verify(gen, m)
    with pytest.raises(IndexCorrupt, match=r"a\.txt fails its checksum"):
        verify(gen, m, full=True)
    (gen / "a.txt").write_bytes(b"hello!")
    with pytest.raises(IndexCorrupt) as resized:
        verify(gen, m)
    assert str(resized.value) == f"{gen}: a.txt has 6 bytes, expected 5; {REBUILD}"
    (gen / "sub" / "b.npy").unlink()
    (gen / "a.txt").write_bytes(b"hello")
    with pytest.raises(IndexCorrupt) as missing:
        verify(gen, m)
    assert str(missing.value) == f"{gen}: sub/b.npy is missing; {REBUILD}"


def test_an_old_format_asks_for_a_rebuild(seed_index_dir: Path, tmp_path: Path) -> None:
    d = tmp_path / "index"
    shutil.copytree(seed_index_dir, d)
    gen = current_generation(d)
    m = json.loads((gen / "manifest.json").read_text())
    m["format_version"] = 1
    (gen / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexStale, match="rebuild with `trialqa index`"):
        open_backend(d)
