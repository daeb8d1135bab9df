"""Connecting to Milvus, and the names of an index's collections.

A URI that is a local path opens Milvus Lite in this process (one process at a time per
directory); ``http://HOST:19530`` is a Milvus server (standalone, cluster, or
``milvus-lite server``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from index.errors import ConfigError, IndexMissing

NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,200}")
KINDS = ("chunks", "terms", "records")


@dataclass(frozen=True)
class Collections:
    """The collections that hold one index: ``NAME_chunks``, ``NAME_terms``, ``NAME_records``."""

    name: str

    @classmethod
    def of(cls, name: str) -> Collections:
        if not NAME_RE.fullmatch(name):
            raise ConfigError(
                f"a Milvus index name is letters, digits and underscores, starting with a letter "
                f"(--index / TRIALQA_INDEX), got {name!r}"
            )
        return cls(name)

    @property
    def chunks(self) -> str:
        return f"{self.name}_chunks"

    @property
    def terms(self) -> str:
        return f"{self.name}_terms"

    @property
    def records(self) -> str:
        return f"{self.name}_records"

    def all(self) -> tuple[str, ...]:
        return (self.chunks, self.terms, self.records)


def is_local(uri: str) -> bool:
    return not uri.startswith(("http://", "https://", "tcp://", "unix:"))


def connect(uri: str, token: str = "") -> Any:
    """A `MilvusClient` for the URI. A Milvus Lite directory another process holds raises
    `ConfigError` saying how to share it (run `milvus-lite server` and connect by URI)."""
    from pymilvus import MilvusClient
    from pymilvus.exceptions import MilvusException

    try:
        return MilvusClient(uri=uri, token=token)
    except MilvusException as exc:
        if is_local(uri) and _locked(uri):
            raise ConfigError(locked_message(uri)) from None
        raise ConfigError(f"cannot connect to Milvus at {uri} ({exc}); check TRIALQA_MILVUS_URI") from None


def locked_message(uri: str) -> str:
    return (
        f"the Milvus Lite directory {uri} is open in another process (Milvus Lite allows one process "
        f"at a time). To share it, run `milvus-lite server --data-dir {uri} --host 127.0.0.1 --port 19530` "
        "and connect by URI: TRIALQA_MILVUS_URI=http://127.0.0.1:19530"
    )


def _locked(uri: str) -> bool:
    """Whether another process holds the Milvus Lite directory's lock (``DIR/LOCK``)."""
    import fcntl
    import os

    try:
        fd = os.open(os.path.join(uri, "LOCK"), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def require(client: Any, cols: Collections, uri: str) -> None:
    """Raise `IndexMissing` unless every collection of the index exists; load those not loaded."""
    missing = [c for c in cols.all() if not client.has_collection(c)]
    if missing:
        raise IndexMissing(
            f"no Milvus index {cols.name!r} at {uri} (missing {', '.join(missing)}); "
            f"build it with `trialqa index PATH... --backend milvus --index {cols.name}`"
        )
    for c in cols.all():  # a collection is released when the process that wrote it ends (Milvus Lite)
        if client.get_load_state(c)["state"].name != "Loaded":
            client.load_collection(c)
