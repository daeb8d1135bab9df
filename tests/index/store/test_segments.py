"""Segment files read by row: JSON lines by span, .npy rows by pread."""

from pathlib import Path

import numpy as np
import pytest

from index.store.segments import ChunkList, Lines, RowFile, RowSegments
from tests.helpers.index_data import chunk


def test_row_file_reads_any_rows_like_the_array(tmp_path: Path) -> None:
    a = np.arange(50 * 4, dtype=np.float16).reshape(50, 4)
    b = np.arange(7 * 4, dtype=np.float16).reshape(7, 4) + 1000
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    rf = RowFile(tmp_path / "a.npy")
    assert len(rf) == 50 and (rf[3] == a[3]).all() and (rf[-1] == a[-1]).all()
    idx = np.array([49, 0, 7, 8, 7, 30])
    assert (rf[idx] == a[idx]).all() and (rf[10:20] == a[10:20]).all() and (np.asarray(rf) == a).all()
    seg = RowSegments([rf, RowFile(tmp_path / "b.npy")], 4, np.float16)
    both = np.concatenate([a, b])
    pick = np.array([52, 1, 56, 49, 50])
    assert len(seg) == 57 and (seg[pick] == both[pick]).all() and (np.asarray(seg) == both).all()
    with pytest.raises(IndexError):
        rf[np.array([50])]


def test_lines_span_several_files_and_iteration_skips_dropped_rows(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b"zero\none\n")
    (tmp_path / "b.jsonl").write_bytes(b"two\nthree\n")
    spans = np.array([[0, 5], [9, 13], [13, 19]])  # row "one" dropped
    lines = Lines([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], spans)
    assert len(lines) == 3 and lines.bases.tolist() == [0, 9, 19]
    assert [lines.raw(i) for i in range(3)] == [b"zero\n", b"two\n", b"three\n"] == list(lines)


def test_chunk_list_parses_a_chunk_when_read(tmp_path: Path) -> None:
    import json
    from dataclasses import asdict

    raw = [(json.dumps(asdict(chunk(i, "NCT00000001"))) + "\n").encode() for i in range(3)]
    (tmp_path / "c.jsonl").write_bytes(b"".join(raw))
    ends = np.cumsum([len(r) for r in raw])
    chunks = ChunkList(Lines([tmp_path / "c.jsonl"], np.stack([ends - [len(r) for r in raw], ends], axis=1)))
    assert chunks[1] == chunk(1, "NCT00000001") and chunks[-1].text == "text 2" and chunks[0:2][1].text == "text 1"
    with pytest.raises(IndexError, match=r"chunk 3 out of range \(3 chunks\)"):
        chunks[3]
