"""The embedding stage: cached vectors are used as they are, without loading the model."""

import numpy as np

from index.build.embedding import embed_keys
from index.store.vcache import VectorCache


def test_every_key_from_the_cache_embeds_nothing() -> None:
    cache = VectorCache(None)
    cache.add(["k1", "k2"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    calls: list[tuple[str, int, int]] = []
    vectors, embedded, dim = embed_keys(
        ["k2", "k1", "k2"], {}, cache, "no-such-model", lambda *a: calls.append(a), onnx_dir=None
    )
    assert vectors.tolist() == [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]] and vectors.dtype == np.float32
    assert (embedded, dim, calls) == (0, 2, [])
    none, embedded, dim = embed_keys([], {}, cache, "no-such-model", None, onnx_dir=None, dim=384)
    assert none.shape == (0, 384) and (embedded, dim) == (0, 384)
