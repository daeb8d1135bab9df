"""Fixtures for the reliability suite: private copies of the seed index and corpus (tests
damage them), the CLI as a real process, the Slack fixtures, and a summary of the measured
numbers printed at the end of the run (also without -s)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import Answer
from tests.bot.slack.conftest import answerer, bot, make_bot, standin  # noqa: F401 - fixtures reused here
from tests.conftest import CORPUS, HEPATIC_CITATIONS, REPO

HEPATIC = "which trials use the hepatic artery?"

METRICS: dict[str, str] = {}


def answers_hepatic(a: Answer) -> bool:
    """The seed corpus's hepatic-artery answer, exactly: one trial, its two snippets."""
    return (
        not a.no_answer
        and [t.nct_id for t in a.trials] == ["NCT01724697"]
        and [(c.section, c.snippet) for c in a.trials[0].citations] == HEPATIC_CITATIONS
    )


def report(name: str, value: str) -> None:
    """A measured number, printed in the summary at the end of the run."""
    METRICS[name] = value
    print(f"[reliability] {name}: {value}")


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


def live_generation(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRIALQA_INDEX", "TRIALQA_MODEL"))}
    return env | {"NO_COLOR": "1"} | extra


def run_cli(
    args: list[str | bytes], stdin: bytes | None = None, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """`trialqa ARGS` as a real process (bytes in and out: some inputs are not UTF-8)."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        env=cli_env(**env),
        cwd=REPO,
        timeout=timeout,
    )
