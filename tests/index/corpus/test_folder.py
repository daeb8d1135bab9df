"""A folder of fetched studies: record fields, saved files, atomic writes and the state file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.corpus.folder import (
    STATE_FILE,
    last_update,
    load_state,
    nct_id,
    overall_status,
    save_state,
    save_study,
    saved_studies,
    write_atomic,
)


def study(nct: object, date: object = "2024-01-05", status: object = "RECRUITING") -> dict[str, object]:
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct},
            "statusModule": {"overallStatus": status, "lastUpdatePostDateStruct": {"date": date}},
        }
    }


def test_record_fields_only_when_well_formed() -> None:
    s = study("NCT01234567")
    assert (nct_id(s), last_update(s), overall_status(s)) == ("NCT01234567", "2024-01-05", "RECRUITING")
    bad = study("NCT123", date=5, status=["x"])
    assert (nct_id(bad), last_update(bad), overall_status(bad)) == (None, None, None)
    assert (nct_id([1]), nct_id({"protocolSection": 5}), nct_id(None)) == (None, None, None)


def test_save_study_writes_pretty_json_atomically(tmp_path: Path) -> None:
    s = study("NCT01234567") | {"note": "café"}
    path = save_study(tmp_path, "NCT01234567", s)
    assert path == tmp_path / "NCT01234567.json"
    assert path.read_text("utf-8") == json.dumps(s, ensure_ascii=False, indent=2) + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["NCT01234567.json"]  # no temporary file left


def test_a_failed_write_leaves_neither_file_nor_temporary(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "x.json", 5)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_saved_studies_reads_what_it_can(tmp_path: Path) -> None:
    save_study(tmp_path, "NCT01234567", study("NCT01234567"))
    (tmp_path / "NCT07654321.json").write_text("{broken", "utf-8")
    (tmp_path / "NCT00000001.json").write_text("[" * 100_000, "utf-8")  # too deep to parse
    (tmp_path / "NCT1.json").write_text("{}", "utf-8")  # not an NCT ID: not a saved study
    assert saved_studies(tmp_path) == {
        "NCT00000001": (None, None),
        "NCT01234567": ("2024-01-05", "RECRUITING"),
        "NCT07654321": (None, None),
    }


def test_state_round_trip_and_damage(tmp_path: Path) -> None:
    assert load_state(tmp_path) == {}
    save_state(tmp_path, {"term": "x"}, "tok", 3, 10, False)
    assert load_state(tmp_path) == {
        "query": {"term": "x"},
        "next_page_token": "tok",
        "seen": 3,
        "total": 10,
        "complete": False,
    }
    for damaged in ("{broken", "[1, 2]", "[" * 100_000):
        (tmp_path / STATE_FILE).write_text(damaged, "utf-8")
        assert load_state(tmp_path) == {}
