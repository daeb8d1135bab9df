"""Abbreviations a record defines."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.corpus.loader import load_corpus
from index.text.abbrev import _long_forms, definitions
from tests.conftest import CORPUS

# The single pattern `_long_forms` replaces (it scanned every word start: slow on long texts).
REFERENCE = re.compile(r"((?:[\w'-]+\s+){1,8}?[\w'-]+)\s*\(\s*([A-Za-z][A-Za-z0-9-]{1,9})\s*\)")


def reference(text: str) -> list[tuple[list[str], str]]:
    return [(m.group(1).split(), m.group(2)) for m in REFERENCE.finditer(text)]


def test_definitions_of_a_record() -> None:
    text = "Patients with liver failure (LF) get bone marrow (BM) cells; human umbilical cord MSCs (hUC-MSCs)."
    assert definitions(text) == {"LF": "liver failure", "BM": "bone marrow"}
    assert definitions("no parenthesis here") == {}
    assert definitions("(AB) alone, one (CD) word") == {}


def test_long_forms_match_the_single_pattern_on_the_seed_records() -> None:
    texts = [s.text for t in load_corpus([CORPUS]).trials for s in t.sections]
    found = sum(len(reference(x)) for x in texts)
    assert found == 16
    for x in texts:
        assert _long_forms(x) == reference(x)


_pieces = st.sampled_from(
    ["bone", "marrow", "BM", "(", ")", "(BM)", "( LF )", " ", "  ", "\n", ".", ",", "-", "'", "x", "é", "(ab)", "AB-3"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=40).map("".join))
def test_long_forms_match_the_single_pattern_on_any_text(text: str) -> None:
    assert _long_forms(text) == reference(text)
