"""An outcome lookup that asks when: the measure cited with the time frame written right after it."""

from pathlib import Path

from index.corpus.readers import read
from index.qa.outcome_time import ASKS_WHEN, with_time_frame
from index.results import Citation, TrialAnswer
from tests.conftest import CORPUS

HAIKOU = CORPUS / "003_f4fa15020fc67282.txt"


def _answer(first: Citation) -> TrialAnswer:
    return TrialAnswer(nct_id="NCT05106972", title="T", url="u", score=1.0, citations=(first,))


def test_the_measure_is_joined_to_its_time_frame_verbatim() -> None:
    (t,) = read(HAIKOU)
    measure = next(s for s in t.sections if s.name == "outcomes_primary" and s.text == "Ishak Fibrosis Score")
    first = Citation(measure.heading, measure.name, measure.text, t.source, None, measure.start, measure.end)
    (got,) = with_time_frame({t.nct_id: t}, _answer(first)).citations
    assert got.snippet == "Ishak Fibrosis ScoreChanges from baseline to 72 weeks"
    assert got.section == "Primary Outcome Measures"
    assert Path(t.source).read_text(encoding="utf-8")[got.start : got.end] == got.snippet


def test_other_citations_and_registry_fields_stay_as_they_are() -> None:
    (t,) = read(HAIKOU)
    trials = {t.nct_id: t}
    status = next(s for s in t.sections if s.name == "status")
    cited = Citation(status.heading, status.name, status.text, t.source, None, status.start, status.end)
    assert with_time_frame(trials, _answer(cited)).citations == (cited,)
    field = Citation("Primary Outcome", "outcomes_primary", "Survival", "r.json", "/x/0/measure", 0, 8)
    assert with_time_frame(trials, _answer(field)).citations == (field,)


def test_questions_that_ask_when() -> None:
    asks = ["Haikou primary endpoint & timepoint", "assessed when?", "at what time point", "time frame of the outcome"]
    assert all(ASKS_WHEN.search(q) for q in asks)
    assert not ASKS_WHEN.search("what is the primary outcome of the Xijing trial?")
