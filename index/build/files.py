"""The corpus files of a build: the walk, each file's content hash, the corpus fingerprint."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.corpus.loader import LoadError, iter_files


@dataclass
class CorpusFiles:
    digests: dict[str, str]  # path as walked -> sha256 ("" when unreadable)
    stats: dict[str, list[int]]  # path -> [size, mtime_ns]
    errors: list[LoadError]  # from the walk (broken links, ...)


def scan_files(paths: Iterable[str | Path], known: dict[str, dict[str, Any]] | None = None) -> CorpusFiles:
    """Walk the corpus and hash every file, by path as walked (sorted); a file whose size
    and modification time (ns) equal those ``known`` (a previous build's sources record)
    keeps its recorded hash."""
    files, errors = iter_files(paths)
    digests: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    for f in sorted(files, key=str):
        name = str(f)
        try:
            st = f.stat()
            seen = [st.st_size, st.st_mtime_ns]
            k = (known or {}).get(name)
            if k and k.get("stat") == seen and k.get("sha256"):
                digests[name] = k["sha256"]
            else:
                digests[name] = sha256_regular(f)
            stats[name] = seen
        except OSError:
            digests[name] = ""
    return CorpusFiles(digests, stats, errors)


def sha256_regular(path: Path) -> str:
    """The file's sha256, read in blocks; OSError unless it is a regular file (a FIFO or
    device swapped in after the walk is refused without blocking on it)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        h = hashlib.sha256()
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fingerprint(digests: dict[str, str]) -> str:
    """The corpus fingerprint from the files' digests (names and bytes)."""
    h = hashlib.sha256()
    for name, digest in sorted(digests.items()):
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(bytes.fromhex(digest) if digest else b"unreadable")
    return h.hexdigest()


def corpus_fingerprint(paths: Iterable[str | Path]) -> str:
    """Content hash of every file under the paths (names and bytes)."""
    return fingerprint(scan_files(paths).digests)
