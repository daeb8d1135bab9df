"""RecordView: a format's accessor seen through a layout of builder keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from index.corpus.readers.ctgov.record import RecordView


def test_keys_read_through_the_layout(flat: Callable[[dict[str, Any]], RecordView]) -> None:
    r = flat({"brief_title": "  A trial  ", "sex": "   ", "phases": ["PHASE1", 5, "PHASE2"], "enrollment": 40})
    assert r.text("brief_title") == ("  A trial  ", "/brief_title")
    assert r.value("brief_title") == "A trial"
    assert r.value("sex") is None  # blank reads as absent
    assert r.texts("phases") == [("PHASE1", "/phases/0"), ("PHASE2", "/phases/2")]
    assert r.text("enrollment") is None and r.node("enrollment") == (40, "/enrollment")


def test_keys_missing_from_the_layout_read_as_absent(flat_accessor: Any) -> None:
    r = RecordView(flat_accessor({"brief_title": "T", "sponsor": "S"}), {"brief_title": "brief_title"})
    assert r.value("brief_title") == "T"
    assert (r.text("sponsor"), r.texts("sponsor"), r.items("sponsor"), r.node("sponsor")) == (None, [], [], None)
