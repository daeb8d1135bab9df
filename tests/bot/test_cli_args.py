"""The command line's shape: subcommands, their options and the example each `--help` shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli_args import COMMANDS, parser


def test_the_subcommands() -> None:
    assert list(COMMANDS) == ["corpus", "show", "index", "ask", "eval", "chat", "slack", "serve", "mcp", "fetch"]


def test_ask_help_lists_its_options_and_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["ask", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: trialqa ask ")
    for option in ("--index", "--json", "-k", "--top", "--conversation", "--filter", "--backend"):
        assert f" {option}" in out, option
    assert 'Example:\n  trialqa ask "which trials use the hepatic artery?"' in out


def test_ask_arguments() -> None:
    args = parser().parse_args(
        ["ask", "which", "trials?", "-k", "3", "--filter", "phase:2", "--filter", "sex:female", "--json"]
    )
    assert (args.command, args.question, args.top, args.filter, args.json) == (
        "ask",
        ["which", "trials?"],
        3,
        ["phase:2", "sex:female"],
        True,
    )
    assert (args.index, args.conversation, args.backend) == (None, None, None)
    assert parser().parse_args(["ask", "x", "--conversation", "c.json"]).conversation == Path("c.json")


def test_a_bad_count_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["ask", "x", "-k", "many"])
    assert exit_.value.code == 2
    assert "argument -k/--top: invalid int value: 'many'" in capsys.readouterr().err
