"""index.store.verified: large files checksummed once per identity, small ones on every load."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import index.store.verified as verified
from index.errors import IndexCorrupt
from index.store.verified import RECORD, record_written, verify_files


def write(gen: Path, rel: str, data: bytes) -> dict[str, object]:
    (gen / rel).write_bytes(data)
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@pytest.fixture
def gen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(verified, "CHECKSUM_LIMIT", 100)  # "large" from 101 bytes
    return tmp_path


def test_a_large_file_is_hashed_once_then_trusted_by_identity(gen: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"big.bin": write(gen, "big.bin", b"x" * 1000), "small.json": write(gen, "small.json", b"{}")}
    hashed: list[str] = []
    real = verified.sha256_file
    monkeypatch.setattr(verified, "sha256_file", lambda p: hashed.append(p.name) or real(p))
    verify_files(gen, files)
    assert hashed == ["big.bin", "small.json"]
    assert list(json.loads((gen / RECORD).read_text())) == ["big.bin"]
    hashed.clear()
    verify_files(gen, files)
    assert hashed == ["small.json"]  # small files every time, the large one not again
    verify_files(gen, files, full=True)
    assert hashed == ["small.json", "big.bin", "small.json"]


def test_damage_after_the_check_is_caught(gen: Path) -> None:
    files = {"big.bin": write(gen, "big.bin", b"x" * 1000)}
    verify_files(gen, files)
    with (gen / "big.bin").open("r+b") as f:  # 32 bytes in the middle, same size
        f.seek(484)
        f.write(b"\xff" * 32)
    with pytest.raises(IndexCorrupt, match=r": big.bin fails its checksum; rebuild with `trialqa index`$"):
        verify_files(gen, files)


def test_sizes_and_missing_files(gen: Path) -> None:
    files = {"a.bin": write(gen, "a.bin", b"abc")}
    (gen / "a.bin").write_bytes(b"abcd")
    with pytest.raises(IndexCorrupt, match=r": a.bin has 4 bytes, expected 3; rebuild"):
        verify_files(gen, files)
    (gen / "a.bin").unlink()
    with pytest.raises(IndexCorrupt, match=r": a.bin is missing; rebuild"):
        verify_files(gen, files)


def test_the_writer_records_what_it_wrote_and_a_damaged_record_is_ignored(
    gen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"big.bin": write(gen, "big.bin", b"y" * 500)}
    record_written(gen, files)
    hashed: list[str] = []
    monkeypatch.setattr(verified, "sha256_file", lambda p: hashed.append(p.name) or "")
    verify_files(gen, files)
    assert hashed == []
    (gen / RECORD).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt):  # the record is not trusted: the file is hashed again
        verify_files(gen, files)
    assert hashed == ["big.bin"]


def test_a_read_only_index_is_still_verified(gen: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"big.bin": write(gen, "big.bin", b"z" * 500)}
    monkeypatch.setattr(verified.os, "replace", lambda a, b: (_ for _ in ()).throw(PermissionError(13, "read-only")))
    verify_files(gen, files)  # no record kept, no error
    assert not (gen / RECORD).exists() and [p.name for p in gen.iterdir()] == ["big.bin"]
