"""Every file of an index is verified before it is trusted, without slowing the cold start.

Files up to `CHECKSUM_LIMIT` are checksummed on every load (fast). A larger file (the query
encoder's weights, the vectors of a big index) is checksummed once: its identity (device,
inode, size, modification and change times) is then kept in ``verified.json`` inside the
generation, and a later process that finds the same identity skips the work. Writing a file
changes its change time (which no program can set back), so damage done after the check is
caught by the next load. The writer records the files it has just written and checksummed,
so the first question after a build hashes nothing. An index that cannot be written to
(read-only) is still verified: each process then checksums its large files once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from index.errors import IndexCorrupt

log = logging.getLogger(__name__)

CHECKSUM_LIMIT = 64 * 2**20  # larger files are checksummed once per identity, not on every load
RECORD = "verified.json"
REBUILD = "rebuild with `trialqa index`"

_lock = threading.Lock()


def identity(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_files(gen: Path, files: Mapping[str, Mapping[str, Any]], full: bool = False) -> None:
    """Check every file the manifest lists against its size and checksum (large ones once per
    identity, or always with ``full``); `IndexCorrupt` names the first that fails."""
    record = _read_record(gen)
    learned: dict[str, list[Any]] = {}
    for rel, info in files.items():
        st = _stat(gen, rel)
        if st.st_size != info["size"]:
            raise IndexCorrupt(f"{gen}: {rel} has {st.st_size} bytes, expected {info['size']}; {REBUILD}")
        known = record.get(rel)
        trusted = not full and st.st_size > CHECKSUM_LIMIT and known == [*identity(st), info["sha256"]]
        if trusted:
            continue
        if sha256_file(gen / rel) != info["sha256"]:
            raise IndexCorrupt(f"{gen}: {rel} fails its checksum; {REBUILD}")
        if st.st_size > CHECKSUM_LIMIT:
            learned[rel] = [*identity(st), info["sha256"]]
    if learned:
        _write_record(gen, {**record, **learned})


def record_written(gen: Path, files: Mapping[str, Mapping[str, Any]], rels: Iterable[str] | None = None) -> None:
    """Remember the large files a writer has just written and checksummed (``rels``: those it
    wrote itself; by default every listed file), so loading them hashes nothing."""
    chosen = files if rels is None else {r: files[r] for r in rels if r in files}
    learned = {}
    for rel, info in chosen.items():
        if info["size"] > CHECKSUM_LIMIT:
            learned[rel] = [*identity(_stat(gen, rel)), info["sha256"]]
    if learned:
        _write_record(gen, {**_read_record(gen), **learned})


def _stat(gen: Path, rel: str) -> os.stat_result:
    try:
        return (gen / rel).stat()
    except OSError:
        raise IndexCorrupt(f"{gen}: {rel} is missing; {REBUILD}") from None


def _read_record(gen: Path) -> dict[str, list[Any]]:
    try:
        data = json.loads((gen / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: everything is checked again
        return {}
    return data if isinstance(data, dict) else {}


def _write_record(gen: Path, record: dict[str, list[Any]]) -> None:
    tmp = gen / f".{RECORD}.{os.getpid()}.{threading.get_ident()}"
    try:
        with _lock:
            tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
            os.replace(tmp, gen / RECORD)
    except OSError as exc:  # a read-only index: verified again by the next process
        log.debug("cannot keep %s in %s (%s)", RECORD, gen, exc)
        tmp.unlink(missing_ok=True)
