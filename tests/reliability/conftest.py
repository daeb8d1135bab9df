"""Fixtures for the reliability suite: private copies of the seed index and corpus (tests
damage them), the Slack fixtures, and a summary of the measured numbers (`report` in
tests/helpers/reliability.py) printed at the end of the run (also without -s)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.bot.slack.conftest import answerer, bot, make_bot, standin  # noqa: F401 - fixtures reused here
from tests.conftest import CORPUS
from tests.helpers.reliability import METRICS


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if METRICS:
        terminalreporter.section("reliability numbers")
        for name, value in METRICS.items():
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture
def index_copy(seed_index_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seed index (tests corrupt it)."""
    d = tmp_path / "index"
    shutil.copytree(seed_index_dir, d)
    return d


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    shutil.copytree(CORPUS, d)
    return d
