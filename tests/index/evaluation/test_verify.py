"""Cited snippets are checked against their source: a verbatim one passes, a tampered one is named."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from index.evaluation.verify import bad_citations, citation_ok
from index.results import Answer, Citation
from tests.conftest import HEPATIC_CITATIONS


@pytest.fixture(scope="module")
def hepatic(seed_index) -> Answer:
    return seed_index.ask("which trials use the hepatic artery?")


def test_the_seed_answer_cites_verbatim(hepatic: Answer) -> None:
    cites = [c for t in hepatic.trials for c in t.citations]
    assert [(c.section, c.snippet) for c in cites] == HEPATIC_CITATIONS
    assert all(citation_ok(c) for c in cites)
    assert bad_citations([hepatic]) == []


def test_a_tampered_snippet_or_offset_is_reported_exactly(hepatic: Answer) -> None:
    good, other = hepatic.trials[0].citations
    snippet = replace(good, snippet=good.snippet.replace("hepatic", "portal"))
    shifted = replace(other, start=other.start + 1, end=other.end + 1)
    past_end = replace(other, end=10**9)
    missing = replace(good, source=good.source + ".gone")
    trial = replace(hepatic.trials[0], citations=(good, snippet, shifted, past_end, missing))
    assert bad_citations([replace(hepatic, trials=(trial,))]) == [snippet, shifted, past_end, missing]


def test_field_addresses_resolve_into_json(tmp_path: Path) -> None:
    src = tmp_path / "study.json"
    src.write_text(json.dumps({"protocol": {"arms": ["saline", "hepatic artery infusion"]}}), encoding="utf-8")

    def cite(field: str | None, start: int, end: int, snippet: str) -> Citation:
        return Citation("Arms", "arms", snippet, str(src), field, start, end)

    assert citation_ok(cite("/protocol/arms/1", 0, 14, "hepatic artery"))
    assert not citation_ok(cite("/protocol/arms/1", 1, 15, "hepatic artery"))
    assert not citation_ok(cite("/protocol/arms/7", 0, 14, "hepatic artery"))  # no such address
    text = src.read_text(encoding="utf-8")
    at = text.index("saline")
    assert citation_ok(cite(None, at, at + 6, "saline"))  # no field: offsets into the file's text


def test_a_field_in_a_plain_text_file_fails(hepatic: Answer) -> None:
    c = hepatic.trials[0].citations[0]
    assert c.field is None
    assert not citation_ok(replace(c, field="/protocolSection"))
