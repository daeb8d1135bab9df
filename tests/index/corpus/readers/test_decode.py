"""Bytes to text: UTF-8 with its BOM kept, UTF-16/32 by BOM, legacy code pages, binary refused."""

from __future__ import annotations

import codecs

import pytest

from index.corpus.readers.decode import decode
from index.errors import CorpusError


def test_utf8_keeps_its_bom_so_offsets_match() -> None:
    assert decode(codecs.BOM_UTF8 + "café NCT01234567".encode(), "f") == "\ufeffcafé NCT01234567"
    assert decode("naïve".encode(), "f") == "naïve"


def test_utf16_and_utf32_by_bom() -> None:
    assert decode("Trial ☤".encode("utf-16"), "f") == "Trial ☤"
    assert decode(codecs.BOM_UTF16_BE + "ab".encode("utf-16-be"), "f") == "ab"
    assert decode("Trial ☤".encode("utf-32"), "f") == "Trial ☤"


def test_legacy_bytes_are_windows_1252_then_latin_1() -> None:
    assert decode(b"caf\xe9 \x93quoted\x94 \x80", "f") == "café “quoted” €"
    assert decode(b"caf\xe9 \x81", "f") == "café \x81"  # 0x81 is undefined in cp1252


def test_binary_and_broken_utf16_are_refused() -> None:
    with pytest.raises(CorpusError, match=r"^f: binary content \(NUL bytes\), not a text, JSON or XML record$"):
        decode(b"PK\x03\x04\x00\x00", "f")
    with pytest.raises(CorpusError, match=r"^f: invalid utf-16 text at byte 2$"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "f")
