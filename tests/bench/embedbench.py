"""Embedding throughput: our bulk encoder path against plain `SentenceTransformer.encode`
on the same 2,000 real chunk texts, plus the settings tried (batch size, ONNX)::

    python -m tests.bench.embedbench TEXTS_JSON ONNX_ENCODER_DIR [--rounds 2]   # prints JSON
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tests.bench.common import MODEL, emit, log, peak_rss_mb


def run(texts: list[str], onnx_dir: Path, rounds: int) -> dict:
    import torch
    from sentence_transformers import SentenceTransformer

    from index.retrieval.embed import OnnxEncoder, SentenceTransformerEncoder, resolve_model

    plain_model = SentenceTransformer(resolve_model(MODEL), device="cpu")
    ours = SentenceTransformerEncoder(MODEL)
    configs: dict[str, tuple[str, Callable[[], np.ndarray]]] = {
        "plain_encode": (
            "plain `SentenceTransformer.encode(texts)` (batch 32)",
            lambda: plain_model.encode(texts, show_progress_bar=False),
        ),
        "ours": (f"ours: `SentenceTransformerEncoder.encode` (batch {ours.batch_size})", lambda: ours.encode(texts)),
    }
    for bs in (16, 64, 128):
        enc = SentenceTransformerEncoder(MODEL, batch_size=bs)
        configs[f"ours_bs{bs}"] = (f"ours, batch {bs}", lambda e=enc: e.encode(texts))
    onnx = OnnxEncoder(onnx_dir)
    configs["onnx"] = ("ONNX export on onnxruntime (the query encoder), batch 32", lambda: onnx.encode(texts))
    best: dict[str, float] = {}
    vecs: dict[str, np.ndarray] = {}
    for r in range(rounds):  # plain and ours every round (interleaved), the other settings once
        for name, (_, fn) in configs.items():
            if r and name not in ("plain_encode", "ours"):
                continue
            t = time.perf_counter()
            v = fn()
            dt = time.perf_counter() - t
            best[name] = max(best.get(name, 0.0), len(texts) / dt)
            vecs[name] = np.asarray(v, dtype=np.float32)
            log(f"round {r + 1}: {name} {len(texts) / dt:.1f} texts/s")
    ref = vecs["plain_encode"]
    out = {
        "texts": len(texts),
        "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
        "torch_threads": torch.get_num_threads(),
        "rounds": rounds,
        "configs": {
            name: {
                "label": label,
                "texts_per_s": round(best[name], 1),
                "min_cosine": round(float((vecs[name] * ref).sum(axis=1).min()), 6),
            }
            for name, (label, _) in configs.items()
        },
        "peak_rss_mb": peak_rss_mb(),
    }
    out["plain_encode"] = out["configs"]["plain_encode"]
    out["ours"] = out["configs"]["ours"]
    return out


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.embedbench")
    p.add_argument("texts", type=Path)
    p.add_argument("onnx", type=Path)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    emit(run(json.loads(args.texts.read_text()), args.onnx, args.rounds))


if __name__ == "__main__":
    main()
