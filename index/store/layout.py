"""Generations of an index directory: which one is live, the next name, the switch, cleanup.

An index directory holds numbered generations (``gen-000002``) and ``CURRENT``, the name of
the live one. A build writes a new generation into a temporary directory, renames it into
place and then atomically replaces CURRENT, so a killed build never leaves a half-written
index and the previous generation stays usable until the switch.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from index.errors import IndexCorrupt, IndexMissing

CURRENT = "CURRENT"
GEN_PREFIX = "gen-"
TMP_PREFIX = ".tmp-gen-"  # a generation being written
DRAFT_PREFIX = ".CURRENT."  # CURRENT being replaced


def current_generation(index_dir: Path) -> Path:
    """The live generation's directory (`IndexMissing` when there is none)."""
    cur = index_dir / CURRENT
    if not cur.is_file():
        raise IndexMissing(f"no index at {index_dir}; build one with `trialqa index PATH... --index {index_dir}`")
    name = cur.read_text(encoding="utf-8").strip()
    gen = index_dir / name
    if not name.startswith(GEN_PREFIX) or "/" in name or not gen.is_dir():
        raise IndexCorrupt(f"{index_dir}: CURRENT points to {name!r}, which is missing; rebuild with `trialqa index`")
    return gen


def current_name(index_dir: Path) -> str | None:
    """The live generation's name, or None when there is no readable one."""
    try:
        return current_generation(index_dir).name
    except (IndexMissing, IndexCorrupt):
        return None


def next_generation(index_dir: Path) -> str:
    """The name after every generation in the directory (switched to or not)."""
    nums = [int(p.name[4:]) for p in index_dir.glob(GEN_PREFIX + "*") if p.name[4:].isdigit()]
    return f"{GEN_PREFIX}{max(nums, default=0) + 1:06d}"


def publish(index_dir: Path, tmp: Path) -> str:
    """Rename a written generation into place and switch CURRENT to it, durably."""
    gen = next_generation(index_dir)
    os.replace(tmp, index_dir / gen)
    fsync_dir(index_dir)
    draft = index_dir / f"{DRAFT_PREFIX}{os.getpid()}"
    draft.write_text(gen + "\n", encoding="utf-8")
    fsync_file(draft)
    os.replace(draft, index_dir / CURRENT)
    fsync_dir(index_dir)
    return gen


def cleanup(index_dir: Path, keep: str, previous: str | None = None) -> None:
    """Drop older generations, keeping the new one and the one CURRENT named before the
    switch (a reader that opened it a moment ago can still finish loading it). Segment
    files the new generation links stay: only the old names go."""
    keep_set = {keep} | ({previous} if previous else set())
    for p in index_dir.iterdir():
        if p.name in keep_set or p.name == CURRENT:
            continue
        if p.name.startswith((GEN_PREFIX, TMP_PREFIX, DRAFT_PREFIX)):
            remove(p)


def tidy(index_dir: Path) -> None:
    """Remove what killed builds left (temporary generations, CURRENT drafts, generations
    renamed into place but never switched to); callers hold `writer_lock`."""
    current = current_generation(index_dir).name
    for p in index_dir.iterdir():
        orphan = p.name.startswith(GEN_PREFIX) and p.name[4:].isdigit() and p.name > current
        if orphan or p.name.startswith((TMP_PREFIX, DRAFT_PREFIX)):
            remove(p)


def remove(p: Path) -> None:
    if p.is_dir():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


def fsync_file(p: Path) -> None:
    with p.open("rb") as f:
        os.fsync(f.fileno())


def fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
