"""Query latency at 10k / 100k / 1M chunks: ours (BM25, dense, hybrid, `ask`) against
rank-bm25 and bm25s on the same tokens.

Synthetic chunks: document lengths drawn from the real corpus's chunk lengths and words
from its term frequencies (a Zipf-like distribution: the empirical one), grouped into
trials of real sizes; every chunk gets a random unit vector (the real index embeds only a
third of its chunks, so this is the worst case for the dense side). The index is written
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

from tests.bench.common import MODEL, ask_latencies, emit, latencies, log, peak_rss_mb, questions, rss_mb, timed


def make(out: Path, size: int, stats: dict[str, np.ndarray], encoder_dir: Path, seed: int = 0) -> dict:
    """A synthetic index of `size` chunks at out/index, plus the token ids peers index."""
    from index.build.stages import trial_records
    from index.model import Trial
    from index.retrieval.bm25 import BM25, BM25Params, counts_matrix
    from index.retrieval.embed import OnnxEncoder
    from index.store.writer import IndexData, write_index
    from index.text.chunk import Chunk
    from index.text.tokenize import TOKENIZER_VERSION, tokenize

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    terms, counts = stats["terms"], stats["counts"]
    lengths = rng.choice(stats["lengths"], size=size).astype(np.int64)
    lengths[lengths == 0] = 1
    ids = rng.choice(len(terms), size=int(lengths.sum()), p=counts / counts.sum())
    # vocabulary ids in order of first use, like tf_matrix
    used, first = np.unique(ids, return_index=True)
    order = used[np.argsort(first)]
    remap = np.full(len(terms), -1, dtype=np.int64)
    remap[order] = np.arange(len(order))
    ids = remap[ids]
    vocab = {str(terms[t]): i for i, t in enumerate(order)}
    words = terms[order]
    tf = counts_matrix(ids, lengths, len(vocab))
    bm = BM25.from_tf(vocab, tf, lengths.astype(np.float64), BM25Params())
    sizes = []
    while sum(sizes) < size:
        sizes.append(int(rng.choice(stats["per_trial"])) or 1)
    sizes[-1] -= sum(sizes) - size
    trial_of = np.repeat(np.arange(len(sizes)), sizes)
    trials = [Trial(f"NCT9{i:07d}", f"Synthetic trial {i}", "synthetic", "synthetic") for i in range(len(sizes))]
    starts = np.concatenate([[0], np.cumsum(lengths)])
    chunks = []
    for r in range(size):
        text = " ".join(words[ids[starts[r] : starts[r + 1]]].tolist())
        chunks.append(Chunk(trials[trial_of[r]].nct_id, "summary", "Summary", text, "synthetic", None, 0, len(text)))
    log(f"{size:,} chunks: tokens and BM25 in {time.perf_counter() - t0:.0f} s; vectors")
    dim = 384
    vectors = np.empty((size, dim), dtype=np.float16)
    for lo in range(0, size, 65536):
        v = rng.standard_normal((min(65536, size - lo), dim), dtype=np.float32)
        vectors[lo : lo + len(v)] = v / np.linalg.norm(v, axis=1, keepdims=True)
    # the first vector is the real one: TrialIndex checks its query encoder against it
    enc = OnnxEncoder(encoder_dir)
    vectors[0] = enc.encode([chunks[0].embed_text])[0]
    records = trial_records(trials)
    data = IndexData(
        trials=trials,
        facts=records.facts,
        names=records.names,
        conditions=records.conditions,
        chunks=chunks,
        chunk_trial=trial_of,
        bm25=bm,
        tf=tf,
        lengths=lengths.astype(np.float64),
        vectors=vectors,
        vector_rows=np.arange(size),
        vector_keys=np.array([f"{i:040x}".encode() for i in range(size)], dtype="S40"),
        manifest={
            "model": MODEL,
            "tokenizer": TOKENIZER_VERSION,
            "dim": dim,
            "bm25": {"variant": "plus", "k1": 1.5, "b": 0.75, "delta": 1.0, "epsilon": 0.25},
            "fusion": {"method": "linear", "bm25_weight": 0.5, "rrf_k": 60},
            "counts": {"chunks": size, "trials": len(trials), "terms": len(vocab)},
            "synthetic": True,
        },
    )
    t1 = time.perf_counter()
    write_index(out / "index", data, query_encoder=encoder_dir)
    write_s = time.perf_counter() - t1
    del data, chunks, vectors
    qs = questions()
    np.savez(
        out / "peers.npz",
        ids=ids.astype(np.int32),
        lengths=lengths.astype(np.int32),
        words=words,
        qvecs=enc.encode(qs),
    )
    (out / "questions.json").write_text(json.dumps({"questions": qs, "tokens": [tokenize(q) for q in qs]}))
    disk = sum(p.stat().st_size for p in (out / "index").rglob("*") if p.is_file())
    return {
        "size": size,
        "trials": len(trials),
        "terms": len(vocab),
        "postings": int(tf.nnz),
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
    from index import store

    if len(backend.vectors) <= store.EXACT_SCAN_MAX:
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
        with np.load(args.stats) as z:
            stats = {k: z[k] for k in z.files}
        emit(make(args.dir, args.size, stats, args.encoder))
    elif args.what == "ours":
        emit(ours(args.dir))
    elif args.what == "rank_bm25":
        emit(rank_bm25_run(args.dir))
    else:
        emit(bm25s_run(args.dir))


if __name__ == "__main__":
    main()
