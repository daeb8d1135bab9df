"""Incremental build: the 6,786-record index, then one more trial.

Builds the full index of the corpus (vectors come from the persistent cache under
TRIALQA_DATA_DIR/cache/embeddings after the first run), copies one trial that is not in it
(from ctgov-xml-trec2023, with a sentence unique to this run so something new is embedded
every time) into the corpus and rebuilds, checking that nothing already embedded is
embedded again. Also measures `ask` on this real index and the int8 scan's recall on its
real vectors::

    python -m tests.bench.addtrial CORPUS_DIR WORK_DIR CACHE_DIR    # prints JSON
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import time
from pathlib import Path

from tests.bench.common import (
    DATA,
    MODEL,
    SCIFACT,
    ask_latencies,
    emit,
    latencies,
    log,
    peak_rss_mb,
    questions,
    rss_mb,
)
from tests.bench.quality import storage_recall

NEW_TRIAL = DATA / "ctgov-xml-trec2023" / "NCT00055081.xml"


def link_tree(src: Path, dst: Path) -> None:
    """A copy of src at dst made of hard links (fast; the files are never modified)."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, copy_function=os.link)


def run(corpus_src: Path, work: Path, cache: Path) -> dict:
    from index.build.stages import UNEMBEDDED
    from index.corpus.readers import read
    from index.store.vcache import VectorCache, model_slug
    from index.text.chunk import chunk_trial
    from index.trial_index import TrialIndex

    corpus = work / "ctgov-plus-one"
    link_tree(corpus_src, corpus)
    index_dir = work / "ctgov-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    emb = cache / "embeddings"  # where TrialIndex.build keeps vectors: $TRIALQA_DATA_DIR/cache/embeddings
    log("full build of the corpus (vectors from the persistent cache after the first run)")
    t = time.perf_counter()
    full = TrialIndex.build([corpus], index_dir, MODEL).backend
    full_s = time.perf_counter() - t
    full_rss = peak_rss_mb()
    out: dict = {
        "full_build": {
            "seconds": round(full_s, 1),
            "peak_rss_mb": full_rss,
            "counts": full.manifest["counts"],
            "timings": full.manifest.get("timings"),
            "disk_mb": round(sum(p.stat().st_size for p in full.dir.rglob("*") if p.is_file()) / 2**20, 1),
        }
    }

    # one more trial, with a sentence only this run has
    marker = f"Benchmark run {time.time_ns()} adds this sentence."
    xml = NEW_TRIAL.read_text(encoding="utf-8")
    xml = re.sub(r"(<brief_summary>\s*<textblock>)", rf"\1{marker} ", xml, count=1)
    target = corpus / "added" / NEW_TRIAL.name
    target.parent.mkdir()
    target.write_text(xml, encoding="utf-8")
    (trial,) = read(target)
    new_keys = {c.key for c in chunk_trial(trial) if c.section not in UNEMBEDDED}
    cached = VectorCache(emb / model_slug(MODEL))
    expected = len([k for k in new_keys if k not in cached])
    del cached
    log(f"adding {trial.nct_id}: {len(new_keys)} texts to embed, {expected} not cached")
    t = time.perf_counter()
    delta = TrialIndex.build([corpus], index_dir, MODEL).backend
    add_s = time.perf_counter() - t
    c = delta.manifest["counts"]
    ok = c["embedded"] == expected and c.get("carried_chunks") == full.manifest["counts"]["chunks"]
    out["add_one_trial"] = {
        "seconds": round(add_s, 2),
        "trial": trial.nct_id,
        "counts": c,
        "expected_embedded": expected,
        "unchanged_chunks_not_re_embedded": bool(ok),
        "timings": delta.manifest.get("timings"),
    }
    if not ok:
        raise AssertionError(f"incremental build re-embedded or dropped chunks: {c} (expected {expected} new)")

    log("ask and scan recall on the real index")
    out["real_index"] = real_index(index_dir, emb)
    return out


COLD_QUESTIONS = (
    "which trials use the hepatic artery?",  # text: retrieval and snippets
    "which trials use a placebo control?",  # fact: every trial's stored facts are read
    "How many patients did the Royan Institute trial enroll?",  # lookup of a named trial
)


def cold_cli(index_dir: Path) -> dict[str, float]:
    """Wall seconds of a one-shot `trialqa ask --index` process per kind of question."""
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "trialqa"
    out = {}
    for q in COLD_QUESTIONS:
        t = time.perf_counter()
        p = subprocess.run([str(exe), "ask", "--index", str(index_dir), q], capture_output=True, text=True)
        out[q] = round(time.perf_counter() - t, 2)
        if p.returncode != 0:
            raise RuntimeError(f"trialqa ask failed: {p.stderr[-2000:]}")
    return out


def real_index(index_dir: Path, emb: Path) -> dict:
    from index.retrieval.fusion import FusionParams
    from index.retrieval.search import hybrid
    from index.store.vcache import VectorCache, model_slug
    from index.text.tokenize import tokenize
    from index.trial_index import TrialIndex

    before = rss_mb()
    ix = TrialIndex.load(index_dir)
    b = ix.backend
    qs = questions()
    t = time.perf_counter()
    ix.ask(qs[0])
    first = time.perf_counter() - t
    pairs = [(tokenize(q), ix.embed_query(q)) for q in qs]
    res = {
        "chunks": b.n_chunks,
        "vectors": len(b.vectors),
        "first_ask_s": round(first, 2),
        "hybrid": latencies(lambda p: hybrid(b, p[0], p[1], 10, FusionParams(), pool=100), pairs, rounds=2),
    }
    res["ask"], res["ask_slowest"] = ask_latencies(ix.ask, qs, rounds=2)
    res["cold_cli"] = cold_cli(index_dir)
    res["rss_mb_growth"] = round(rss_mb() - before, 1)
    # recall of the float16 vectors and of the int8 scan against float32 (the cached originals)
    keys = [k.decode("ascii") for k in b.vector_keys().tolist()]
    found, f32 = VectorCache(emb / model_slug(MODEL)).get_many(keys, b.dim)
    extra = []
    if (SCIFACT / "queries.jsonl").is_file():
        import json

        lines = (SCIFACT / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        extra = [json.loads(x)["text"] for x in lines[:300]]
    qv = ix.encoder.encode(qs + extra)
    res["recall_at_10_vs_float32"] = storage_recall(b, f32, qv)
    res["recall_at_10_vs_float32"]["all_vectors_cached"] = bool(found.all())
    return res


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.addtrial")
    p.add_argument("corpus", type=Path)
    p.add_argument("work", type=Path)
    p.add_argument("cache", type=Path)
    args = p.parse_args()
    emit(run(args.corpus, args.work, args.cache))


if __name__ == "__main__":
    main()
