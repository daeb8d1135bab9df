"""bot.textio: text from records and questions made harmless for a terminal."""

from __future__ import annotations

from bot.textio import echo, printable, safe
from index.results import Answer, Citation, CompareRow, TrialAnswer


def test_unsafe_characters_become_spaces_and_offsets_stay() -> None:
    text = "a\x1b[2Jb\x07c\u202ed\ud800e\tf\ng"
    assert safe(text) == "a [2Jb c d e\tf\ng"
    assert len(safe(text)) == len(text)


def test_echo_is_one_short_line() -> None:
    assert echo("  which\ntrials\x00 ") == "which trials"
    assert echo("x" * 300) == "x" * 199 + "…"


def test_printable_cleans_every_shown_text() -> None:
    c = Citation("Sec\x1b]0;t\x07", "summary", "snip\x9bpet", "s", None, 0, 8)
    t = TrialAnswer("NCT01724697", "Ti\x1btle", "u\x07", 1.0, (c,))
    a = Answer("q\x1b?", (t,), False, message="m\x07", table=(CompareRow("NCT01724697", "T\x1b", "v\x07", c),))
    p = printable(a)
    assert p.question == "q ?" and p.message == "m "
    assert (p.trials[0].title, p.trials[0].url) == ("Ti tle", "u ")
    assert (p.trials[0].citations[0].section, p.trials[0].citations[0].snippet) == ("Sec ]0;t ", "snip pet")
    assert p.table is not None
    row = p.table[0]
    assert (row.title, row.value, row.citation and row.citation.snippet) == ("T ", "v ", "snip pet")
