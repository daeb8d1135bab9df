"""Load on the HTTP API: `trialqa serve` on the seed index as a real process, and N concurrent
clients (default 50) each asking question after question over its own keep-alive connection::

    python -m tests.bench.serveload DATA_DIR [--clients 50] [--seconds 20]    # prints JSON

Every answer is checked against the one the server gave to the same question asked alone
(a different answer counts as an error, as does any status but 200 or a failed connection).
Reports p50/p95 latency, errors, answers per second, answers per second per core of the
machine (the clients run on the same cores), and answers per CPU-second of the server process.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.bench.common import REPO, emit, log, pct, questions

READY = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _post(conn: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes]:
    conn.request("POST", "/ask", body, {"Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, r.read()


def run(data_dir: Path, clients: int, seconds: float) -> dict:
    env = {**os.environ, "TRIALQA_DATA_DIR": str(data_dir)}
    for k in ("TRIALQA_INDEX", "TRIALQA_API_TOKEN", "TRIALQA_API_PORT", "TRIALQA_API_HOST"):
        env.pop(k, None)
    index = data_dir / "index"
    if not (index / "CURRENT").is_file():
        log("building the seed index")
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "index", str(REPO / "corpus"), "--index", str(index)],
            cwd=REPO, env=env, check=True, capture_output=True,
        )  # fmt: skip
    err = data_dir / "serve-stderr.log"
    with err.open("wb") as f:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--index", str(index), "--port", "0"],
            cwd=REPO, env=env, stderr=f, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not (m := READY.search(err.read_text(errors="replace"))):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"trialqa serve did not start: {err.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        port = int(m.group(1))
        qs = questions()
        bodies = [json.dumps({"question": q}).encode() for q in qs]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        expected = []
        for b in bodies:  # each question alone: the reference answers (and a warm server)
            status, data = _post(conn, b)
            if status != 200:
                raise RuntimeError(f"{status}: {data[:300]!r}")
            expected.append(json.loads(data))
        conn.close()
        log(f"{clients} clients for {seconds:.0f} s, {len(qs)} questions")

        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        start = threading.Barrier(clients + 1)
        stop_at = [0.0]

        def client(i: int) -> None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine: list[float] = []
            bad: list[str] = []
            n = i
            start.wait()
            while time.monotonic() < stop_at[0]:
                j = n % len(bodies)
                n += 1
                t = time.perf_counter()
                try:
                    status, data = _post(c, bodies[j])
                except (OSError, http.client.HTTPException) as exc:
                    bad.append(f"{type(exc).__name__}: {exc}")
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    continue
                mine.append(time.perf_counter() - t)
                if status != 200:
                    bad.append(f"HTTP {status}: {data[:200]!r}")
                elif json.loads(data) != expected[j]:
                    bad.append(f"a different answer to {qs[j]!r}")
            c.close()
            with lock:
                latencies.extend(mine)
                errors.extend(bad)

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        for t in threads:
            t.start()
        cpu0 = _cpu_seconds(proc.pid)
        stop_at[0] = time.monotonic() + seconds
        t0 = time.perf_counter()
        start.wait()
        for t in threads:
            t.join(seconds + 120)
        wall = time.perf_counter() - t0
        cpu = _cpu_seconds(proc.pid) - cpu0
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    cores = len(os.sched_getaffinity(0))
    answered = len(latencies)
    per_s = answered / wall
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "questions": len(qs),
        "requests": answered + sum(1 for e in errors if not e.startswith(("HTTP", "a different"))),
        "answers": answered,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "latency": pct(latencies) if latencies else {},
        "answers_per_s": round(per_s, 1),
        "cores": cores,
        "answers_per_s_per_core": round(per_s / cores, 1),
        "server_cpu_s": round(cpu, 1),
        "answers_per_server_cpu_s": round(answered / cpu, 1) if cpu else None,
        "exit_code": proc.returncode,
    }


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.serveload", description=__doc__.split("\n\n")[0])
    p.add_argument("data_dir", type=Path)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=20)
    a = p.parse_args()
    a.data_dir.mkdir(parents=True, exist_ok=True)
    emit(run(a.data_dir, a.clients, a.seconds))


if __name__ == "__main__":
    main()
