"""Helpers the benchmark sections share: timing, memory, machine facts, child processes."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SCIFACT = DATA / "beir-scifact"
CTGOV_TAR = DATA / "ctgov-xml-6786.tar.gz"
DEV_QUESTIONS = SHARED / "eval" / "dev_questions.jsonl"
MODEL = "all-MiniLM-L6-v2"

# Questions of the kind the corpus is asked (the dev questions are added when present).
QUESTIONS = [
    "which trials use the hepatic artery?",
    "Which trials exclude HIV?",
    "Which trials give cells through the portal vein?",
    "Which trials measure the Child-Pugh score?",
    "which trials treat liver cirrhosis with stem cells?",
    "which trials exclude pregnant or breastfeeding women?",
    "what is the primary outcome of trials of hepatocellular carcinoma?",
    "which trials give autologous bone marrow mononuclear cells?",
    "which trials use a placebo control?",
    "which trials require a MELD score above 15?",
    "which trials measure overall survival at 12 months?",
    "which trials exclude patients with renal failure?",
    "which trials inject mesenchymal stem cells intravenously?",
    "which trials enrol children with acute lymphoblastic leukemia?",
    "which trials test a vaccine against HIV infection?",
    "which studies measure quality of life with a questionnaire?",
    "which trials exclude active hepatitis B or C infection?",
    "which trials randomize patients to chemotherapy or radiotherapy?",
    "which trials measure serum albumin and bilirubin?",
    "which trials are double blind?",
    "which trials treat type 2 diabetes with insulin?",
    "which trials study breast cancer with tamoxifen?",
    "which trials exclude a history of myocardial infarction?",
    "which trials measure blood pressure reduction?",
]


def questions() -> list[str]:
    qs = list(QUESTIONS)
    if DEV_QUESTIONS.is_file():
        for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)["q"]
                if q not in qs:
                    qs.append(q)
    return qs


def pct(samples: list[float]) -> dict[str, float]:
    """p50 / p95 / mean in milliseconds of samples in seconds."""
    a = np.asarray(samples, dtype=np.float64) * 1000
    return {
        "p50_ms": round(float(np.percentile(a, 50)), 3),
        "p95_ms": round(float(np.percentile(a, 95)), 3),
        "mean_ms": round(float(a.mean()), 3),
        "n": len(a),
    }


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of `repeat` runs (seconds) and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def latencies(fn: Callable[[Any], Any], inputs: list[Any], rounds: int = 3, warmup: int = 2) -> dict[str, float]:
    for x in inputs[:warmup]:
        fn(x)
    samples = []
    for _ in range(rounds):
        for x in inputs:
            t = time.perf_counter()
            fn(x)
            samples.append(time.perf_counter() - t)
    return pct(samples)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return round(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "commit": commit,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def child(module: str, *args: str, env: dict[str, str] | None = None, timeout: float = 7200) -> dict[str, Any]:
    """Run `python -m module args...` and return the JSON object it prints last."""
    cmd = [sys.executable, "-m", module, *args]
    proc = subprocess.run(
        cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def emit(result: dict[str, Any]) -> None:
    """What a child process hands back: one JSON line on stdout."""
    print(json.dumps(result), flush=True)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ask_latencies(ask: Callable[[str], Any], qs: list[str], rounds: int) -> tuple[dict[str, float], list]:
    """p50/p95 of `ask` over the questions, and the three slowest (best of the rounds, ms). Also
    the process CPU time per `ask` (``cpu_p50_ms``, ``cpu_mean_ms``): what a question costs when
    other work shares the cores and stretches wall time."""
    per: dict[str, list[float]] = {q: [] for q in qs}
    cpu: list[float] = []
    for _ in range(rounds):
        for q in qs:
            c, t = time.process_time(), time.perf_counter()
            ask(q)
            per[q].append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    slow = sorted(per.items(), key=lambda kv: -min(kv[1]))[:3]
    stats = pct([x for v in per.values() for x in v])
    c_ms = pct(cpu)
    stats.update(cpu_p50_ms=c_ms["p50_ms"], cpu_mean_ms=c_ms["mean_ms"])
    return stats, [[q, round(min(v) * 1000, 1)] for q, v in slow]
