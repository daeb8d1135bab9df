"""Check that cited snippets are verbatim: each equals its source sliced at its location."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from index.corpus.readers.decode import decode
from index.corpus.readers.locate import LocateError, resolver
from index.errors import CorpusError
from index.results import Answer, Citation


@lru_cache(maxsize=64)
def _source(path: str) -> tuple[str, Callable[[str], str] | None]:
    text = decode(Path(path).read_bytes(), path)
    try:
        return text, resolver(text, path)
    except CorpusError:
        return text, None


def citation_ok(c: Citation) -> bool:
    try:
        text, resolve = _source(c.source)
    except OSError:
        return False
    if c.field is None:
        value = text
    else:
        if resolve is None:
            return False
        try:
            value = resolve(c.field)
        except LocateError:
            return False
    return 0 <= c.start <= c.end <= len(value) and value[c.start : c.end] == c.snippet


def bad_citations(answers: Iterable[Answer]) -> list[Citation]:
    return [c for a in answers for t in a.trials for c in t.citations if not citation_ok(c)]
