"""Generations: numbering, the switch, cleanup and tidying."""

from pathlib import Path

import pytest

from index.errors import IndexCorrupt, IndexMissing
from index.store.layout import cleanup, current_generation, current_name, next_generation, publish, tidy


def _names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def test_generations_are_numbered_after_every_one_present(tmp_path: Path) -> None:
    assert next_generation(tmp_path) == "gen-000001"
    for name in ("gen-000002", "gen-000010", "gen-x", ".tmp-gen-abc"):
        (tmp_path / name).mkdir()
    assert next_generation(tmp_path) == "gen-000011"


def test_publish_renames_the_generation_into_place_and_switches_current(tmp_path: Path) -> None:
    (tmp_path / "gen-000003").mkdir()
    tmp = tmp_path / ".tmp-gen-new"
    tmp.mkdir()
    (tmp / "f").write_text("x")
    assert publish(tmp_path, tmp) == "gen-000004"
    assert (tmp_path / "CURRENT").read_text() == "gen-000004\n"
    assert current_generation(tmp_path) == tmp_path / "gen-000004" and (tmp_path / "gen-000004" / "f").is_file()
    assert _names(tmp_path) == ["CURRENT", "gen-000003", "gen-000004"]  # no CURRENT draft left


def test_current_generation_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing) as missing:
        current_generation(tmp_path)
    assert str(missing.value) == f"no index at {tmp_path}; build one with `trialqa index PATH... --index {tmp_path}`"
    (tmp_path / "CURRENT").write_text("gen-000007\n")
    with pytest.raises(IndexCorrupt) as corrupt:
        current_generation(tmp_path)
    assert str(corrupt.value) == (
        f"{tmp_path}: CURRENT points to 'gen-000007', which is missing; rebuild with `trialqa index`"
    )
    assert current_name(tmp_path) is None
    (tmp_path / "CURRENT").write_text("../elsewhere\n")
    with pytest.raises(IndexCorrupt, match=r"CURRENT points to '\.\./elsewhere'"):
        current_generation(tmp_path)


def test_cleanup_keeps_the_new_and_the_previous_generation_only(tmp_path: Path) -> None:
    for name in ("gen-000001", "gen-000002", "gen-000003", "gen-000004", ".tmp-gen-x"):
        (tmp_path / name).mkdir()
    for name in ("CURRENT", ".CURRENT.123", "LOCK", "notes.txt"):
        (tmp_path / name).write_text("gen-000004\n")
    cleanup(tmp_path, keep="gen-000004", previous="gen-000002")
    assert _names(tmp_path) == ["CURRENT", "LOCK", "gen-000002", "gen-000004", "notes.txt"]
    cleanup(tmp_path, keep="gen-000004")
    assert _names(tmp_path) == ["CURRENT", "LOCK", "gen-000004", "notes.txt"]


def test_tidy_removes_what_killed_builds_left(tmp_path: Path) -> None:
    for name in ("gen-000001", "gen-000002", "gen-000003", ".tmp-gen-a"):
        (tmp_path / name).mkdir()
    (tmp_path / ".CURRENT.99").write_text("gen-000003\n")
    (tmp_path / "CURRENT").write_text("gen-000002\n")
    tidy(tmp_path)  # gen-000003 was renamed into place but never switched to
    assert _names(tmp_path) == ["CURRENT", "gen-000001", "gen-000002"]
