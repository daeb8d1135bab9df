"""Run the benchmarks and write bench/report.json and bench/report.md.

    .venv/bin/python -m tests.bench.run                       # everything (about an hour on 2 cores)
    .venv/bin/python -m tests.bench.run --sections latency --sizes 10000,100000
    .venv/bin/python -m tests.bench.run --sections quality,coldstart

Sections: build (tokenize/BM25 speed vs rank-bm25 and bm25s), embed (encoder throughput vs
plain SentenceTransformer.encode), coldstart (`trialqa ask`), latency (10k/100k/1M chunks,
ours vs rank-bm25 and bm25s), incremental (one trial added to the 6,786-record index),
quality (SciFact), serve (50 concurrent clients of `trialqa serve`'s POST /ask on the
seeds), milvus (Milvus Lite in process vs the embedded backend on the same synthetic index;
run it with --sizes 100000,1000000). Each step runs in its own process, so memory figures are per step. A run of some
sections updates those in an existing report. Scratch corpora and synthetic indexes go to
$TRIALQA_BENCH_TMP (default /tmp/trialqa-bench-run) and are deleted at the end (--keep
keeps them); caches (vectors, token statistics) stay in $TRIALQA_DATA_DIR/cache.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from tests.bench.common import REPO, child, loadavg, log, machine
from tests.bench.corpus import scratch, unpack
from tests.bench.report import render

SECTIONS = ("build", "embed", "coldstart", "latency", "incremental", "quality", "serve", "milvus")
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
BY_SIZE = ("latency", "milvus")  # sections keyed by index size
PEER_MAX = {"rank_bm25": 100_000, "bm25s": 1_000_000}


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sections",
        default=",".join(s for s in SECTIONS if s != "milvus"),
        help=f"comma-separated, of {', '.join(SECTIONS)} (default: all but milvus, ~20 min at 1M chunks on 2 cores)",
    )
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="synthetic index sizes (chunks)")
    p.add_argument("--out", type=Path, default=REPO / "bench", help="where report.json / report.md go")
    p.add_argument("--rounds", type=int, default=3, help="rounds of the questions per backend (milvus section)")
    p.add_argument("--keep", action="store_true", help="keep the scratch directory")
    p.add_argument("--render", action="store_true", help="only rewrite report.md from report.json")
    args = p.parse_args()
    if args.render:
        _save(args.out, json.loads((args.out / "report.json").read_text()))
        return
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        p.error(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from index.config import Settings

    cache = Settings.from_env().data_dir / "cache"
    work = scratch()
    report_path = args.out / "report.json"
    report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    runs = report.setdefault("runs", {})
    started = time.time()
    for s in sections:
        t = time.perf_counter()
        log(f"section {s} (load average {loadavg()})")
        before = loadavg()
        result = SECTION_FUNCS[s](work, cache, sizes, **({"rounds": args.rounds} if s == "milvus" else {}))
        # sizes measured now replace those sizes only (a run of --sizes 100000 keeps the others)
        report[s] = {**report.get(s, {}), **result} if s in BY_SIZE else result
        runs[s] = {
            "machine": machine(),
            "seconds": round(time.perf_counter() - t, 1),
            "load_average_before": before,
            "load_average_after": loadavg(),
        }
        _save(args.out, report)
    log(f"done in {(time.time() - started) / 60:.1f} min; {args.out / 'report.md'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _save(out: Path, report: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "report.json.tmp"
    tmp.write_text(json.dumps(report, indent=2) + "\n")
    tmp.replace(out / "report.json")
    (out / "report.md").write_text(render(report))


def build_section(work: Path, cache: Path, sizes: list[int]) -> dict:
    return child("tests.bench.buildspeed", str(unpack(work)), str(cache))


def embed_section(work: Path, cache: Path, sizes: list[int]) -> dict:
    texts = cache / "bench" / "embed-texts.json"
    if not texts.is_file():
        build_section(work, cache, sizes)
    return child("tests.bench.embedbench", str(texts), str(_encoder_dir(work)))


def coldstart_section(work: Path, cache: Path, sizes: list[int]) -> dict:
    d = work / "seed-data"
    shutil.rmtree(d, ignore_errors=True)
    return child("tests.bench.coldstart", str(d))


def _encoder_dir(work: Path) -> Path:
    """The ONNX query encoder of a seed-corpus index (built once per run)."""
    from index.store.layout import current_generation

    d = work / "seed-data"
    try:
        gen = current_generation(d / "index")
    except Exception:
        child("tests.bench.coldstart", str(d), "--runs", "1")
        gen = current_generation(d / "index")
    return gen / "query_encoder"


def _synthetic_inputs(work: Path, cache: Path, sizes: list[int]) -> tuple[Path, Path]:
    """The real corpus's token statistics (the build section writes them when missing) and a
    query encoder: what every synthetic index is made from."""
    stats = cache / "bench" / "token-stats.npz"
    if not stats.is_file():
        build_section(work, cache, sizes)
    return stats, _encoder_dir(work)


def latency_section(work: Path, cache: Path, sizes: list[int]) -> dict:
    stats, enc = _synthetic_inputs(work, cache, sizes)
    out: dict = {}
    for n in sizes:
        d = work / f"synthetic-{n}"
        shutil.rmtree(d, ignore_errors=True)
        log(f"synthetic index of {n:,} chunks")
        res = {
            "index": child(
                "tests.bench.latency", "make", str(d), "--size", str(n), "--encoder", str(enc), "--stats", str(stats)
            )
        }
        log(f"{n:,}: ours")
        res["ours"] = child("tests.bench.latency", "ours", str(d))
        for peer in ("rank_bm25", "bm25s"):
            if n <= PEER_MAX[peer]:
                log(f"{n:,}: {peer}")
                res[peer] = child("tests.bench.latency", peer, str(d))
        res["measured"] = {"date": machine()["date"], "load_average": loadavg()}
        out[str(n)] = res
        shutil.rmtree(d, ignore_errors=True)
    return out


def milvus_section(work: Path, cache: Path, sizes: list[int], rounds: int = 3) -> dict:
    """Per size: the embedded index (`latency make`) and the same chunks in Milvus Lite, each
    built, then queried, in its own process."""
    stats, enc = _synthetic_inputs(work, cache, sizes)
    out: dict = {}
    for n in sizes:
        d = work / f"milvus-{n}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        common = ("--encoder", str(enc))
        log(f"{n:,} chunks: embedded index")
        res = {
            "embedded_build": child(
                "tests.bench.latency", "make", str(d), "--size", str(n), *common, "--stats", str(stats)
            )
        }
        child("tests.bench.milvusbench", "exact", str(d))
        log(f"{n:,} chunks: Milvus Lite index")
        res["milvus_build"] = child(
            "tests.bench.milvusbench", "write", str(d), "--size", str(n), *common, "--stats", str(stats)
        )
        for backend in ("embedded", "milvus"):
            log(f"{n:,} chunks: queries, {backend}")
            res[backend] = child(
                "tests.bench.milvusbench", "query", str(d), "--backend", backend, "--rounds", str(rounds), *common
            )
        res["measured"] = {"date": machine()["date"], "load_average": loadavg(), "commit": machine()["commit"]}
        out[str(n)] = res
        shutil.rmtree(d, ignore_errors=True)
    return out


def incremental_section(work: Path, cache: Path, sizes: list[int]) -> dict:
    return child("tests.bench.addtrial", str(unpack(work)), str(work), str(cache))


def quality_section(work: Path, cache: Path, sizes: list[int]) -> dict:
    return child("tests.bench.quality", str(cache))


def serve_section(work: Path, cache: Path, sizes: list[int]) -> dict:
    d = work / "serve-data"
    shutil.rmtree(d, ignore_errors=True)
    return child("tests.bench.serveload", str(d), "--clients", "50", "--seconds", "30")


SECTION_FUNCS = {
    "build": build_section,
    "embed": embed_section,
    "coldstart": coldstart_section,
    "latency": latency_section,
    "incremental": incremental_section,
    "quality": quality_section,
    "serve": serve_section,
    "milvus": milvus_section,
}


if __name__ == "__main__":
    main()
