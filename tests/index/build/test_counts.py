"""Merging term counts for an incremental build, and dropping terms no chunk has."""

import numpy as np
from scipy import sparse

from index.build.counts import merge_counts, prune_terms


def _csr(dense: list[list[float]]) -> sparse.csr_matrix:
    return sparse.csr_matrix(np.array(dense, dtype=np.float64))


def test_kept_documents_are_renumbered_and_new_ones_appended() -> None:
    old = _csr([[1, 0, 2], [0, 3, 0]])  # 2 terms x 3 old documents
    row_map = np.array([1, -1, 0])  # old doc 0 -> 1, doc 1 dropped, doc 2 -> 0
    new = _csr([[4], [0], [5]])  # 3 terms (one new) x 1 new document
    merged = merge_counts(old, row_map, new, n_kept=2)
    assert merged.shape == (3, 3)
    assert merged.toarray().tolist() == [[2, 1, 4], [0, 0, 0], [0, 0, 5]]
    assert merged.indptr.tolist() == [0, 3, 3, 4]  # term-major CSR, term 1 now empty


def test_terms_without_documents_are_dropped_and_renumbered() -> None:
    vocab = {"a": 0, "b": 1, "c": 2}
    tf = sparse.csr_matrix((np.array([2.0, 1.0, 5.0]), np.array([1, 0, 2]), np.array([0, 1, 1, 3])), shape=(3, 3))
    pruned_vocab, pruned = prune_terms(vocab, tf)
    assert pruned_vocab == {"a": 0, "c": 1}
    assert pruned.toarray().tolist() == [[0, 2, 0], [1, 0, 5]]
    same_vocab, same = prune_terms({"a": 0, "c": 1}, pruned)
    assert same is pruned and same_vocab == {"a": 0, "c": 1}
