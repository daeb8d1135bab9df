"""Corpus files: the walk, content hashes (reused when size and time are unchanged), the fingerprint."""

import hashlib
import os
from pathlib import Path

import pytest

from index.build.files import corpus_fingerprint, fingerprint, scan_files, sha256_regular

HELLO = hashlib.sha256(b"NCT00000001 hello").hexdigest()


def test_the_fingerprint_depends_on_names_and_bytes_only() -> None:
    digests = {"a.txt": HELLO, "b/c.json": "00" * 32}
    assert fingerprint(digests) == fingerprint(dict(reversed(list(digests.items()))))
    expected = hashlib.sha256(b"a.txt\0" + bytes.fromhex(HELLO) + b"b/c.json\0" + bytes(32)).hexdigest()
    assert fingerprint(digests) == expected
    assert fingerprint({"a.txt": ""}) == hashlib.sha256(b"a.txt\0unreadable").hexdigest()
    assert fingerprint({"A.txt": HELLO, "b/c.json": "00" * 32}) != expected


def test_scanning_hashes_each_file_and_reuses_a_known_hash(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    f = corpus / "a.txt"
    f.write_text("NCT00000001 hello")
    os.utime(f, ns=(1_000_000_000, 2_000_000_000))
    first = scan_files([corpus])
    assert first.digests == {str(f): HELLO} and first.stats == {str(f): [17, 2_000_000_000]} and first.errors == []
    known = {str(f): {"sha256": "ab" * 32, "stat": [17, 2_000_000_000]}}
    assert scan_files([corpus], known).digests == {str(f): "ab" * 32}  # same size and time: not read again
    os.utime(f, ns=(1_000_000_000, 3_000_000_000))
    assert scan_files([corpus], known).digests == {str(f): HELLO}
    assert corpus_fingerprint([corpus]) == fingerprint({str(f): HELLO})


def test_hashing_the_corpus_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("NCT00000001 hello")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        sha256_regular(fifo)
    assert sha256_regular(corpus / "a.txt") == HELLO
