"""Readers: one module per source format behind one `read(path)`.

Each reader module exposes ``FORMAT`` (its name), ``sniff(text) -> bool`` (does this
content look like mine?) and ``parse(text, source) -> list[Trial]`` which raises
`CorpusError` with a reason when the content is malformed. The format is picked by
content, not by file extension; plain text / Markdown is the fallback.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from index.errors import CorpusError
from index.model import Trial
from index.readers import ctgov_v2, ctgov_xml, medpath, studyfields, textfile, veeva
from index.readers.decode import decode

# Order matters: specific formats first, the plain-text fallback last.
READERS: tuple[ModuleType, ...] = (ctgov_v2, studyfields, ctgov_xml, veeva, medpath, textfile)
FORMATS: tuple[str, ...] = tuple(r.FORMAT for r in READERS)

MAX_FILE_BYTES = 64 * 1024 * 1024


def read(path: str | Path, source: str | None = None) -> list[Trial]:
    """Read one file into trials. Raises CorpusError naming the file and the reason."""
    p = Path(path)
    src = source if source is not None else str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise CorpusError(src, f"cannot read file ({exc.strerror or exc})") from None
    if size > MAX_FILE_BYTES:
        raise CorpusError(src, f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CorpusError(src, f"cannot read file ({exc.strerror or exc})") from None
    return read_bytes(data, src)


def read_bytes(data: bytes, source: str) -> list[Trial]:
    """Parse raw bytes (already read from ``source``) into trials."""
    text = decode(data, source)
    return read_text(text, source)


def read_text(text: str, source: str) -> list[Trial]:
    if not text.strip():
        raise CorpusError(source, "file is empty")
    for reader in READERS:
        if reader.sniff(text):
            try:
                trials = reader.parse(text, source)
            except CorpusError:
                raise
            except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
                raise CorpusError(source, f"malformed {reader.FORMAT} record ({type(exc).__name__}: {exc})") from None
            if not trials:
                raise CorpusError(source, f"no trial record found in this {reader.FORMAT} file")
            return trials
    raise CorpusError(source, "unsupported content: not a trial record in any known format")


__all__ = ["FORMATS", "READERS", "read", "read_bytes", "read_text"]
