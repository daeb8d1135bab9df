"""The manifest of a generation: what it holds and each file's size and checksum.

``manifest.json`` records the format version, model, corpus fingerprint, counts, segments
and every file's size and sha256; ``manifest.sha256`` is the manifest's own checksum, so a
damaged value that still parses is caught.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from index.errors import IndexCorrupt, IndexStale
from index.store.layout import fsync_file
from index.store.verified import CHECKSUM_LIMIT, REBUILD, sha256_file, verify_files

__all__ = ["CHECKSUM_LIMIT", "FORMAT_VERSION", "REBUILD", "read_manifest", "sha256_file", "verify", "write_manifest"]

# 7: facts cite Child-Pugh criterion lines; 8: a design line stating the model under another heading;
# 9: follow-up and dose counts; 10: countries placed by a sponsor or site name (places.tsv) when none is stated,
# placebo arms as records misspell them ("pacebo"); 11: arm types (control and experimental arm lines), identifier
# codes among the names ("XJMSC0001")
FORMAT_VERSION = 11
MANIFEST_SUM = "manifest.sha256"


def read_manifest(gen: Path) -> dict[str, Any]:
    """The generation's manifest, after checking its kind, format version and checksum."""
    try:
        raw = (gen / "manifest.json").read_bytes()
        manifest = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{gen}: unreadable manifest ({exc}); {REBUILD}") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != "trialqa-index":
        raise IndexCorrupt(f"{gen}: not a trialqa index; {REBUILD}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexStale(
            f"{gen}: index format {manifest.get('format_version')}, this trialqa reads {FORMAT_VERSION}; {REBUILD}"
        )
    try:
        recorded = (gen / MANIFEST_SUM).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise IndexStale(f"{gen}: the manifest has no checksum (written by an older trialqa); {REBUILD}") from None
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{gen}: unreadable {MANIFEST_SUM} ({exc}); {REBUILD}") from None
    if hashlib.sha256(raw).hexdigest() != recorded:
        raise IndexCorrupt(f"{gen}: manifest.json fails its checksum; {REBUILD}")
    if not _file_records_ok(manifest.get("files")) or not isinstance(manifest.get("segments"), dict):
        raise IndexCorrupt(f"{gen}: manifest.json does not list the index's files and segments; {REBUILD}")
    return manifest


def _file_records_ok(files: object) -> bool:
    return isinstance(files, dict) and all(
        isinstance(info, dict) and isinstance(info.get("size"), int) and isinstance(info.get("sha256"), str)
        for info in files.values()
    )


def verify(gen: Path, manifest: dict[str, Any], full: bool = False) -> None:
    """Check every file against the manifest's sizes and checksums: small ones on every load,
    large ones once per file identity (`index.store.verified`), all of them with ``full``."""
    verify_files(gen, manifest["files"], full=full)


def file_records(d: Path, known: dict[str, Any]) -> dict[str, Any]:
    """Size and sha256 of every file under ``d`` by relative path (each synced to disk);
    files in ``known`` (hard-linked from an older generation) keep their records."""
    files = {}
    for p in sorted(d.rglob("*")):
        rel = str(p.relative_to(d))
        if rel in known:
            files[rel] = known[rel]
        elif p.is_file():
            files[rel] = {"size": p.stat().st_size, "sha256": sha256_file(p)}
            fsync_file(p)
    return files


def write_manifest(d: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest and its checksum, synced to disk."""
    raw = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    for name, content in (("manifest.json", raw), (MANIFEST_SUM, hashlib.sha256(raw).hexdigest().encode() + b"\n")):
        with (d / name).open("wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
