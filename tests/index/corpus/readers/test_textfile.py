from pathlib import Path

import pytest

from index.corpus.readers import read
from index.errors import CorpusError


def test_markdown_notes_get_one_section_per_heading(tmp_path: Path) -> None:
    text = (
        "# My notes on NCT01234567\n\n"
        "Stem cells for cirrhosis.\n\n"
        "## Exclusion\n\n- HIV infection\n- Pregnancy\n\n"
        "## Dose\n\n1x10E6 cells/kg via hepatic artery.\n"
    )
    p = tmp_path / "notes.md"
    p.write_text(text, encoding="utf-8")
    (t,) = read(p)
    assert t.nct_id == "NCT01234567"
    assert t.format == "text"
    assert [(s.name, s.heading, s.text) for s in t.sections] == [
        ("title", "Title", "My notes on NCT01234567"),
        ("notes", "My notes on NCT01234567", "Stem cells for cirrhosis."),
        ("eligibility_exclusion", "Exclusion", "- HIV infection\n- Pregnancy"),
        ("interventions", "Dose", "1x10E6 cells/kg via hepatic artery."),
    ]
    for s in t.sections:
        assert text[s.start : s.end] == s.text


def test_notes_without_an_nct_id_are_refused_with_a_reason(tmp_path: Path) -> None:
    p = tmp_path / "todo.txt"
    p.write_text("buy milk\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no NCT ID"):
        read(p)


def test_empty_and_binary_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CorpusError, match="empty"):
        read(empty)
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(CorpusError, match="binary"):
        read(binary)


def test_latin1_and_utf16_files_decode(tmp_path: Path) -> None:
    text = "# NCT01234567 café trial\n\nExclusion criteria:\nSévère allergy\n"
    p1 = tmp_path / "latin1.txt"
    p1.write_bytes(text.encode("latin-1"))
    p2 = tmp_path / "utf16.txt"
    p2.write_bytes(text.encode("utf-16"))
    for p in (p1, p2):
        (t,) = read(p)
        assert t.title == "NCT01234567 café trial"
        assert any(s.text == "Sévère allergy" for s in t.sections)
