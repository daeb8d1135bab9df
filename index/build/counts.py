"""Term-by-chunk counts of an incremental build: the kept chunks' counts renumbered, the new
chunks' appended, terms no chunk has any more dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse


def merge_counts(old: sparse.csr_matrix, row_map: np.ndarray, new: sparse.csr_matrix, n_kept: int) -> sparse.csr_matrix:
    """Term-by-document counts of the kept old documents (``row_map``: new number or -1)
    followed by the new documents, whose vocabulary extends the old one."""
    from scipy import sparse

    n_terms = new.shape[0]
    indptr = np.asarray(old.indptr, dtype=np.int64)
    docs = row_map[np.asarray(old.indices, dtype=np.int64)]
    keep = docs >= 0
    csum = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(keep, out=csum[1:])
    kc = np.zeros(n_terms, dtype=np.int64)
    kc[: len(indptr) - 1] = csum[indptr[1:]] - csum[indptr[:-1]]
    nc: np.ndarray = np.diff(np.asarray(new.indptr, dtype=np.int64))
    out_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(kc + nc, out=out_ptr[1:])
    nnz = int(out_ptr[-1])
    out_idx = np.empty(nnz, dtype=np.int32)
    out_val = np.empty(nnz, dtype=np.float64)
    kept_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(kc, out=kept_ptr[1:])
    dest = np.repeat(out_ptr[:-1] - kept_ptr[:-1], kc) + np.arange(int(kept_ptr[-1]))
    out_idx[dest] = docs[keep]
    out_val[dest] = np.asarray(old.data, dtype=np.float64)[keep]
    new_ptr = np.asarray(new.indptr, dtype=np.int64)
    dest = np.repeat(out_ptr[:-1] + kc - new_ptr[:-1], nc) + np.arange(int(new_ptr[-1]))
    out_idx[dest] = np.asarray(new.indices, dtype=np.int64) + n_kept
    out_val[dest] = new.data
    return sparse.csr_matrix((out_val, out_idx, out_ptr), shape=(n_terms, n_kept + new.shape[1]))


def prune_terms(vocab: dict[str, int], tf: sparse.csr_matrix) -> tuple[dict[str, int], sparse.csr_matrix]:
    """Drop terms no document has any more (so their idf cannot shift every score)."""
    from scipy import sparse

    counts = np.diff(tf.indptr)
    alive = counts > 0
    if alive.all():
        return vocab, tf
    new_id = np.cumsum(alive) - 1
    words = sorted(vocab, key=vocab.__getitem__)
    vocab = {w: int(new_id[i]) for i, w in enumerate(words) if alive[i]}
    indptr = np.zeros(int(alive.sum()) + 1, dtype=np.int64)
    np.cumsum(counts[alive], out=indptr[1:])
    return vocab, sparse.csr_matrix((tf.data, tf.indices, indptr), shape=(len(vocab), tf.shape[1]))
