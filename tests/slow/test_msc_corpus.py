"""The seeds plus the 1,536 study-fields records: an index of ~108k chunks (slow: embeds
~50k distinct texts on first build). Run with `bash scripts/test.sh -m slow tests/slow`."""

from pathlib import Path

import pytest

from index import TrialIndex
from index.evaluation.verify import bad_citations
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def msc_index(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> TrialIndex:
    return TrialIndex.build([CORPUS, shared_data / "ctgov-msc-studyfields"], tmp_path_factory.mktemp("msc") / "ix")


def test_hepatic_artery_over_seeds_and_studyfields(msc_index: TrialIndex) -> None:
    a = msc_index.ask("which trials use the hepatic artery?", k=100)
    listed = [t.nct_id for t in a.trials]
    assert len(listed) == len(set(listed))  # NCT01218464 is in both sources: listed once at most
    assert "NCT01724697" in listed
    assert "NCT01218464" not in listed  # its cells go in through a peripheral vein
    for t in a.trials:
        text = " ".join(c.snippet.lower() for c in t.citations)
        assert "hepatic arter" in text or "intra-arterial" in text or "hepatic intra-arterial" in text, t.nct_id
    assert bad_citations([a]) == []


def test_recruiting_umbilical_cord_msc_for_liver_cirrhosis(msc_index: TrialIndex) -> None:
    a = msc_index.ask("Which recruiting trials give umbilical cord MSCs for liver cirrhosis?")
    assert a.constraints == ("status: Recruiting", "condition: liver cirrhosis")
    assert a.trials
    facts = msc_index.identity.facts
    for t in a.trials:
        trial = msc_index.trials[t.nct_id]
        assert trial.status == "Recruiting"
        assert any("cirrhos" in c.lower() for c in trial.conditions)  # "Liver Cirrhoses" (MeSH: Liver Cirrhosis)
        snippets = " ".join(c.snippet.lower() for c in t.citations)
        assert "umbilical" in snippets or "uc-msc" in snippets, t.nct_id
        assert "umbilical cord" in facts[t.nct_id].sources
    assert bad_citations([a]) == []
