"""Dense pieces: top positions and int8 codes."""

import numpy as np

from index.retrieval.dense import quantize, top


def test_top_returns_the_best_positions_with_ties_by_position() -> None:
    s = np.array([0.1, 0.9, 0.5, 0.9, -1.0])
    assert top(s, 3).tolist() == [1, 3, 2]
    assert top(s, 10).tolist() == [1, 3, 2, 0, 4] and top(s, 0).tolist() == []


def test_quantize_scales_each_dimension_to_int8_around_128() -> None:
    v = np.array([[1.0, -0.5], [-0.5, 0.25]], dtype=np.float32)
    codes, scale = quantize(v)
    assert scale.tolist() == [1.0, 0.5]
    assert codes.tolist() == [[255, 1], [64, 192]]  # 128 + round(127 * v / scale)
    clipped, same = quantize(np.array([[2.0, 0.0]], dtype=np.float32), scale)
    assert same is scale and clipped.tolist() == [[255, 128]]
