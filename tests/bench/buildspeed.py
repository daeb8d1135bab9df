"""Index build speed on the real 6,786-record corpus: reading, chunking, tokenizing and
BM25 (chunks/s) with peak memory, against rank-bm25's and bm25s's index construction on
the same tokens. Also saves the corpus's token statistics (for the synthetic indexes) and
a fixed sample of 2,000 chunk texts (for the embedding benchmark)::

    python -m tests.bench.buildspeed CORPUS_DIR CACHE_DIR     # prints JSON
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from tests.bench.common import emit, log, peak_rss_mb
from tests.bench.corpus import save_stats, stats_of, zipf_exponent

EMBED_SAMPLE = 2000


def run(corpus_dir: Path, cache_dir: Path) -> dict:
    from index.build.stages import UNEMBEDDED, tokenize_chunks
    from index.corpus.loader import load_corpus
    from index.retrieval.bm25 import BM25, BM25Params, tf_matrix
    from index.text.chunk import chunk_trial

    out: dict = {}
    t = time.perf_counter()
    corpus = load_corpus([corpus_dir])
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    chunks, per_trial = [], []
    for tr in corpus.trials:
        cs = chunk_trial(tr)
        chunks.extend(cs)
        per_trial.append(len(cs))
    chunk_s = time.perf_counter() - t
    n = len(chunks)
    log(f"{len(corpus.trials)} trials, {n:,} chunks; tokenizing")
    t = time.perf_counter()
    tokens = tokenize_chunks(chunks)
    tok_s = time.perf_counter() - t
    t = time.perf_counter()
    vocab, tf, lengths = tf_matrix(tokens)
    BM25.from_tf(vocab, tf, lengths, BM25Params())
    bm_s = time.perf_counter() - t
    distinct = len({c.index_text for c in chunks})
    out["ours"] = {
        "files": len(corpus.files),
        "trials": len(corpus.trials),
        "chunks": n,
        "distinct_index_texts": distinct,
        "terms": len(vocab),
        "postings": int(tf.nnz),
        "read_s": round(read_s, 2),
        "files_per_s": round(len(corpus.files) / read_s, 1),
        "chunk_s": round(chunk_s, 2),
        "tokenize_s": round(tok_s, 2),
        "tokenize_chunks_per_s": round(n / tok_s),
        "bm25_s": round(bm_s, 2),
        "bm25_chunks_per_s": round(n / bm_s),
        "peak_rss_mb": peak_rss_mb(),
    }
    stats = stats_of(tokens, per_trial)
    save_stats(cache_dir / "bench" / "token-stats.npz", stats)
    out["token_stats"] = {
        "zipf_exponent": zipf_exponent(stats["counts"]),
        "mean_chunk_tokens": round(float(stats["lengths"].mean()), 1),
        "median_chunk_tokens": float(np.median(stats["lengths"])),
        "mean_chunks_per_trial": round(float(stats["per_trial"].mean()), 1),
    }
    embeddable = list(dict.fromkeys(c.embed_text for c in chunks if c.section not in UNEMBEDDED))
    rng = np.random.default_rng(0)
    sample = [embeddable[i] for i in sorted(rng.choice(len(embeddable), EMBED_SAMPLE, replace=False))]
    (cache_dir / "bench" / "embed-texts.json").write_text(json.dumps(sample))
    del corpus, chunks

    log("rank-bm25 BM25Plus on the same tokens")
    import rank_bm25

    t = time.perf_counter()
    rank_bm25.BM25Plus(tokens)
    rb_s = time.perf_counter() - t
    out["rank_bm25"] = {"bm25_s": round(rb_s, 2), "bm25_chunks_per_s": round(n / rb_s)}

    log("bm25s BM25(method='bm25+') from the same token ids")
    import bm25s

    get = vocab.__getitem__
    ids = [[get(w) for w in doc] for doc in tokens]
    t = time.perf_counter()
    bm25s.BM25(method="bm25+", k1=1.5, b=0.75, delta=1.0).index((ids, dict(vocab)), show_progress=False)
    bs_s = time.perf_counter() - t
    out["bm25s"] = {"bm25_s": round(bs_s, 2), "bm25_chunks_per_s": round(n / bs_s)}
    return out


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.buildspeed")
    p.add_argument("corpus", type=Path)
    p.add_argument("cache", type=Path)
    args = p.parse_args()
    emit(run(args.corpus, args.cache))


if __name__ == "__main__":
    main()
