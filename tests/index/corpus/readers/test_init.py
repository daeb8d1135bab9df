"""readers/__init__: one `read(path)` that picks the format by content and refuses what is
not a trial record (tests of readers/__init__.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.corpus.readers import FORMATS, MAX_TRIAL_CHARS, read, read_bytes, read_text
from index.errors import CorpusError


def test_formats_in_sniffing_order() -> None:
    assert FORMATS == ("ctgov-v2", "studyfields", "ctgov-xml", "veeva", "medpath", "text")


def test_the_format_is_picked_by_content() -> None:
    v2 = '{"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": "T"}}}'
    assert [t.format for t in read_text(v2, "notes.txt")] == ["ctgov-v2"]
    assert [t.format for t in read_bytes(b"NCT01234567 notes", "x.json")] == ["text"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (" \n\t", "file is empty"),
        ('{"a": 1}', "looks like JSON or XML but is not a trial record in a known format"),
        ('{"protocolSection": {"identificationModule": {"nctId": 5}}}', "no NCT ID in record"),
        ("just words", "no NCT ID (NCT followed by 8 digits) found in this text file"),
    ],
)
def test_refusals_name_the_reason(text: str, reason: str) -> None:
    with pytest.raises(CorpusError) as err:
        read_text(text, "f")
    assert (err.value.source, err.value.reason) == ("f", reason)


def test_a_trial_too_large_to_be_a_record_is_refused() -> None:
    text = "NCT01234567\n" + "x" * (MAX_TRIAL_CHARS + 1)
    with pytest.raises(CorpusError, match=r"^f: NCT01234567 holds 4 MiB of text, more than a trial record can "):
        read_text(text, "f")


def test_files_that_are_not_regular_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match=r"not a regular file \(a FIFO, socket or device\): not read$"):
        read(fifo)
    with pytest.raises(CorpusError, match=r"^.*missing\.txt: cannot read file \(No such file or directory\)$"):
        read(tmp_path / "missing.txt")
