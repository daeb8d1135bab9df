"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder next to the repository (``../shared/data``); skips if absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data not present: {SHARED_DATA} is missing")
    return SHARED_DATA


REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
DEV_QUESTIONS = REPO.parent / "shared" / "eval" / "dev_questions.jsonl"

# (section, snippet) of the seed answer to "which trials use the hepatic artery?"
HEPATIC_CITATIONS = [
    (
        "240 participants in 2 patient groups",
        r"conventional treatment \& antiviral treatment \& autologous bone marrow stem cell transplantation "
        "via hepatic artery",
    ),
    (
        "About",
        "In this study, the patients with HBV-related liver cirrhosis will undergo administration of "
        "human autologous BMSCs via hepatic artery to evaluate the safty and efficacy of human "
        "autologous BMSCs treatment for these patients.",
    ),
]


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Indexes and caches the tests build go to a temporary data directory, never data/."""
    import os

    os.environ["TRIALQA_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the five seed trials, built once per session with the real model."""
    from index.trial_index import TrialIndex

    d = tmp_path_factory.mktemp("seed-index") / "index"
    TrialIndex.build([CORPUS], d)
    return d


@pytest.fixture(scope="session")
def seed_index(seed_index_dir: Path):
    from index.trial_index import TrialIndex

    return TrialIndex.load(seed_index_dir)


@pytest.fixture(scope="session")
def dev_questions() -> Path:
    if not DEV_QUESTIONS.is_file():
        pytest.skip(f"../shared/eval not present: {DEV_QUESTIONS} is missing")
    return DEV_QUESTIONS
