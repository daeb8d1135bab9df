"""The Ray-pipeline build against the plain build on the 6,786-record XML corpus (a local Ray
of ``--cpus`` CPUs):

1. **chunks**, on every record: both ways of reading and chunking (`LocalEngine.read` and
   `chunk_trials`; `RayEngine.read`, which chunks in its read tasks), timed, and the corpus
   (trials, read errors) and the chunks compared, item for item. No embedding.
2. **vectors**, on a deterministic sample of ``--sample`` records (every n-th file in walk
   order; 0: all of them): two full builds, each from its own empty vector cache, timed by
   phase; chunks, vector rows and keys, and the stored float16 vectors compared (count of
   vectors that differ, largest absolute difference), and the answers to the benchmark
   questions.

Embedding the whole corpus (about 107k distinct texts) takes 30-100 min per build on two
busy cores, so the default sample is 300 records; ``--sample 0`` is the full comparison::

    python -m tests.bench.raybuild                        # chunks of all, vectors of 300 records
    python -m tests.bench.raybuild --sample 0 --cpus 8    # vectors of all 6,786 too

Prints the results as JSON and writes them to bench/raybuild.json and bench/raybuild.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench.common import MODEL, QUESTIONS, REPO, loadavg, log, machine
from tests.bench.corpus import scratch, unpack


def sample_files(corpus: Path, n: int) -> list[Path]:
    """Every k-th file of the corpus in walk order, n of them (all when n is 0)."""
    from index.corpus.loader import iter_files

    files, _ = iter_files([corpus])
    if n <= 0 or n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def compare_chunks(corpus: Path, engine: Any) -> dict[str, Any]:
    """Read and chunk every record both ways; the corpora and chunks compared."""
    from index.build.engine import LocalEngine

    load = loadavg()
    t = time.perf_counter()
    plain = LocalEngine().read([corpus], None)
    plain_chunks, plain_owner = plain.chunked()
    plain_s = time.perf_counter() - t
    log(f"plain read+chunk: {len(plain.corpus.trials)} trials, {len(plain_chunks):,} chunks in {plain_s:.1f} s")
    t = time.perf_counter()
    ray = engine.read([corpus], None)
    ray_chunks, ray_owner = ray.chunked()
    ray_s = time.perf_counter() - t
    log(f"Ray read+chunk: {len(ray.corpus.trials)} trials, {len(ray_chunks):,} chunks in {ray_s:.1f} s")
    differing = sum(a != b for a, b in zip(plain_chunks, ray_chunks, strict=False))
    return {
        "files": len(plain.corpus.files),
        "trials": len(plain.corpus.trials),
        "read_errors": len(plain.corpus.errors),
        "chunks": len(plain_chunks),
        "ray_chunks": len(ray_chunks),
        "chunks_differing": differing,
        "same_trials": plain.corpus.trials == ray.corpus.trials,
        "same_errors": plain.corpus.errors == ray.corpus.errors,
        "same_chunks": len(plain_chunks) == len(ray_chunks) and differing == 0,
        "same_owner": bool(np.array_equal(plain_owner, ray_owner)),
        "plain_read_chunk_s": round(plain_s, 1),
        "ray_read_chunk_s": round(ray_s, 1),
        "load_average": [load, loadavg()],  # 1, 5, 15 min, before and after
    }


def compare_builds(files: list[Path], work: Path, engine: Any) -> dict[str, Any]:
    """Two full builds of the files from empty caches, compared."""
    from index.build.pipeline import build_index
    from index.trial_index import TrialIndex

    out: dict[str, Any] = {"records": len(files)}
    built = {}
    for name, eng in (("plain", None), ("ray", engine)):
        shutil.rmtree(work / name, ignore_errors=True)
        load = loadavg()
        t = time.perf_counter()
        backend, _ = build_index(files, work / name / "index", MODEL, cache_dir=work / name / "cache", engine=eng)
        wall = time.perf_counter() - t
        c = backend.manifest["counts"]
        log(f"{name} build: {c['chunks']:,} chunks, embedded {c['embedded']:,} in {wall:.1f} s")
        out[name] = {
            "build_s": round(wall, 1),
            "timings": backend.manifest["timings"],
            "counts": c,
            "load_average": [load, loadavg()],
        }
        built[name] = backend
    plain, ray = built["plain"], built["ray"]
    rows = np.arange(len(plain.vector_rows))
    same_chunks = plain.n_chunks == ray.n_chunks and all(plain.chunk(i) == ray.chunk(i) for i in range(plain.n_chunks))
    out["same_chunks"] = same_chunks
    out["same_vector_rows"] = bool(np.array_equal(np.asarray(plain.vector_rows), np.asarray(ray.vector_rows)))
    out["same_vector_keys"] = bool(np.array_equal(np.asarray(plain.vector_keys()), np.asarray(ray.vector_keys())))
    if out["same_vector_rows"]:
        pv, rv = np.asarray(plain.vectors[rows]), np.asarray(ray.vectors[rows])
        diff = np.abs(pv.astype(np.float32) - rv.astype(np.float32))
        out["vectors"] = len(rows)
        out["vectors_differing"] = int((diff.max(axis=1) > 0).sum()) if len(rows) else 0
        out["max_abs_diff"] = float(diff.max()) if len(rows) else 0.0
        out["stored_dtype"] = str(pv.dtype)
    asks = [(TrialIndex(plain).ask(q).to_dict(), TrialIndex(ray).ask(q).to_dict()) for q in QUESTIONS]
    out["questions"] = len(asks)
    out["same_answers"] = sum(a == b for a, b in asks)
    return out


def render(r: dict[str, Any]) -> str:
    c, v = r["chunks"], r["vectors"]
    p, y = v["plain"], v["ray"]
    lines = [
        "# Ray-pipeline build vs the plain build",
        "",
        f"Command: `{r['command']}`; {r['machine'].get('cores', '?')} CPUs, local Ray of {r['ray_cpus']} CPUs, "
        f"{r['date']}.",
        "",
        f"**Chunks, all {c['files']:,} files** ({c['trials']:,} trials, {c['read_errors']} read errors): "
        f"{c['chunks']:,} chunks plain, {c['ray_chunks']:,} on Ray, {c['chunks_differing']} differing; "
        f"same trials {c['same_trials']}, same errors {c['same_errors']}, same chunk owners {c['same_owner']}. "
        f"Read + chunk {c['plain_read_chunk_s']} s plain, {c['ray_read_chunk_s']} s on Ray "
        f"(load average {_load(c)}).",
        "",
        f"**Vectors, {v['records']:,} records** (each build from an empty cache): "
        f"{p['counts']['chunks']:,} chunks, {v.get('vectors', 0):,} vectors ({p['counts']['embedded']:,} distinct "
        f"texts embedded by each); same chunks {v['same_chunks']}, same vector rows {v['same_vector_rows']} and keys "
        f"{v['same_vector_keys']}; stored {v.get('stored_dtype')} vectors differing: {v.get('vectors_differing')}, "
        f"max abs diff {v.get('max_abs_diff')}; answers equal for {v['same_answers']}/{v['questions']} questions.",
        "",
        "| build | wall s | read s | embed s | load average before, after |",
        "| --- | --- | --- | --- | --- |",
        f"| plain | {p['build_s']} | {p['timings'].get('read')} | {p['timings'].get('embed')} | {_load(p)} |",
        f"| Ray | {y['build_s']} | {y['timings'].get('read')} | {y['timings'].get('embed')} | {_load(y)} |",
        "",
        "The machine's 2 cores are shared with other work: the times move with the load average (1 min) shown.",
        "",
    ]
    return "\n".join(lines)


def _load(d: dict[str, Any]) -> str:
    pair = d.get("load_average")
    return f"{pair[0][0]}, {pair[1][0]}" if pair else "?"


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.raybuild", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, help="a folder of records (default: the 6,786 XML records, unpacked)")
    p.add_argument("--sample", type=int, default=300, help="records built with vectors (0: all; default 300)")
    p.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray (default 2)")
    p.add_argument("--out", type=Path, default=REPO / "bench", help="where raybuild.json / raybuild.md go")
    args = p.parse_args()
    from index.build.ray_pipeline import RayEngine, RayOptions

    work = scratch() / "raybuild"
    corpus = args.corpus or unpack(scratch())
    report: dict[str, Any] = {
        "command": f"python -m tests.bench.raybuild --sample {args.sample} --cpus {args.cpus}",
        "machine": machine(),
        "ray_cpus": args.cpus,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
    }
    with RayEngine(RayOptions(cpus=args.cpus)) as engine:
        report["chunks"] = compare_chunks(corpus, engine)
        report["vectors"] = compare_builds(sample_files(corpus, args.sample), work, engine)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "raybuild.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "raybuild.md").write_text(render(report))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
