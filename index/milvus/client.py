"""Connecting to Milvus, and the names of an index's collections.

A URI that is a local path opens Milvus Lite in this process (one process at a time per
directory); ``http://HOST:19530`` is a Milvus server (standalone, cluster, or
``milvus-lite server``)."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import ConfigError, IndexMissing

log = logging.getLogger(__name__)

NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,200}")
KINDS = ("chunks", "terms", "trials", "records")


@dataclass(frozen=True)
class Collections:
    """The collections that hold one index: ``NAME_chunks``, ``NAME_terms``, ``NAME_trials``,
    ``NAME_records``."""

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
    def trials(self) -> str:
        return f"{self.name}_trials"

    @property
    def records(self) -> str:
        return f"{self.name}_records"

    def all(self) -> tuple[str, ...]:
        return (self.chunks, self.terms, self.trials, self.records)


def is_local(uri: str) -> bool:
    return not uri.startswith(("http://", "https://", "tcp://", "unix:"))


def connect(uri: str, token: str = "") -> Any:
    """A `MilvusClient` for the URI. A Milvus Lite directory another process holds raises
    `ConfigError` saying how to share it (run `milvus-lite server` and connect by URI)."""
    from pymilvus import MilvusClient
    from pymilvus.exceptions import MilvusException

    # Milvus Lite has no AllocTimestamp: every query iterator warns and uses the client's time
    logging.getLogger("pymilvus.client.iterator.query_iterator").setLevel(logging.ERROR)
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


@contextlib.contextmanager
def writer_lock(uri: str) -> Iterator[None]:
    """One writer at a time. For a Milvus Lite path: an flock on ``PATH.writer.lock`` beside
    it (released by the kernel if the writer dies), waited for. A server (``http://...``) has
    no lock Milvus could give atomically: writers of one index there must be run one at a
    time by the deployment (README, Backends)."""
    if not uri or not is_local(uri):
        yield
        return
    from filelock import FileLock, Timeout

    path = Path(uri)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path.parent / f"{path.name}.writer.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another build is writing %s; waiting for it to finish", uri)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def require(client: Any, cols: Collections, uri: str) -> None:
    """Raise `IndexMissing` unless every collection of the index exists; load those that are
    not loaded (a Milvus Lite directory opened by a new process, a restarted server)."""
    missing = [c for c in cols.all() if not client.has_collection(c)]
    if missing:
        raise IndexMissing(
            f"no Milvus index {cols.name!r} at {uri} (missing {', '.join(missing)}); "
            f"build it with `trialqa index PATH... --backend milvus --index {cols.name}`"
        )
    for c in cols.all():
        if "Loaded" not in str(client.get_load_state(c).get("state", "")):
            client.load_collection(c)


def query_all(client: Any, collection: str, flt: str, fields: list[str]) -> Iterator[dict[str, Any]]:
    """Every entity the filter selects (paged)."""
    it = client.query_iterator(collection, batch_size=4096, filter=flt, output_fields=fields)
    try:
        while True:
            batch = it.next()
            if not batch:
                return
            yield from batch
    finally:
        it.close()


def write_columns(
    client: Any, collection: str, columns: dict[str, list[Any]], upsert: bool = False, fields: list | None = None
) -> int:
    """Insert (or upsert) one batch of entities given by field (every field of the collection,
    values of equal length); how many. Sent as pymilvus's column-based request where the
    client has one (its connection's ``batch_insert`` / ``upsert``: the same entities, packed
    about twice as fast as rows); otherwise as rows through the public ``insert`` / ``upsert``.
    ``fields``: the collection's fields as `fields_of` gives them (looked up when not given)."""
    n = len(next(iter(columns.values()), []))
    if n == 0:
        return 0
    handler = _handler(client)
    if handler is None:
        rows = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
        (client.upsert if upsert else client.insert)(collection, rows)
        return n
    fields = fields_of(client, collection) if fields is None else fields
    entities = [{"name": f["name"], "type": f["type"], "values": columns[f["name"]]} for f in fields]
    write = handler.upsert if upsert else handler.batch_insert
    write(collection, entities, schema={"fields": fields}, context=client._generate_call_context())
    return n


def fields_of(client: Any, collection: str) -> list[Any]:
    """The collection's fields as pymilvus describes them (empty where they are not used:
    a client without the column-based request)."""
    return list(client.describe_collection(collection)["fields"]) if _handler(client) is not None else []


def _handler(client: Any) -> Any:
    """pymilvus's connection of a `MilvusClient`, when it has the column-based insert."""
    get = getattr(client, "_get_connection", None)
    if get is None or not hasattr(client, "_generate_call_context"):
        return None
    handler = get()
    return handler if hasattr(handler, "batch_insert") and hasattr(handler, "upsert") else None
