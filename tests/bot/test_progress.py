"""bot.progress: a bar on a terminal, log lines at each quarter otherwise."""

from __future__ import annotations

import logging

import pytest

from bot.progress import Reporter


def test_log_lines_at_each_quarter(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="trialqa"), Reporter(enabled=False) as rep:
        for done in range(0, 101, 5):
            rep("embed", done, 100)
    assert [r.getMessage() for r in caplog.records] == [
        "Embedding: 0/100",
        "Embedding: 25/100",
        "Embedding: 50/100",
        "Embedding: 75/100",
        "Embedding: 100/100",
    ]


def test_no_bar_without_work(capsys: pytest.CaptureFixture[str]) -> None:
    with Reporter(enabled=True):
        pass
    assert capsys.readouterr() == ("", "")
