"""bot.render: plain text of answers and trials, with styles only on a colour terminal."""

from __future__ import annotations

import io

from bot.render import answer_text, highlight, trial_text, use_colour
from index.config import Settings
from index.model import Section, Trial
from index.results import Answer, Citation, CompareRow, TrialAnswer

CITE = Citation("About", "summary", "via hepatic artery to evaluate", "x.txt", None, 0, 30, ((4, 11), (12, 18)))
TRIAL = TrialAnswer("NCT01724697", "Stem cells", "https://clinicaltrials.gov/study/NCT01724697", 1.0, (CITE,))


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color_or_a_dumb_term() -> None:
    plain = Settings.from_env({})
    assert use_colour(Tty(), plain) is True
    assert use_colour(io.StringIO(), plain) is False
    assert use_colour(Tty(), Settings.from_env({"NO_COLOR": "1"})) is False
    assert use_colour(Tty(), Settings.from_env({"TERM": "dumb"})) is False


def test_matched_words_are_bold_yellow_in_colour_only() -> None:
    assert highlight(CITE, colour=False) == "via hepatic artery to evaluate"
    assert highlight(CITE, colour=True) == "via \x1b[1;33mhepatic\x1b[0m \x1b[1;33martery\x1b[0m to evaluate"


def test_list_answer_text() -> None:
    a = Answer("which trials use the hepatic artery?", (TRIAL,), False)
    assert answer_text(a) == (
        "Q: which trials use the hepatic artery?\n1 trial matches:\n\n1. NCT01724697  Stem cells\n"
        "   [About] \u201cvia hepatic artery to evaluate\u201d\n   https://clinicaltrials.gov/study/NCT01724697"
    )
    assert "\x1b[1mNCT01724697\x1b[0m" in answer_text(a, colour=True)


def test_no_answer_compare_and_unsafe_text() -> None:
    none = Answer("q\x1b[2J?", (), True, message="No trial in the corpus supports this.")
    assert answer_text(none) == "Q: q [2J?\nNo trial in the corpus supports this."
    row = CompareRow("NCT01724697", "Stem cells", "1x10E6 MSCs/kg", CITE)
    compare = Answer("compare doses", (TRIAL,), False, kind="compare", message="Dose of 1 trial.", table=(row,))
    assert answer_text(compare) == (
        "Q: compare doses\nDose of 1 trial.\n\nNCT01724697  1x10E6 MSCs/kg\n"
        "   [About] \u201cvia hepatic artery to evaluate\u201d\n   https://clinicaltrials.gov/study/NCT01724697"
    )


def test_trial_text_lists_fields_and_sections() -> None:
    sections = (Section("summary", "About", "Some text", 3, 12),)
    t = Trial("NCT01724697", "Stem cells", "x.txt", "veeva", sections=sections)
    text = trial_text(t)
    assert text.splitlines()[:3] == ["NCT ID:        NCT01724697", "Title:         Stem cells", "Sponsor:       -"]
    assert text.splitlines()[-2:] == ["  [summary] About  (3-12)", "      Some text"]
