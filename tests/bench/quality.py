"""Retrieval quality on BEIR SciFact (300 test queries): nDCG@10 and recall@100 for BM25,
dense and hybrid through `index.evaluation.evaluate.run_beir` (document vectors cached in the data
dir), beside published numbers; plus how much of the float32 top 10 the float16 vectors
and the int8 scan keep on these real embeddings::

    python -m tests.bench.quality CACHE_DIR    # prints JSON
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench.common import MODEL, SCIFACT, emit, log

PUBLISHED = {
    "bm25": {"ndcg@10": "0.665-0.679", "source": "BEIR / Pyserini (multifield 0.665, flat 0.679)"},
    "dense": {"ndcg@10": "0.645", "source": "MTEB, all-MiniLM-L6-v2"},
}


def run(cache: Path) -> dict:
    from index.evaluation.evaluate import beir_vectors, load_beir, run_beir
    from index.retrieval.fusion import FusionParams

    data = load_beir(SCIFACT)
    t = time.perf_counter()
    scores = run_beir(data, MODEL, cache, {"hybrid": FusionParams(), "hybrid_rrf60": FusionParams("rrf", 0.5, 60)})
    out = {
        "dataset": "BEIR SciFact test (300 queries, 5,183 abstracts)",
        "scores": {k: {m: round(v, 4) for m, v in r.items()} for k, r in scores.items()},
        "published": PUBLISHED,
        "seconds": round(time.perf_counter() - t, 1),
    }
    log("float16 / int8 recall on the SciFact vectors")
    vecs = beir_vectors(data, MODEL, cache)
    out["recall_at_10_vs_float32"] = scan_recall(vecs, [data.queries[q] for q in data.qrels if q in data.queries])
    return out


def scan_recall(vecs: np.ndarray, queries: list[str]) -> dict:
    """Write the vectors through the real storage code and compare dense() (forced to the
    int8 scan) and the float16 exact product with float32 exact top 10."""
    from index.build.stages import trial_records
    from index.model import Trial
    from index.retrieval.bm25 import BM25, tf_matrix
    from index.retrieval.embed import SentenceTransformerEncoder
    from index.store import vectors as store
    from index.store.reader import open_backend
    from index.store.writer import IndexData, write_index
    from index.text.chunk import Chunk

    n = len(vecs)
    qv = SentenceTransformerEncoder(MODEL).encode(queries)
    with tempfile.TemporaryDirectory(prefix="trialqa-bench-scan-") as tmp:
        docs = [["x"] for _ in range(n)]
        _, tf, lengths = tf_matrix(docs)
        trials = [Trial("NCT00000001", "t", "s", "synthetic")]
        records = trial_records(trials)
        write_index(
            Path(tmp),
            IndexData(
                trials=trials,
                facts=records.facts,
                names=records.names,
                conditions=records.conditions,
                chunks=[Chunk("NCT00000001", "summary", "S", "x", "s", None, 0, 1) for _ in range(n)],
                chunk_trial=np.zeros(n, dtype=np.int32),
                bm25=BM25.fit(docs),
                tf=tf,
                lengths=lengths,
                vectors=vecs,
                vector_rows=np.arange(n),
                vector_keys=np.array([f"{i:040x}".encode() for i in range(n)]),
                manifest={"model": MODEL, "dim": vecs.shape[1], "bm25": {"variant": "plus"}},
            ),
        )
        saved = store.EXACT_SCAN_MAX
        store.EXACT_SCAN_MAX = 0  # force the int8 scan on this small set
        try:
            return storage_recall(open_backend(Path(tmp)), vecs, qv)
        finally:
            store.EXACT_SCAN_MAX = saved


def storage_recall(b: Any, f32: np.ndarray, qv: np.ndarray) -> dict:
    """Recall@10 against float32 exact search (``f32`` in vector-slot order) of: the float16
    vectors (exact product), the int8 codes alone, and dense() (int8 scan + float16
    rescoring) with its production candidate pool and with only 8 x 10 candidates. A result
    counts when its float32 score reaches the 10th best (the real index holds many identical
    vectors, so which of two equal ones is returned does not matter)."""
    from index.store import vectors as store

    f16 = np.asarray(b.vectors, dtype=np.float32)
    hits = {"float16_exact": 0, "int8_codes_alone": 0, "int8_scan_rescored": 0, "int8_scan_rescored_80": 0}
    for q in qv:
        exact = f32 @ q
        tenth = np.partition(exact, len(exact) - 10)[len(exact) - 10] - 1e-6

        def found(slots: np.ndarray, exact: np.ndarray = exact, tenth: float = tenth) -> int:
            return min(10, int((exact[np.asarray(slots, dtype=np.int64)] >= tenth).sum()))

        hits["float16_exact"] += found(np.argpartition(-(f16 @ q), 9)[:10])
        if b.scanner is not None:
            hits["int8_codes_alone"] += found(np.argpartition(-b.scanner.scores(q), 9)[:10])
        hits["int8_scan_rescored"] += found(b.slot[b.dense(q, 10)[0]])
        saved, store.RESCORE_MIN = store.RESCORE_MIN, 0
        try:
            hits["int8_scan_rescored_80"] += found(b.slot[b.dense(q, 10)[0]])
        finally:
            store.RESCORE_MIN = saved
    out: dict = {k: round(v / (10 * len(qv)), 4) for k, v in hits.items()}
    out["queries"] = len(qv)
    out["vectors"] = len(f16)
    return out


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.quality")
    p.add_argument("cache", type=Path)
    args = p.parse_args()
    emit(run(args.cache))


if __name__ == "__main__":
    main()
