"""The writer lock of an index directory: builds of one directory run one after another.

The lock is a `filelock.FileLock` on the directory's ``LOCK`` file (an flock on POSIX, so
the kernel releases it when the holder dies, even by kill -9). Readers never take it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from index.errors import IndexWriteError

log = logging.getLogger(__name__)

LOCK_NAME = "LOCK"


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index directory's writer lock, waiting (and saying so) while another build
    holds it: no build removes another's temporary files."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        (index_dir / LOCK_NAME).touch()
    except OSError as exc:
        raise unwritable(index_dir, exc) from None
    # a new lock object (a new descriptor) per use: two threads of one process exclude each
    # other as two processes do
    lock = FileLock(index_dir / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another build is writing %s; waiting for it to finish", index_dir)
        t0 = time.monotonic()
        lock.acquire()
        log.info("waited %.1f s for the other build", time.monotonic() - t0)
    try:
        yield
    finally:
        lock.release()


def unwritable(index_dir: Path, exc: OSError) -> IndexWriteError:
    return IndexWriteError(f"cannot write an index at {index_dir} ({exc.strerror or exc})")
