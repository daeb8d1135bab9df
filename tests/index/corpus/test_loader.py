import os
import shutil
from pathlib import Path

from index.corpus.loader import load_corpus
from tests.conftest import CORPUS


def test_seed_corpus_loads_five_trials_without_errors() -> None:
    c = load_corpus([CORPUS])
    assert sorted(t.nct_id for t in c.trials) == [
        "NCT00713934",
        "NCT01218464",
        "NCT01724697",
        "NCT03209986",
        "NCT05106972",
    ]
    assert c.errors == ()
    assert len(c.files) == 5


def test_bad_files_are_named_with_a_reason_and_the_rest_still_load(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "000_178c2bec843b439b.txt", tmp_path / "good.txt")
    (tmp_path / "broken.json").write_text('{"protocolSection": {"identificationModule": {"nctId": "NCT0', "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    c = load_corpus([tmp_path, tmp_path / "missing.txt"])
    assert [t.nct_id for t in c.trials] == ["NCT01724697"]
    reasons = {Path(e.source).name: e.reason for e in c.errors}
    assert set(reasons) == {"broken.json", "empty.txt", "loop", "missing.txt"}
    assert reasons["empty.txt"] == "file is empty"
    assert reasons["missing.txt"] == "no such file or directory"
    assert "link" in reasons["loop"]
    assert reasons["broken.json"]


def test_directory_symlink_loops_are_not_followed_forever(tmp_path: Path) -> None:
    d = tmp_path / "a"
    d.mkdir()
    shutil.copy(CORPUS / "001_f861453f9ef4fb04.txt", d / "x.txt")
    os.symlink(d, d / "again")
    c = load_corpus([d])
    assert [t.nct_id for t in c.trials] == ["NCT03209986"]
    assert any("loop" in e.reason for e in c.errors)


def test_one_nct_id_in_two_files_is_listed_once_richest_wins(tmp_path: Path) -> None:
    full = (CORPUS / "004_37135f87ffe77103.txt").read_text("utf-8")
    shutil.copy(CORPUS / "004_37135f87ffe77103.txt", tmp_path / "a_full.txt")
    short = full.split("Inclusion criteria")[0]
    (tmp_path / "b_short.txt").write_text(short, "utf-8")
    c = load_corpus([tmp_path])
    (t,) = c.trials
    assert Path(t.source).name == "a_full.txt"
    assert [Path(s).name for s in t.also_sources] == ["b_short.txt"]


def test_sources_are_relative_to_the_working_directory_when_under_it() -> None:
    c = load_corpus([CORPUS.resolve()])
    here = Path.cwd().resolve()
    for t in c.trials:
        if CORPUS.resolve().is_relative_to(here):
            assert not Path(t.source).is_absolute()
            assert (here / t.source).is_file()
        else:
            assert Path(t.source).is_file()
