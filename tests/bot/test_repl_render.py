"""What the REPL draws: text cleaned of control characters, cut to fit, counts and times in words."""

from __future__ import annotations

from bot.repl_render import clean, elapsed, plural, short, unknown_command


def test_clean_replaces_control_characters_one_for_one() -> None:
    assert clean("a\tb\nc\x1b[0m") == "a b c [0m"
    assert clean("a\tb\nc\x1b", lines=True) == "a\tb\nc "
    assert len(clean("\x00\x07x")) == 3  # offsets into the text stay valid


def test_short_puts_text_on_one_line_and_cuts_it() -> None:
    assert short("a  b\n c", 4) == "a b…"
    assert short("abc", 3) == "abc"
    assert short("x" * 300) == "x" * 199 + "…"


def test_plural_and_elapsed() -> None:
    assert (plural(1, "trial"), plural(0, "trial"), plural(2, "trial")) == ("1 trial", "0 trials", "2 trials")
    assert (elapsed(0.4), elapsed(1234.5)) == ("under 1 ms", "1,234 ms")


def test_an_unknown_command_lists_the_commands() -> None:
    text = unknown_command(":foo\x1b[31m")
    assert text.plain == (
        "Unknown command :foo [31m. Commands: :help, :show NCT..., :sources, :more, :json, :k N, :new, :quit."
    )
    assert str(text.style) == "yellow"
