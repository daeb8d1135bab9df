"""Cold start: wall time of a one-shot `trialqa ask` on the seed corpus with its index
built, and which heavy modules that command imports::

    python -m tests.bench.coldstart DATA_DIR [--runs 7]    # prints JSON
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.common import REPO, emit, log

QUESTION = "which trials use the hepatic artery?"
HEAVY = ("torch", "transformers", "sentence_transformers", "onnx", "sklearn", "pandas", "ray")

PROBE = """
import json, sys, time
t0 = time.perf_counter()
from bot.cli import main
t1 = time.perf_counter()
import contextlib, io
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    rc = main(["ask", sys.argv[1]])
t2 = time.perf_counter()
heavy = sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in {HEAVY}})
print(json.dumps({"rc": rc, "import_cli_s": t1 - t0, "ask_s": t2 - t1, "heavy_modules": heavy}))
"""


def _children_cpu() -> float:
    import resource

    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run(data_dir: Path, runs: int) -> dict:
    env = {**os.environ, "TRIALQA_DATA_DIR": str(data_dir), "NO_COLOR": "1"}
    env.pop("TRIALQA_INDEX", None)
    exe = str(REPO / ".venv" / "bin" / "trialqa")
    if not Path(exe).is_file():
        exe = str(Path(sys.executable).parent / "trialqa")
    cmd = [exe, "ask", QUESTION]
    t = time.perf_counter()
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    first_s = time.perf_counter() - t
    if first.returncode != 0:
        raise RuntimeError(f"trialqa ask failed: {first.stderr[-2000:]}")
    log(f"first run (builds the seed index) {first_s:.1f} s")
    walls, cpus = [], []
    for _ in range(runs):
        before = _children_cpu()
        t = time.perf_counter()
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
        walls.append(time.perf_counter() - t)
        cpus.append(_children_cpu() - before)
        if p.returncode != 0 or "NCT01724697" not in p.stdout:
            raise RuntimeError(f"unexpected answer: {p.stdout[:500]} {p.stderr[-1000:]}")
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.replace("{HEAVY}", repr(set(HEAVY))), QUESTION],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    info = json.loads([ln for ln in probe.stdout.splitlines() if ln.startswith("{")][-1])
    imp = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"from bot.cli import main; main(['ask', {QUESTION!r}])"],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    tops = []
    for line in imp.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cum, raw = line[len("import time:") :].split("|")
            cum = cum.strip()
            if cum.isdigit() and raw.startswith(" ") and not raw.startswith("  "):  # top level only
                tops.append((int(cum) / 1e6, raw.strip()))
    tops.sort(reverse=True)
    return {
        "question": QUESTION,
        "runs": runs,
        "first_run_with_build_s": round(first_s, 2),
        "wall_s": [round(w, 3) for w in walls],
        "median_s": round(statistics.median(walls), 3),
        "min_s": round(min(walls), 3),
        "cpu_s": [round(c, 3) for c in cpus],  # user + system CPU of each run: what other work cannot stretch
        "cpu_median_s": round(statistics.median(cpus), 3),
        "in_process": {k: round(v, 3) if isinstance(v, float) else v for k, v in info.items()},
        "imports_torch": "torch" in info["heavy_modules"],
        "top_imports_s": [[n, round(s, 3)] for s, n in tops[:8]],
    }


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.coldstart")
    p.add_argument("data_dir", type=Path)
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    emit(run(args.data_dir, args.runs))


if __name__ == "__main__":
    main()
