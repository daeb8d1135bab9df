"""Milvus Lite (in process) against the embedded backend on the same synthetic index.

The latency benchmark's synthetic chunks (`tests.bench.synthetic`, same seed, so the same
chunks, BM25 weights and vectors) are written by `index.milvus.writer.write_milvus` into a
Milvus Lite directory; the embedded index of the same data is `tests.bench.latency make`'s.
Both are then queried through the `SearchBackend` protocol by the same code: BM25 top-10
(`lexical_matches`, then the best 10), dense top-10, hybrid top-10 (pool 100) and
`TrialIndex.ask`. Each step runs in its own process::

    python -m tests.bench.milvusbench write DIR --size N --encoder QUERY_ENCODER_DIR --stats STATS
    python -m tests.bench.milvusbench query DIR --backend milvus --encoder QUERY_ENCODER_DIR
    python -m tests.bench.milvusbench query DIR --backend embedded --encoder QUERY_ENCODER_DIR

(``query`` needs DIR/questions.json and DIR/peers.npz from `tests.bench.latency make DIR`.)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench.common import ask_latencies, emit, latencies, log, peak_rss_mb, rss_mb
from tests.bench.synthetic import load_stats, synthetic

NAME = "bench"  # the Milvus index (collections bench_chunks, bench_terms, bench_records)


def milvus_uri(d: Path) -> str:
    return str(d / "milvus.db")


def write(d: Path, size: int, stats: dict[str, np.ndarray], encoder_dir: Path, seed: int = 0) -> dict:
    """Write the synthetic index into Milvus Lite at DIR/milvus.db; time and memory."""
    from index.config import Settings
    from index.milvus.client import connect
    from index.milvus.writer import write_milvus

    dense_index = Settings.from_env().milvus_dense_index or "FLAT"  # as `build_milvus` does for Milvus Lite
    t0 = time.perf_counter()
    data = synthetic(size, stats, encoder_dir, seed).data
    make_s = time.perf_counter() - t0
    log(f"{size:,} chunks made in {make_s:.0f} s; writing into Milvus Lite")
    before = rss_mb()
    client = connect(milvus_uri(d))
    spent = _time_calls(client, ("insert", "flush", "rename_collection", "load_collection", "create_collection"))
    _time_calls(client._get_connection(), ("batch_insert",), spent, {"batch_insert": "insert"})  # column-based
    t1 = time.perf_counter()
    write_milvus(client, NAME, data, dense_index)
    write_s = time.perf_counter() - t1
    after = rss_mb()
    client.close()
    disk = sum(p.stat().st_size for p in Path(milvus_uri(d)).rglob("*") if p.is_file())
    return {
        "size": size,
        "dense_index": dense_index,
        "make_s": round(make_s, 1),
        "write_s": round(write_s, 1),
        "chunks_per_s": round(size / write_s, 1),
        "client_calls_s": {k: round(v, 1) for k, v in spent.items()},  # the rest: making entities
        "disk_mb": round(disk / 2**20, 1),
        "rss_mb": {"before_write": before, "after_write": after, "peak": peak_rss_mb()},
    }


def _open(d: Path, backend: str, encoder_dir: Path) -> tuple[Any, Any]:
    """The backend and its `TrialIndex`, through the public constructors."""
    from index.trial_index import TrialIndex

    if backend == "milvus":
        from index.milvus.backend import MilvusBackend
        from index.milvus.client import connect

        b = MilvusBackend(connect(milvus_uri(d)), NAME, milvus_uri(d))
        return b, TrialIndex(b, encoder_dir=encoder_dir)
    from index.store.reader import open_backend

    b = open_backend(d / "index")
    return b, TrialIndex(b)


def query(d: Path, backend: str, encoder_dir: Path, rounds: int = 3) -> dict:
    """BM25, dense, hybrid top-10 and `ask` p50/p95 through the `SearchBackend` protocol."""
    from index.retrieval.dense import top
    from index.retrieval.fusion import FusionParams
    from index.retrieval.search import hybrid

    q = json.loads((d / "questions.json").read_text())
    qs, toks = q["questions"], q["tokens"]
    with np.load(d / "peers.npz") as z:
        qvecs = z["qvecs"]
    base_rss = rss_mb()
    t = time.perf_counter()
    b, ix = _open(d, backend, encoder_dir)
    load_s = time.perf_counter() - t
    load_rss = rss_mb()

    def bm25_top(tokens: list[str]) -> np.ndarray:
        docs, vals = b.lexical_matches(tokens)
        return docs[top(vals, 10)]

    t = time.perf_counter()
    bm25_top(toks[0])
    b.dense(qvecs[0], 10)
    first_s = time.perf_counter() - t  # a Milvus collection may load its indexes on first use
    fusion = FusionParams()
    pairs = list(zip(toks, qvecs, strict=True))
    out: dict[str, Any] = {
        "backend": backend,
        "open_s": round(load_s, 3),
        "first_queries_s": round(first_s, 3),
        "bm25_topk": latencies(bm25_top, toks, rounds),
        "dense_topk": latencies(lambda v: b.dense(v, 10), list(qvecs), rounds),
        "hybrid": latencies(lambda p: hybrid(b, p[0], p[1], 10, fusion, pool=100), pairs, rounds),
    }
    t = time.perf_counter()
    ix.ask(qs[0])
    out["first_ask_s"] = round(time.perf_counter() - t, 3)
    calls = _count_calls(b)
    out["ask"], out["ask_slowest"] = ask_latencies(ix.ask, qs, rounds)
    if calls:
        out["milvus_requests_per_ask"] = {k: round(v / (rounds * len(qs)), 2) for k, v in calls.items()}
    out["dense_overlap_at_10_vs_exact"] = _overlap(b, d, qvecs)
    out["rss_mb"] = {"before_open": base_rss, "after_open": load_rss, "after_queries": rss_mb(), "peak": peak_rss_mb()}
    return out


def _time_calls(
    obj: Any, names: tuple[str, ...], spent: dict[str, float] | None = None, keys: dict[str, str] | None = None
) -> dict[str, float]:
    """Seconds spent in each of these methods of ``obj`` from now on, added to ``spent`` under
    the method's name (or its name in ``keys``)."""
    spent = {} if spent is None else spent
    for name in names:
        key = (keys or {}).get(name, name)
        spent.setdefault(key, 0.0)
        method = getattr(obj, name)

        def timed_call(*a: Any, _m: Any = method, _k: str = key, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return _m(*a, **kw)
            finally:
                spent[_k] += time.perf_counter() - t

        setattr(obj, name, timed_call)
    return spent


def _count_calls(b: Any) -> dict[str, int]:
    """Count the Milvus client's search / query calls from now on (empty for the embedded backend)."""
    client = getattr(b, "client", None)
    counts: dict[str, int] = {}
    if client is None:
        return counts
    for name in ("search", "query", "query_iterator"):
        counts[name] = 0
        method = getattr(client, name)

        def counted(*a: Any, _m: Any = method, _n: str = name, **kw: Any) -> Any:
            counts[_n] += 1
            return _m(*a, **kw)

        setattr(client, name, counted)
    return counts


def _overlap(b: Any, d: Path, qvecs: np.ndarray) -> float | None:
    """Share of the exact top 10 (float16 vectors, as both backends store them) that dense() finds."""
    exact_path = d / "exact-top10.npy"
    if not exact_path.is_file():
        return None
    exact = np.load(exact_path)
    found = sum(len(set(b.dense(v, 10)[0].tolist()) & set(exact[j].tolist())) for j, v in enumerate(qvecs))
    return round(found / exact.size, 4)


def exact_top10(d: Path) -> dict:
    """The exact top 10 of every query vector over the embedded index's stored vectors."""
    from index.store.reader import open_backend

    b = open_backend(d / "index")
    with np.load(d / "peers.npz") as z:
        q = np.asarray(z["qvecs"], dtype=np.float32)
    sims = np.empty((b.n_chunks, len(q)), dtype=np.float32)
    for lo in range(0, b.n_chunks, 65536):
        sims[lo : lo + 65536] = b.vectors_of(np.arange(lo, min(lo + 65536, b.n_chunks))) @ q.T
    exact = np.argsort(-sims, axis=0)[:10].T
    np.save(d / "exact-top10.npy", exact)
    return {"queries": len(q)}


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.milvusbench")
    p.add_argument("what", choices=["write", "query", "exact"])
    p.add_argument("dir", type=Path)
    p.add_argument("--size", type=int, default=10_000)
    p.add_argument("--encoder", type=Path)
    p.add_argument("--stats", type=Path)
    p.add_argument("--backend", choices=["embedded", "milvus"], default="milvus")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    if args.what == "write":
        emit(write(args.dir, args.size, load_stats(args.stats), args.encoder))
    elif args.what == "exact":
        emit(exact_top10(args.dir))
    else:
        emit(query(args.dir, args.backend, args.encoder, args.rounds))


if __name__ == "__main__":
    main()
