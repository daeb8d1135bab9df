"""Shared by the reliability suite: the hepatic-artery question and its exact answer, the
measured numbers (printed at the end of the run by tests/reliability/conftest.py), the CLI as
a real process, and the questions the load tests ask."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from index import Answer
from tests.conftest import HEPATIC_CITATIONS, REPO

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


QUESTIONS = [
    HEPATIC,
    "Which trials exclude HIV?",
    "What dose does the Xijing trial give?",
    "Which trials give cells through the portal vein?",
    "Which trials are double blind?",
    "How many trials are randomized?",
    "Compare the cell doses of the trials",
    "Tell me about NCT05106972",
    "Which trials accept patients older than 65?",
    "哪些试验使用肝动脉？",
]
