"""Fusing BM25 and cosine scores: linear (min-max) and reciprocal rank."""

import numpy as np
import pytest

from index.retrieval.fusion import FusionParams, fuse


def test_linear_fusion_mixes_min_max_normalised_scores() -> None:
    fused, b, d = fuse(np.array([0.0, 2.0, 4.0]), np.array([0.5, 0.9, 0.1]), FusionParams(bm25_weight=0.25))
    assert b.tolist() == [0.0, 0.125, 0.25]
    assert d.tolist() == pytest.approx([0.75 * 0.5, 0.75, 0.0])
    assert fused.tolist() == pytest.approx((b + d).tolist())


def test_equal_scores_normalise_to_one_when_positive_and_zero_otherwise() -> None:
    _, b, d = fuse(np.array([3.0, 3.0]), np.array([0.0, 0.0]), FusionParams())
    assert b.tolist() == [0.5, 0.5] and d.tolist() == [0.0, 0.0]


def test_rrf_uses_ranks() -> None:
    fused, b, d = fuse(np.array([1.0, 5.0]), np.array([0.9, 0.1]), FusionParams(method="rrf", rrf_k=60))
    assert b.tolist() == pytest.approx([1 / 62, 1 / 61]) and d.tolist() == pytest.approx([1 / 61, 1 / 62])
    assert fused.tolist() == pytest.approx([1 / 62 + 1 / 61] * 2)


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fusion method 'max'; choose one of"):
        fuse(np.zeros(1), np.zeros(1), FusionParams(method="max"))
