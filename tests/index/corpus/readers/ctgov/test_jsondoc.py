"""Parsed JSON: members by name, records with pointers, kinds of values in messages."""

from __future__ import annotations

import pytest

from index.corpus.readers.ctgov.jsondoc import json_kind, key, listed, member, wrapped
from index.errors import CorpusError


def test_json_kind() -> None:
    kinds = [json_kind(v) for v in ({}, [], "s", True, 5, 2.5, None)]
    assert kinds == ["an object", "a list", "a string", "a boolean", "a number", "a number", "null"]


def test_key_and_member_match_case_insensitively_exact_first() -> None:
    doc = {"NCTId": "a", "nctid": "b", "Other": 1}
    assert key(doc, "nctid") == "nctid" and key(doc, "NCTID") == "NCTId" and key(doc, "missing") is None
    assert key([1], "x") is None and key("text", "x") is None
    assert member(({"a/b": {"C": 1}}, "/x"), "a/b") == ({"C": 1}, "/x/a~1b")
    assert member((5, "/x"), "a") is None


def test_listed_and_wrapped_give_json_pointers() -> None:
    assert listed(["a", "b"], "/studies") == [("a", "/studies/0"), ("b", "/studies/1")]
    doc: dict[str, object] = {"Resp": {"fullstudies": [{"n": 1}]}}
    assert wrapped(doc, "Resp", "FullStudies", "f", "none") == [({"n": 1}, "/Resp/fullstudies/0")]


@pytest.mark.parametrize("inner", [{"FullStudies": []}, {"FullStudies": {"a": 1}}, {}, [1], 5])
def test_wrapped_without_records_is_refused(inner: object) -> None:
    with pytest.raises(CorpusError, match=r"^f: wrapper with no studies$"):
        wrapped({"W": inner}, "W", "FullStudies", "f", "wrapper with no studies")
