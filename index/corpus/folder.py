"""A folder of fetched studies: one API v2 JSON file per study, and the fetch state.

Each study is saved, pretty-printed, to ``DIR/NCT01234567.json``; ``DIR/.fetch-state.json``
records the query a fetch ran for and where it stopped. Files are written atomically (a
hidden temporary file, then ``os.replace``), so a folder never holds half a study.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from index.model import NCT_RE

log = logging.getLogger(__name__)

STATE_FILE = ".fetch-state.json"


def _get(study: object, *path: str) -> object:
    node = study
    for name in path:
        node = node.get(name) if isinstance(node, dict) else None
    return node


def nct_id(study: object) -> str | None:
    """The study's NCT ID when it is well formed (it names the file), else None."""
    value = _get(study, "protocolSection", "identificationModule", "nctId")
    return value if isinstance(value, str) and NCT_RE.fullmatch(value) else None


def last_update(study: object) -> str | None:
    value = _get(study, "protocolSection", "statusModule", "lastUpdatePostDateStruct", "date")
    return value if isinstance(value, str) else None


def overall_status(study: object) -> str | None:
    value = _get(study, "protocolSection", "statusModule", "overallStatus")
    return value if isinstance(value, str) else None


def saved_studies(out: Path) -> dict[str, tuple[str | None, str | None]]:
    """(last update, status) of each study saved in out, by NCT ID (None for unreadable files:
    those are refetched)."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for path in sorted(out.glob("NCT*.json")):
        if not NCT_RE.fullmatch(path.stem):
            continue
        try:
            study = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError, RecursionError):
            log.warning("%s is unreadable: it will be fetched again", path)
            study = None
        found[path.stem] = (last_update(study), overall_status(study))
    return found


def save_study(out: Path, nct: str, study: object) -> Path:
    """Write one study, pretty-printed, to out/NCT....json atomically."""
    path = out / f"{nct}.json"
    write_atomic(path, json.dumps(study, ensure_ascii=False, indent=2) + "\n")
    return path


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def load_state(out: Path) -> dict[str, Any]:
    """The folder's state file as a dict; {} when it is missing or unreadable."""
    try:
        state = json.loads((out / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return state if isinstance(state, dict) else {}


def save_state(out: Path, query: dict[str, Any], token: str | None, seen: int, total: int | None, done: bool) -> None:
    state = {"query": query, "next_page_token": token, "seen": seen, "total": total, "complete": done}
    write_atomic(out / STATE_FILE, json.dumps(state, indent=2) + "\n")
