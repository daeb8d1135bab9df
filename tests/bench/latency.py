"""Query latency at 10k / 100k / 1M chunks: ours (BM25, dense, hybrid, `ask`) against
rank-bm25 and bm25s on the same tokens.

Synthetic chunks (`tests.bench.synthetic`): document lengths drawn from the real corpus's
chunk lengths and words from its term frequencies (a Zipf-like distribution: the empirical
one), grouped into trials of real sizes; every chunk gets a random unit vector (the real
index embeds only a third of its chunks, so this is the worst case for the dense side). The index is written
by the real storage code (`write_index`) and searched by `EmbeddedBackend` exactly as in
production. Each step runs in its own process::

    python -m tests.bench.latency make DIR --size N --encoder QUERY_ENCODER_DIR
    python -m tests.bench.latency ours DIR       # prints JSON
    python -m tests.bench.latency rank_bm25 DIR
    python -m tests.bench.latency bm25s DIR
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from tests.bench.common import ask_latencies, emit, latencies, log, peak_rss_mb, questions, rss_mb, timed
from tests.bench.synthetic import load_stats, synthetic


def make(out: Path, size: int, stats: dict[str, np.ndarray], encoder_dir: Path, seed: int = 0) -> dict:
    """A synthetic index of `size` chunks at out/index, plus the token ids peers index."""
    from index.retrieval.embed import OnnxEncoder
    from index.store.writer import write_index
    from index.text.tokenize import tokenize

    t0 = time.perf_counter()
    syn = synthetic(size, stats, encoder_dir, seed)
    log(f"{size:,} chunks made in {time.perf_counter() - t0:.0f} s; writing")
    t1 = time.perf_counter()
    write_index(out / "index", syn.data, query_encoder=encoder_dir)
    write_s = time.perf_counter() - t1
    trials, terms, postings = len(syn.data.trials), len(syn.words), syn.postings
    ids, lengths, words = syn.ids, syn.lengths, syn.words
    del syn  # the chunks and vectors
    qs = questions()
    np.savez(
        out / "peers.npz",
        ids=ids.astype(np.int32),
        lengths=lengths.astype(np.int32),
        words=words,
        qvecs=OnnxEncoder(encoder_dir).encode(qs),
    )
    (out / "questions.json").write_text(json.dumps({"questions": qs, "tokens": [tokenize(q) for q in qs]}))
    disk = sum(p.stat().st_size for p in (out / "index").rglob("*") if p.is_file())
    return {
        "size": size,
        "trials": trials,
        "terms": terms,
        "postings": postings,
        "make_s": round(time.perf_counter() - t0, 1),
        "write_s": round(write_s, 1),
        "disk_mb": round(disk / 2**20, 1),
    }


def _queries(d: Path) -> tuple[list[str], list[list[str]], np.ndarray]:
    q = json.loads((d / "questions.json").read_text())
    with np.load(d / "peers.npz") as z:
        qvecs = z["qvecs"]
    return q["questions"], q["tokens"], qvecs


def ours(d: Path, rounds: int = 3) -> dict:
    """Our retrieval and `ask` over the synthetic index, with memory."""
    from index.retrieval.fusion import FusionParams
    from index.retrieval.search import hybrid
    from index.store.reader import open_backend
    from index.trial_index import TrialIndex

    qs, toks, qvecs = _queries(d)
    base_rss = rss_mb()
    load_s, backend = timed(lambda: open_backend(d / "index"))
    load_rss = rss_mb()
    ix = TrialIndex(backend)
    fusion = FusionParams()
    pairs = list(zip(toks, qvecs, strict=True))
    out = {
        "load_s": round(load_s, 3),
        "bm25_scores": latencies(lambda t: backend.bm25.scores(t), toks, rounds),
        "bm25_topk": latencies(lambda t: backend.bm25.top(t, 10), toks, rounds),
        "dense_topk": latencies(lambda v: backend.dense(v, 10), list(qvecs), rounds),
        "hybrid": latencies(lambda p: hybrid(backend, p[0], p[1], 10, fusion, pool=100), pairs, rounds),
        "hybrid_pool200": latencies(lambda p: hybrid(backend, p[0], p[1], 200, fusion, pool=200), pairs, rounds),
        "embed_query": latencies(lambda q: ix.embed_query(q), qs, rounds),
    }
    t = time.perf_counter()
    ix.ask(qs[0])
    out["first_ask_s"] = round(time.perf_counter() - t, 3)  # trials, identity, facts built once
    out["ask"], out["ask_slowest"] = ask_latencies(ix.ask, qs, rounds)
    out["rss_mb"] = {"before_load": base_rss, "after_load": load_rss, "after_queries": rss_mb(), "peak": peak_rss_mb()}
    out["dense_recall_at_10_vs_exact"] = _scan_recall(backend, qvecs)
    return out


def _scan_recall(backend, qvecs: np.ndarray) -> float | None:
    """Share of the exact (float16 -> float32 product) top 10 that dense() finds."""
    from index.store.vectors import EXACT_SCAN_MAX

    if len(backend.vectors) <= EXACT_SCAN_MAX:
        return None
    q = np.asarray(qvecs, dtype=np.float32)
    sims = np.empty((len(backend.vectors), len(q)), dtype=np.float32)
    for lo in range(0, len(sims), 65536):
        sims[lo : lo + 65536] = np.asarray(backend.vectors[lo : lo + 65536], dtype=np.float32) @ q.T
    found = 0
    for j in range(len(q)):
        tenth = np.partition(sims[:, j], len(sims) - 10)[len(sims) - 10] - 1e-6
        got = backend.slot[backend.dense(q[j], 10)[0]]
        found += min(10, int((sims[got, j] >= tenth).sum()))
    return round(found / (10 * len(q)), 4)


def _peer_docs(d: Path) -> tuple[list[list[int]], list[str]]:
    with np.load(d / "peers.npz") as z:
        ids, lengths, words = z["ids"], z["lengths"], z["words"]
    starts = np.concatenate([[0], np.cumsum(lengths)])
    docs = [ids[starts[i] : starts[i + 1]].tolist() for i in range(len(lengths))]
    return docs, words.tolist()


def rank_bm25_run(d: Path, rounds: int = 1) -> dict:
    """rank_bm25.BM25Plus over the same tokens (strings): build time and get_scores."""
    import rank_bm25

    docs, words = _peer_docs(d)
    t = time.perf_counter()
    corpus = [[words[i] for i in doc] for doc in docs]
    del docs
    model = rank_bm25.BM25Plus(corpus)
    build_s = time.perf_counter() - t
    _, toks, _ = _queries(d)
    out = {"build_s": round(build_s, 2), "get_scores": latencies(model.get_scores, toks, rounds, warmup=1)}

    def topk(tokens: list[str]) -> np.ndarray:
        s = model.get_scores(tokens)
        return np.argsort(-s)[:10]

    out["topk"] = latencies(topk, toks[:10], 1, warmup=0)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def bm25s_run(d: Path, rounds: int = 3) -> dict:
    """bm25s.BM25(method="bm25+") indexed from the same token ids: get_scores and retrieve()."""
    import bm25s

    docs, words = _peer_docs(d)
    vocab = {w: i for i, w in enumerate(words)}
    t = time.perf_counter()
    model = bm25s.BM25(method="bm25+", k1=1.5, b=0.75, delta=1.0)
    model.index((docs, vocab), show_progress=False)
    build_s = time.perf_counter() - t
    del docs
    _, toks, _ = _queries(d)
    qids = [[vocab[w] for w in q if w in vocab] or [model.vocab_dict[""]] for q in toks]
    return {
        "build_s": round(build_s, 2),
        "get_scores": latencies(lambda q: model.get_scores(q), qids, rounds),
        "retrieve": latencies(lambda q: model.retrieve([q], k=10, show_progress=False, n_threads=0), qids, rounds),
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.latency")
    p.add_argument("what", choices=["make", "ours", "rank_bm25", "bm25s"])
    p.add_argument("dir", type=Path)
    p.add_argument("--size", type=int, default=10_000)
    p.add_argument("--encoder", type=Path)
    p.add_argument("--stats", type=Path)
    args = p.parse_args()
    if args.what == "make":
        args.dir.mkdir(parents=True, exist_ok=True)
        emit(make(args.dir, args.size, load_stats(args.stats), args.encoder))
    elif args.what == "ours":
        emit(ours(args.dir))
    elif args.what == "rank_bm25":
        emit(rank_bm25_run(args.dir))
    else:
        emit(bm25s_run(args.dir))


if __name__ == "__main__":
    main()
