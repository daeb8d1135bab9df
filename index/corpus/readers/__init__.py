"""Readers: one module per source format behind one `read(path)`.

Each reader module exposes ``FORMAT`` (its name), ``sniff(text) -> bool`` (does this
content look like mine?) and ``parse(text, source) -> list[Trial]`` which raises
`CorpusError` with a reason when the content is malformed. The format is picked by
content, not by file extension; plain text / Markdown is the fallback.
"""

from __future__ import annotations

import os
import stat
from functools import cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from index.corpus.readers.decode import decode
from index.errors import CorpusError
from index.model import Trial

# Order matters: specific formats first, the plain-text fallback last.
_ORDER = ("ctgov_v2", "studyfields", "ctgov_xml", "veeva", "medpath", "textfile")


@cache
def readers() -> tuple[ModuleType, ...]:
    """The reader modules in the order they are tried, imported on first use (code that
    only needs `normalize` or `sections` of this package does not load every format)."""
    return tuple(import_module(f"{__name__}.{name}") for name in _ORDER)


def __getattr__(name: str) -> Any:
    if name == "READERS":
        return readers()
    if name == "FORMATS":  # tuple[str, ...]: the formats' names, in the order they are tried
        return tuple(r.FORMAT for r in readers())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MAX_FILE_BYTES = 64 * 1024 * 1024
# Characters of section text one trial may hold. Real records hold well under 1 MiB; a 50 MB
# "record" would take hours to embed and is not a trial record anyway.
MAX_TRIAL_CHARS = 4 * 1024 * 1024


def read(path: str | Path, source: str | None = None) -> list[Trial]:
    """Read one file into trials. Raises CorpusError naming the file and the reason."""
    src = source if source is not None else str(path)
    try:
        # O_NONBLOCK: a FIFO opens at once (and is refused below) instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise CorpusError(src, f"cannot read file ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CorpusError(src, "not a regular file (a FIFO, socket or device): not read")
        if st.st_size > MAX_FILE_BYTES:
            raise CorpusError(src, f"file is {st.st_size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit")
        try:
            data = f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CorpusError(src, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise CorpusError(src, f"file is over the {MAX_FILE_BYTES // 2**20} MiB limit")
    return read_bytes(data, src)


def read_bytes(data: bytes, source: str) -> list[Trial]:
    """Parse raw bytes (already read from ``source``) into trials."""
    text = decode(data, source)
    return read_text(text, source)


def read_text(text: str, source: str) -> list[Trial]:
    if not text.strip():
        raise CorpusError(source, "file is empty")
    for reader in readers():
        if reader.sniff(text):
            try:
                trials = reader.parse(text, source)
            except CorpusError:
                raise
            except (ValueError, KeyError, IndexError, RecursionError) as exc:
                raise CorpusError(source, f"malformed {reader.FORMAT} record ({type(exc).__name__}: {exc})") from None
            if not trials:
                raise CorpusError(source, f"no trial record found in this {reader.FORMAT} file")
            _check_sizes(trials, source)
            return trials
    raise CorpusError(source, "unsupported content: not a trial record in any known format")


def _check_sizes(trials: list[Trial], source: str) -> None:
    for t in trials:
        chars = sum(len(s.text) for s in t.sections)
        if chars > MAX_TRIAL_CHARS:
            raise CorpusError(
                source,
                f"{t.nct_id} holds {chars / 2**20:.0f} MiB of text, more than a trial record can "
                f"(limit {MAX_TRIAL_CHARS // 2**20} MiB): not indexed",
            )


__all__ = ["FORMATS", "READERS", "read", "read_bytes", "read_text"]
