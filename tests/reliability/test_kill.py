"""`kill -9` of `trialqa index` at random moments, many times: the previous index stays
usable and exact after every kill (generations are written aside and switched atomically),
and the next build completes and cleans up after the killed ones."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from index import TrialIndex
from index.store.manifest import read_manifest, verify
from tests.conftest import CORPUS
from tests.helpers.builds import build, wait_for_writing
from tests.helpers.reliability import HEPATIC, answers_hepatic, cli_env, live_generation, report

RUNS = int(os.environ.get("TRIALQA_KILL_RUNS", "10"))
NOTE = "NCT09100001 Kill test note\n\nSummary:\nVersion {v}: the volunteers keep a sleep diary for two weeks.\n"


def finish(proc: subprocess.Popen[bytes]) -> None:
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()


def check(index_dir: Path) -> tuple[str, int]:
    """The live generation verifies in full and answers exactly; (its name, trial count)."""
    gen = live_generation(index_dir)
    verify(gen, read_manifest(gen), full=True)  # every checksum, large files included
    ix = TrialIndex.load(index_dir)
    assert answers_hepatic(ix.ask(HEPATIC))
    return gen.name, len(ix.trials)


def test_kill_9_at_random_points_never_loses_the_index(seed_index_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)  # its query encoder is reused: no ONNX export, no torch
    (tmp_path / "tmp").mkdir()
    env = cli_env(TRIALQA_DATA_DIR=str(tmp_path / "data"), TMPDIR=str(tmp_path / "tmp"))
    note = corpus / "kill_note.txt"
    same, other = str(corpus), str(corpus) + "/"  # the other spelling forces a full build

    # Calibrate: a full build, then two incremental ones (each embeds the note's new text).
    finish(build(same, index_dir, env))
    took = []
    for v in ("A", "B"):
        note.write_text(NOTE.format(v=v), encoding="utf-8")
        t0 = time.monotonic()
        finish(build(same, index_dir, env))
        took.append(time.monotonic() - t0)
    span = max(took)
    assert check(index_dir)[1] == 6

    rng = random.Random(20240607)
    phases = {"before writing": 0, "while writing": 0, "after the switch": 0, "after it ended": 0}
    for i in range(RUNS):
        full = i % 3 == 2
        note.write_text(NOTE.format(v="AB"[i % 2] if full else f"run {i}"), encoding="utf-8")
        before = live_generation(index_dir).name
        existing = {p.name for p in index_dir.iterdir()}
        proc = build(other if full else same, index_dir, env)
        if i % 2:  # anywhere in the build
            time.sleep(rng.uniform(0.05, 1.2 * span))
        else:  # while it writes the new generation (a window of some tens of milliseconds)
            wait_for_writing(index_dir, existing, proc)
            time.sleep(rng.uniform(0.0, 0.03))
        running = proc.poll() is None
        if running:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended in between
                running = False
        proc.wait(timeout=60)
        gen, trials = check(index_dir)
        assert trials == 6
        phases[phase(index_dir, existing, before, gen, running)] += 1
    # The next build finishes and removes what the killed ones left behind.
    finish(build(same, index_dir, env))
    assert check(index_dir)[1] == 6
    assert [p.name for p in index_dir.iterdir() if p.name.startswith((".tmp-gen-", ".CURRENT."))] == []
    assert len(list(index_dir.glob("gen-*"))) <= 2
    assert phases["while writing"] >= RUNS // 4  # the window that matters was hit, several times
    stray = Counter(re.sub(r"[^-]+$", "*", p.name) for p in (tmp_path / "tmp").iterdir() if p.name[0] != ".")
    cache_tmp = list((tmp_path / "data").rglob("*.tmp.npz"))
    report(
        "kill -9 of `trialqa index`",
        f"{RUNS}/{RUNS} runs survived; killed {', '.join(f'{n} {k}' for k, n in phases.items())}; a build takes "
        f"{span:.1f} s; left behind: {len(cache_tmp)} partial cache shards, "
        f"{', '.join(f'{n} {name} dirs' for name, n in stray.items()) or 'no'} in TMPDIR",
    )


def phase(index_dir: Path, existing: set[str], before: str, now: str, running: bool) -> str:
    """Where a kill landed, from what it left behind (compared with what was there before)."""
    if not running:
        return "after it ended"
    if now != before:
        return "after the switch"
    if {p.name for p in index_dir.iterdir()} - existing:  # a temporary or renamed generation, a CURRENT draft
        return "while writing"
    return "before writing"
