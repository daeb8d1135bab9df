"""JSON Pointer / XML path resolution used to verify cited snippets."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from index.corpus.readers.locate import (
    LocateError,
    escape_token,
    load_json,
    load_xml,
    misplaced,
    pointer,
    resolve_json_pointer,
    resolve_xml_path,
    section_matches,
    xml_step,
)
from index.errors import CorpusError
from index.model import Section

DOC = {"a/b": {"m~n": ["x", "y", {"": "empty key"}]}, "n": 3, "list": ["0", "1"]}


def test_pointer_escapes_tilde_and_slash() -> None:
    assert escape_token("a/b~c") == "a~1b~0c"
    assert pointer("", "a/b", "m~n", 1) == "/a~1b/m~0n/1"
    assert pointer("/x", 0) == "/x/0"


def test_resolve_json_pointer_follows_rfc6901() -> None:
    assert resolve_json_pointer(DOC, "/a~1b/m~0n/0") == "x"
    assert resolve_json_pointer(DOC, "/a~1b/m~0n/2/") == "empty key"
    assert resolve_json_pointer(DOC, pointer("", "list", 1)) == "1"
    assert resolve_json_pointer("whole", "") == "whole"


@pytest.mark.parametrize(
    ("ptr", "message"),
    [
        ("/missing", "no member 'missing'"),
        ("/list/01", "no array element '01'"),
        ("/list/2", "no array element '2'"),
        ("/list/-", "no array element '-'"),
        ("/n/x", "'x' is below a scalar"),
        ("/n", "leads to int, not a string"),
        ("a", "does not start with '/'"),
    ],
)
def test_resolve_json_pointer_rejects_bad_addresses(ptr: str, message: str) -> None:
    with pytest.raises(LocateError) as info:
        resolve_json_pointer(DOC, ptr)
    assert message in str(info.value)


XML = "<r><a>one</a><b>1</b><b>2<c>deep</c></b><e/></r>"


def test_xml_step_only_numbers_repeated_siblings() -> None:
    assert xml_step("arm_group", 2, 3) == "arm_group[2]"
    assert xml_step("brief_title", 1, 1) == "brief_title"


def test_resolve_xml_path() -> None:
    root = ET.fromstring(XML)
    assert resolve_xml_path(root, "/r/a") == "one"
    assert resolve_xml_path(root, "/r/b[1]") == "1"
    assert resolve_xml_path(root, "/r/b[2]") == "2"
    assert resolve_xml_path(root, "/r/b[2]/c") == "deep"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/r/b", "2 <b> under <r>"),
        ("/r/z", "no <z> under <r>"),
        ("/r/b[3]", "no <b> number 3"),
        ("/x/a", "root element is <r>"),
        ("/r/e", "element without text"),
        ("r/a", "does not start with '/'"),
        ("/r/b[0]", "bad step 'b[0]'"),
    ],
)
def test_resolve_xml_path_rejects_bad_paths(path: str, message: str) -> None:
    with pytest.raises(LocateError) as info:
        resolve_xml_path(ET.fromstring(XML), path)
    assert message in str(info.value)


def test_section_matches_checks_bounds_and_text() -> None:
    sec = Section("summary", "Brief Summary", "ell", 1, 4, "/x")
    assert section_matches("hello", sec)
    assert not section_matches("help", Section("summary", "S", "elp!", 1, 5, "/x"))
    assert not section_matches("hallo", sec)


def test_load_json_strips_bom_and_reports_truncation() -> None:
    assert load_json('\ufeff{"a": "b"}', "f.json") == {"a": "b"}
    with pytest.raises(CorpusError) as info:
        load_json('{\n  "a": [1,\n', "f.json")
    assert info.value.reason == "truncated JSON at line 3 column 1: Expecting value"
    with pytest.raises(CorpusError) as info:
        load_json('{"a": "cut', "f.json")
    assert info.value.reason.startswith("truncated JSON at line 1 column 7: Unterminated string")
    with pytest.raises(CorpusError) as info:
        load_json('{"a" 1}', "f.json")
    assert info.value.reason == "invalid JSON at line 1 column 6: Expecting ':' delimiter"
    with pytest.raises(CorpusError) as info:
        load_json("[" * 100_000, "f.json")
    assert info.value.reason == "invalid JSON: nested too deeply"


def test_load_xml_refuses_entity_declarations() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;">]><clinical_study>&lol2;</clinical_study>'
    )
    with pytest.raises(CorpusError) as info:
        load_xml(bomb, "f.xml")
    assert info.value.reason == "XML declares entities (<!ENTITY ...>); refusing to expand them"
    with pytest.raises(CorpusError) as info:
        load_xml("<a><b>text", "f.xml")
    assert info.value.reason == "truncated XML at line 1 column 11: no element found"
    assert load_xml("\ufeff<a>x</a>", "f.xml").text == "x"


def test_misplaced_finds_sections_not_at_their_address() -> None:
    text = '{"t": ["  Title  "]}'
    good = Section("title", "Brief Title", "Title", 2, 7, "/t/0")
    moved = Section("title", "Brief Title", "Title", 1, 6, "/t/0")
    dangling = Section("title", "Brief Title", "Title", 2, 7, "/t/1")
    plain = Section("notes", "Notes", '"t"', 1, 4, None)
    assert misplaced(text, "f.json", [good, moved, dangling, plain]) == [moved, dangling]
    assert misplaced("<r><t> x </t></r>", "f.xml", [Section("t", "T", "x", 1, 2, "/r/t")]) == []
