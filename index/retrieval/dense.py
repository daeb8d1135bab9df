"""Dense search pieces: int8 codes of the vectors and their full scan.

The scan multiplies uint8 codes (int8 + 128, a per-dimension scale) by an int8 query in
onnxruntime (MLAS integer GEMM: a quarter of float32's memory traffic, no BLAS threads
spinning on a shared machine); the best candidates are then rescored exactly from the
float16 vectors by the backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


def top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest scores, best first (ties by position)."""
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(scores, n - k)[n - k :] if k < n else np.arange(n)
    return part[np.lexsort((part, -scores[part].astype(np.float64)))]


def quantize(vectors: np.ndarray, scale: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """uint8 codes (int8 + 128) of unit vectors with a per-dimension scale (the largest
    magnitude seen in that dimension; values beyond a given scale are clipped)."""
    v = np.asarray(vectors)
    if scale is None:
        scale = np.zeros(v.shape[1], dtype=np.float32)
        for lo in range(0, len(v), 65536):
            np.maximum(scale, np.abs(np.asarray(v[lo : lo + 65536], dtype=np.float32)).max(axis=0), out=scale)
        scale = np.maximum(scale, 1e-6).astype(np.float32)
    codes = np.empty(v.shape, dtype=np.uint8)
    for lo in range(0, len(v), 65536):
        q = np.rint(np.asarray(v[lo : lo + 65536], dtype=np.float32) * (127.0 / scale))
        np.clip(q, -127, 127, out=q)
        codes[lo : lo + 65536] = (q + 128).astype(np.uint8)
    return codes, scale


class Int8Scan:
    """Approximate inner products of a query with every vector of the code segments; the
    codes stay memory-mapped (onnxruntime reads them in place)."""

    def __init__(self, model: Path, codes: Sequence[np.ndarray], scale: np.ndarray) -> None:
        import onnxruntime as ort

        self.scale = np.asarray(scale, dtype=np.float32)
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
        self._arrays = [c for c in codes if len(c)]  # kept alive: the OrtValues read their memory
        self._values = [ort.OrtValue.ortvalue_from_numpy(c) for c in self._arrays]
        self._ort = ort

    def scores(self, q: np.ndarray) -> np.ndarray:
        w = q * (self.scale / 127.0)
        peak = float(np.abs(w).max()) or 1.0
        b = self._ort.OrtValue.ortvalue_from_numpy(np.rint(w * (127.0 / peak)).astype(np.int8).reshape(-1, 1))
        outs = [self.session.run_with_ort_values(["scores"], {"codes": v, "query": b})[0].numpy() for v in self._values]
        return np.concatenate(outs).reshape(-1) if len(outs) != 1 else outs[0].reshape(-1)


def scan_model() -> bytes:
    """The ONNX graph of `Int8Scan`: scores = MatMulInteger(codes, query)."""
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["codes", "query"], ["scores"])],
        "int8_scan",
        [
            helper.make_tensor_value_info("codes", TensorProto.UINT8, ["n", "dim"]),
            helper.make_tensor_value_info("query", TensorProto.INT8, ["dim", 1]),
        ],
        [helper.make_tensor_value_info("scores", TensorProto.INT32, ["n", 1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model.SerializeToString()
