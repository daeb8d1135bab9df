"""Bytes to text. Offsets for text sources count characters of the decoded text."""

from __future__ import annotations

import codecs

from index.errors import CorpusError


def decode(data: bytes, source: str) -> str:
    """UTF-8 (BOM kept as U+FEFF so offsets stay those of the UTF-8 decoding);
    UTF-16/32 when a BOM says so; otherwise Windows-1252/Latin-1 for legacy files.
    Binary content (NUL bytes without a UTF-16 BOM) is refused."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(data, "utf-32", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source)
    if b"\x00" in data:
        raise CorpusError(source, "binary content (NUL bytes), not a text, JSON or XML record")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorpusError(source, f"invalid {encoding} text at byte {exc.start}") from None
