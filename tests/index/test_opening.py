"""index.opening: which index a front end answers from, and when the default one is rebuilt."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from index.config import Settings
from index.errors import IndexMissing
from index.opening import is_current, open_index
from tests.conftest import CORPUS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    s = Settings.from_env({"TRIALQA_DATA_DIR": str(tmp_path / "data"), "TRIALQA_CORPUS": str(corpus)})
    return s


def test_default_index_built_on_first_use_then_reused_then_rebuilt_when_the_corpus_changes(settings: Settings) -> None:
    told: list[str] = []
    ix = open_index(settings, notify=told.append)
    assert told == [f"building the index from {settings.corpus} (first use)…"]
    assert sorted(ix.trials) == ["NCT00713934", "NCT01218464", "NCT01724697", "NCT03209986", "NCT05106972"]
    assert is_current(ix, settings)

    told.clear()
    again = open_index(settings, notify=told.append)
    assert told == [] and again.backend.dir == ix.backend.dir

    removed = sorted(settings.corpus.iterdir())[0]
    removed.unlink()
    rebuilt = open_index(settings, notify=told.append)
    assert told == ["the corpus or model changed; rebuilding the index…"]
    assert len(rebuilt.trials) == 4 and rebuilt.backend.dir != ix.backend.dir


def test_a_named_index_is_used_as_it_is_and_never_built(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(IndexMissing):
        open_index(settings, tmp_path / "nowhere", notify=pytest.fail)
    named = replace(settings, index_named=True, index_dir=tmp_path / "also-nowhere")
    with pytest.raises(IndexMissing):
        open_index(named, notify=pytest.fail)


def test_a_named_index_of_another_model_is_used_with_a_warning(seed_index_dir: Path, settings: Settings) -> None:
    told: list[str] = []
    other = replace(settings, model="some-other-model")
    ix = open_index(other, seed_index_dir, notify=told.append)
    assert ix.manifest["model"] == "all-MiniLM-L6-v2"
    assert told == [
        f"warning: the index at {seed_index_dir} was built with the model 'all-MiniLM-L6-v2', not "
        "'some-other-model' (TRIALQA_MODEL / --model); questions are embedded with 'all-MiniLM-L6-v2' to match "
        f"its vectors. To use 'some-other-model', rebuild it: trialqa index PATH... --index {seed_index_dir}"
    ]


def test_a_failed_rebuild_answers_from_the_existing_index(settings: Settings) -> None:
    ix = open_index(settings, notify=lambda m: None)
    for f in settings.corpus.iterdir():
        f.write_text("not a trial record\n", encoding="utf-8")
    told: list[str] = []
    kept = open_index(settings, notify=told.append)
    assert kept.backend.dir == ix.backend.dir
    assert told[0] == "the corpus or model changed; rebuilding the index…"
    assert told[1].startswith("could not rebuild the index (nothing to index in ")
    assert told[1].endswith(f"(built {ix.manifest['created']} with 'all-MiniLM-L6-v2')")
