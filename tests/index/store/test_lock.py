"""The writer lock: builds of one directory take turns, between threads and between processes."""

import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index.errors import IndexWriteError
from index.store.lock import LOCK_NAME, writer_lock

HOLD = """
import sys, time
from pathlib import Path
from index.store.lock import writer_lock
d, release = Path(sys.argv[1]), Path(sys.argv[2])
with writer_lock(d):
    print("held", flush=True)
    while not release.exists():
        time.sleep(0.02)
"""


def test_builds_of_one_directory_take_turns(tmp_path: Path) -> None:
    d = tmp_path / "ix"
    order: list[str] = []
    with writer_lock(d):

        def second() -> None:
            with writer_lock(d):
                order.append("second")

        t = threading.Thread(target=second)
        t.start()
        t.join(0.5)
        assert t.is_alive() and order == []  # waits while the first holds the lock
        order.append("first")
    t.join(10)
    assert order == ["first", "second"]
    assert sorted(p.name for p in d.iterdir()) == [LOCK_NAME]


def test_a_second_process_waits_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    d, release = tmp_path / "ix", tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(d), str(release)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        threading.Timer(0.5, release.touch).start()
        t0 = time.monotonic()
        with caplog.at_level(logging.INFO, logger="index.store.lock"), writer_lock(d):
            waited = time.monotonic() - t0
        assert holder.wait(10) == 0
    finally:
        holder.kill()
    assert waited >= 0.4
    messages = [r.getMessage() for r in caplog.records if r.name == "index.store.lock"]
    assert messages[0] == f"another build is writing {d}; waiting for it to finish"
    assert messages[1].startswith("waited ") and messages[1].endswith(" s for the other build")


def test_an_unwritable_directory_is_a_write_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(IndexWriteError) as info, writer_lock(blocker / "ix"):
        pass
    assert str(info.value) == f"cannot write an index at {blocker / 'ix'} (Not a directory)"
