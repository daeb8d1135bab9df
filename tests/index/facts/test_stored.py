"""Stored facts: the dict form round-trips exactly, citations are written once and made on
first read, and `FactIndex` loads each trial's facts once."""

import json

from index.facts.dose_count import Count
from index.facts.extract import TrialFacts
from index.facts.stored import FactIndex, facts_from_dict, facts_to_dict
from index.model import Trial
from index.results import Citation

TRIAL = Trial(nct_id="NCT00000003", title="Stored", source="s.txt", format="text", status="Completed")
LINE = Citation(
    section="Locations", name="locations", snippet="Tehran, Iran", source="s.txt", field=None, start=5, end=17
)
ARM = Citation(
    section="Arms", name="arms", snippet="Placebo: saline", source="s.txt", field="/arms/0", start=20, end=35
)
FACTS = TrialFacts(
    TRIAL,
    citations={"status": [ARM]},
    routes={"portal vein": ARM},
    doses=[("1x10^6 cells/kg", ARM)],
    placebo=ARM,
    has_arms=True,
    countries={"iran": LINE},
    cities={"tehran": LINE, "iran": LINE},
    follow_up=(504.0, LINE),
    dose_counts=[(Count(2, 2), ARM), (Count(2, None), LINE)],
)


def test_each_citation_is_stored_once_and_referred_to_by_number() -> None:
    d = facts_to_dict(FACTS)
    assert d["cites"] == [
        ["Arms", "arms", "Placebo: saline", "/arms/0", 20, 35],
        ["Locations", "locations", "Tehran, Iran", None, 5, 17],
    ]
    assert d["citations"] == {"status": [0]} and d["routes"] == {"portal vein": 0} and d["sources"] == {}
    assert d["doses"] == [["1x10^6 cells/kg", 0]] and d["placebo"] == 0 and d["has_arms"] is True
    assert d["countries"] == {"iran": 1} and d["cities"] == {"tehran": 1, "iran": 1}
    assert d["follow_up"] == [504.0, 1] and d["dose_counts"] == [[2, 2, 0], [2, None, 1]]
    assert d["trial"]["nct_id"] == "NCT00000003" and "sections" not in d["trial"]


def test_round_trip_through_json() -> None:
    back = facts_from_dict(json.loads(json.dumps(facts_to_dict(FACTS))))
    assert back.trial == TRIAL
    assert back.citations == FACTS.citations and back.routes == FACTS.routes and back.doses == FACTS.doses
    assert back.placebo == ARM and back.has_arms
    assert dict(back.countries) == {"iran": LINE} and dict(back.cities) == {"tehran": LINE, "iran": LINE}
    assert back.countries["iran"] is back.cities["iran"]  # one citation, made once
    assert "peru" not in back.countries and len(back.cities) == 2
    assert back.follow_up == (504.0, LINE) and back.dose_counts == [(Count(2, 2), ARM), (Count(2, None), LINE)]


def test_no_placebo_round_trips_as_none() -> None:
    back = facts_from_dict(facts_to_dict(TrialFacts(TRIAL)))
    assert back.placebo is None and not back.has_arms and dict(back.cities) == {}
    assert back.follow_up is None and back.dose_counts == []


def test_fact_index_loads_each_trial_once() -> None:
    loads: list[str] = []

    def load(nct: str) -> TrialFacts:
        loads.append(nct)
        return FACTS

    facts = FactIndex({TRIAL.nct_id: TRIAL}, load=load)
    assert facts["NCT00000003"] is facts["NCT00000003"] is FACTS
    assert loads == ["NCT00000003"]


def test_fact_index_extracts_by_default() -> None:
    facts = FactIndex({TRIAL.nct_id: TRIAL})
    assert facts["NCT00000003"].trial is TRIAL and facts["NCT00000003"].citations == {}
