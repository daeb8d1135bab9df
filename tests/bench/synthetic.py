"""Synthetic indexes with the real corpus's statistics, shared by the latency and Milvus
benchmarks: chunk lengths drawn from the real corpus's chunk lengths, words from its term
frequencies (the empirical Zipf-like distribution), trials of its sizes, and a random unit
vector per chunk (the first one real, so `TrialIndex` can check its query encoder). The same
seed gives the same chunks, vectors and BM25 weights, so each backend can be written from
an identical `IndexData` in its own process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tests.bench.common import MODEL

if TYPE_CHECKING:
    from index.store.writer import IndexData

DIM = 384


@dataclass
class Synthetic:
    """One synthetic index: what the writers take (``data``) and the token ids the peers index."""

    data: IndexData
    ids: np.ndarray  # token ids of every chunk, concatenated
    lengths: np.ndarray  # tokens per chunk
    words: np.ndarray  # the vocabulary, by token id
    postings: int


def synthetic(size: int, stats: dict[str, np.ndarray], encoder_dir: Path, seed: int = 0) -> Synthetic:
    """`size` synthetic chunks as the `IndexData` both index writers take."""
    from index.build.stages import trial_records
    from index.model import Trial
    from index.retrieval.bm25 import BM25, BM25Params, counts_matrix
    from index.retrieval.embed import OnnxEncoder
    from index.store.writer import IndexData
    from index.text.chunk import Chunk
    from index.text.tokenize import TOKENIZER_VERSION

    rng = np.random.default_rng(seed)
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
    vectors = np.empty((size, DIM), dtype=np.float16)
    for lo in range(0, size, 65536):
        v = rng.standard_normal((min(65536, size - lo), DIM), dtype=np.float32)
        vectors[lo : lo + len(v)] = v / np.linalg.norm(v, axis=1, keepdims=True)
    # the first vector is the real one: TrialIndex checks its query encoder against it
    vectors[0] = OnnxEncoder(encoder_dir).encode([chunks[0].embed_text])[0]
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
            "dim": DIM,
            "bm25": {"variant": "plus", "k1": 1.5, "b": 0.75, "delta": 1.0, "epsilon": 0.25},
            "fusion": {"method": "linear", "bm25_weight": 0.5, "rrf_k": 60},
            "counts": {"chunks": size, "trials": len(trials), "terms": len(vocab)},
            "synthetic": True,
        },
    )
    return Synthetic(data, ids, lengths, words, int(tf.nnz))


def load_stats(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as z:
        return {k: z[k] for k in z.files}
