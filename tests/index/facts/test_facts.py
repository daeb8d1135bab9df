"""The fact layer and fact questions: seeds exactly, and filters against the raw records."""

import dataclasses
import json
from pathlib import Path

import pytest

from index import TrialIndex
from index.corpus.loader import load_corpus
from index.corpus.readers import read
from index.evaluation.verify import bad_citations
from index.facts.check import check, check_all
from index.facts.constraints import make, parse_filters
from index.facts.extract import extract
from index.facts.places import countries_named
from index.facts.stored import FactIndex, facts_from_dict, facts_to_dict
from tests.conftest import CORPUS


def test_seed_facts_are_cited_from_their_fields() -> None:
    (t,) = read(CORPUS / "002_6f1ee988a8bff1ef.txt")
    f = extract(t)
    assert [c.snippet for c in f.cite("age")] == ["18 to 75 years old"]
    assert [c.snippet for c in f.cite("status")] == ["Completed"]
    assert [c.snippet for c in f.cite("masking")] == ["Single Blind"]
    assert [c.section for c in f.cite("allocation")] == ["Allocation"]
    assert list(f.routes) == ["portal vein"]
    assert list(f.sources) == ["bone marrow"]
    (m,) = read(CORPUS / "003_f4fa15020fc67282.txt")
    fm = extract(m)
    assert [c.snippet for c in fm.cite("age")] == ["Aged between 20 and 60 (male or female)"]
    assert [d for d, _ in fm.doses] == [r"1\*10\^8 cells/dose"]
    assert list(fm.countries) == ["china"]


def test_range_semantics() -> None:
    facts = FactIndex({t.nct_id: t for t in load_corpus([CORPUS]).trials})
    older65 = make("age", ">", 65.0)
    got = {n: check(older65, facts[n])[0] for n in facts.trials}
    assert got == {
        "NCT01724697": False,
        "NCT03209986": False,
        "NCT00713934": True,
        "NCT05106972": False,
        "NCT01218464": True,
    }
    under18 = make("age", "<", 18.0)
    assert not any(check(under18, facts[n])[0] for n in facts.trials)
    # Records that do not state a fact are unknown (None), never a match.
    assert check(make("enrollment", ">", 10), facts["NCT01724697"])[0] is True
    china = make("country", "=", "China")
    placed = {n: (check(china, facts[n])[0], [c.snippet for c in check(china, facts[n])[1]]) for n in facts.trials}
    assert placed == {  # the Veeva pages state no country: their sponsors' names place them (places.tsv)
        "NCT01724697": (True, ["Air Force Military Medical University of People's Liberation Army"]),
        "NCT03209986": (True, ["Xijing Hospital of Digestive Diseases"]),
        "NCT00713934": (False, []),  # Royan Institute: Iran
        "NCT05106972": (True, ["Haikou, China"]),
        "NCT01218464": (True, ["Beijing 302 Hospital"]),
    }


def test_must_show_questions_on_the_seeds(seed_index: TrialIndex) -> None:
    a = seed_index.ask("Which trials accept patients older than 65?")
    assert [t.nct_id for t in a.trials] == ["NCT00713934", "NCT01218464"]
    assert [[c.snippet for c in t.citations] for t in a.trials] == [["18 to 75 years old"], ["18 to 70 years old"]]
    assert a.constraints == ("age > 65",)
    for q in ("Which trials are recruiting in the United States?", "Which trials are double-blind and recruiting?"):
        assert seed_index.ask(q).no_answer, q
    b = seed_index.ask("Which trials are double-blind and recruiting?")
    assert b.message == (
        "No trial in the corpus matches masking: Double or Triple or Quadruple · status: Recruiting "
        "(1 trial left out: the record does not state it)."
    )
    c = seed_index.ask("How many trials are randomized?")
    assert c.count == 4
    assert [t.nct_id for t in c.trials] == ["NCT01724697", "NCT03209986", "NCT00713934", "NCT01218464"]
    assert c.message == "4 trials match allocation: Randomized."  # the single-group trial is not
    d = seed_index.ask("Compare the cell doses of the trials")
    assert [(r.nct_id, r.value) for r in d.table or ()] == [
        ("NCT03209986", "1x10E6 MSCs/kg"),
        ("NCT05106972", r"1\*10\^8 cells/dose"),
        ("NCT01218464", "0.5-1.0×106 cells/kg"),
    ]
    for row in d.table or ():
        assert row.citation is not None and row.value in row.citation.snippet
    assert bad_citations([a, c, d]) == []
    assert d.to_dict()["table"] == [r.to_dict() for r in d.table or ()]


def test_text_and_constraints_combine(seed_index: TrialIndex) -> None:
    a = seed_index.ask("Which recruiting trials use umbilical cord cells?")
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]
    snippets = [c.snippet for c in a.trials[0].citations]
    assert "Recruiting" in snippets
    assert any("umbilical cord" in s.lower() for s in snippets)
    b = seed_index.ask("hepatic artery", filters=["status:completed"])
    assert b.no_answer and b.constraints == ("status: Completed",)
    c = seed_index.ask("portal vein", filters="status:completed")
    assert [t.nct_id for t in c.trials] == ["NCT00713934"]


@pytest.fixture(scope="module")
def msc(shared_data: Path):
    corpus = load_corpus([CORPUS, shared_data / "ctgov-msc-studyfields"])
    assert corpus.errors == ()
    return corpus


def _raw(trial) -> dict:
    return json.loads(Path(trial.source).read_text(encoding="utf-8"))


def _years(v: list[str]) -> float | None:
    if not v:
        return None
    n, unit = v[0].split()[:2]
    return (
        float(n)
        / {"Year": 1, "Month": 12, "Week": 52.1775, "Day": 365.25, "Hour": 8766, "Minute": 525960}[unit.rstrip("s")]
    )


FILTERS = [
    "status:recruiting",
    "age>65",
    "age<18",
    "enrollment>100",
    "masking:double",
    "phase:2",
    "sex:female",
    "allocation:randomized",
    "country:China",
    "country:United_States",
]


def _direct(f: str, raw: dict) -> bool | None:
    """The same filters, read straight from the study-fields record."""
    lo, hi = _years(raw.get("MinimumAge", [])), _years(raw.get("MaximumAge", []))
    if f == "status:recruiting":
        return raw["OverallStatus"][0] == "Recruiting" if raw.get("OverallStatus") else None
    if f in ("age>65", "age<18"):
        if lo is None and hi is None:
            return None
        return (hi is None or hi > 65) if f == "age>65" else (lo is None or lo < 18)
    if f == "enrollment>100":
        return int(raw["EnrollmentCount"][0]) > 100 if raw.get("EnrollmentCount") else None
    if f == "masking:double":
        return raw["DesignMasking"][0] in ("Double", "Triple", "Quadruple") if raw.get("DesignMasking") else None
    if f == "phase:2":
        return "Phase 2" in raw["Phase"] if raw.get("Phase") else None
    if f == "sex:female":
        return raw["Gender"][0] == "Female" if raw.get("Gender") else None
    if f == "allocation:randomized":
        return raw["DesignAllocation"][0] == "Randomized" if raw.get("DesignAllocation") else None
    country = "China" if f.endswith("China") else "United States"
    if raw.get("LocationCountry"):
        return country in raw["LocationCountry"]
    # No country stated: where its sponsor's and collaborators' names place it (places.tsv), if they do.
    names = raw.get("LeadSponsorName", []) + raw.get("CollaboratorName", [])
    named = {c for name in names for c in countries_named(name)}
    return country.lower() in named if named else None


@pytest.mark.parametrize("flt", FILTERS)
def test_filters_agree_with_the_raw_records(msc, flt: str) -> None:
    facts = FactIndex({t.nct_id: t for t in msc.trials})
    cs = parse_filters(flt)
    checked = 0
    for t in msc.trials:
        if t.format != "studyfields":
            continue
        got, cites = check_all(cs, facts[t.nct_id])
        assert got == _direct(flt, _raw(t)), (flt, t.nct_id)
        if got and flt != "country:China":
            assert cites, (flt, t.nct_id)
        checked += 1
    assert checked == len([t for t in msc.trials if t.format == "studyfields"]) >= 1530


def test_all_fact_citations_verify(msc) -> None:
    from index.results import Answer, TrialAnswer

    facts = FactIndex({t.nct_id: t for t in msc.trials})
    cites = []
    for t in msc.trials:
        f = facts[t.nct_id]
        cites += [c for v in f.citations.values() for c in v] + list(f.routes.values()) + list(f.sources.values())
    fake = Answer("", (TrialAnswer("x", "x", "x", 0.0, tuple(cites)),), False)
    assert len(cites) > 10_000
    assert bad_citations([fake]) == []


def _same_facts(a, b) -> None:
    assert a.citations == b.citations and a.routes == b.routes and a.sources == b.sources
    assert a.doses == b.doses and a.placebo == b.placebo
    assert dict(a.countries) == dict(b.countries) and dict(a.cities) == dict(b.cities)
    assert a.trial == dataclasses.replace(b.trial, sections=())


def test_stored_facts_read_back_exactly() -> None:
    for t in load_corpus([CORPUS]).trials:
        f = extract(t)
        stored = json.loads(json.dumps(facts_to_dict(f)))
        _same_facts(facts_from_dict(stored), f)


def test_an_index_answers_facts_from_what_its_build_stored(seed_index: TrialIndex) -> None:
    backend = seed_index.backend
    trials = {t.nct_id: t for t in load_corpus([CORPUS]).trials}
    assert list(backend.trials()) == list(trials)
    for nct, t in trials.items():
        _same_facts(facts_from_dict(backend.fact_record(nct)), extract(t))
    with pytest.raises(KeyError):
        backend.fact_record("NCT99999999")


STORED_CHECKS = [
    *FILTERS,
    "placebo:yes",
    "placebo:no",
    "city:Beijing",
    "age=30",
    "model:single_group",
]
TEXT_CHECKS = [
    make("condition", "=", "liver cirrhosis"),
    make("condition", "=", "hepatitis B"),
    make("route", "=", "hepatic artery"),
    make("source", "=", "umbilical cord"),
]


def _stored(t) -> object:
    return facts_from_dict(json.loads(json.dumps(facts_to_dict(extract(t)))))


def test_stored_facts_decide_every_constraint_as_extracted_ones(msc) -> None:
    """What the index stores decides each constraint, with the same citations, as the
    facts extracted from the full record (which has its sections)."""
    decided = {}
    for t in msc.trials:
        full, stored = extract(t), _stored(t)
        for cs in [parse_filters(f) for f in STORED_CHECKS] + [[c] for c in TEXT_CHECKS]:
            want = check_all(cs, full)
            assert check_all(cs, stored) == want, (t.nct_id, cs)
            decided[cs[0].label] = decided.get(cs[0].label, 0) + (want[0] is not None)
    assert decided["placebo: no"] > 1000 and decided["condition: liver cirrhosis"] > 100


def test_a_condition_constraint_cites_the_conditions_line() -> None:
    (t,) = read(CORPUS / "000_178c2bec843b439b.txt")
    for f in (extract(t), _stored(t)):
        ok, cites = check(make("condition", "=", "liver cirrhosis"), f)
        assert ok is True and [(c.name, c.snippet) for c in cites] == [("conditions", "Liver Cirrhosis")]
        assert check(make("placebo", "=", False), f) == (True, [])


def test_all_patients_younger_checks_the_maximum_age() -> None:
    facts = FactIndex({t.nct_id: t for t in load_corpus([CORPUS]).trials})
    got = {n: check(make("max_age", "<", 70.0), facts[n])[0] for n in facts.trials}
    assert got == {
        "NCT01724697": True,
        "NCT03209986": True,
        "NCT00713934": False,
        "NCT05106972": True,
        "NCT01218464": False,
    }
    assert check(make("max_age", "<=", 70.0), facts["NCT01218464"])[0] is True


def test_fact_questions_in_other_words_on_the_seeds(seed_index: TrialIndex) -> None:
    def listed(q: str) -> list[tuple[str, list[str]]]:
        a = seed_index.ask(q)
        assert bad_citations([a]) == []
        return [(t.nct_id, [c.snippet for c in t.citations]) for t in a.trials]

    only = [
        ("NCT01724697", ["18 to 65 years old"]),
        ("NCT03209986", ["18 to 65 years old"]),
        ("NCT05106972", ["Aged between 20 and 60 (male or female)"]),
    ]
    assert listed("Which trials accept only patients younger than 70?") == only
    assert listed("In which trials are all participants younger than 70?") == only
    assert listed("Which trials accept patients younger than 70?") == [
        ("NCT01724697", ["18 to 65 years old"]),
        ("NCT03209986", ["18 to 65 years old"]),
        ("NCT00713934", ["18 to 75 years old"]),
        ("NCT05106972", ["Aged between 20 and 60 (male or female)"]),
        ("NCT01218464", ["18 to 70 years old"]),
    ]
    assert seed_index.ask("Which trials accept only patients younger than 70?").constraints == ("maximum age < 70",)
    assert listed("Which trials aim to recruit at least 50?") == [
        ("NCT01724697", ["240 estimated patients"]),
        ("NCT03209986", ["200 estimated patients"]),
        ("NCT01218464", ["70 estimated patients"]),
    ]
    assert listed("Which trials plan to enrol more than 100 patients?") == [
        ("NCT01724697", ["240 estimated patients"]),
        ("NCT03209986", ["200 estimated patients"]),
    ]
    assert listed("Which trials expect to include fewer than 30?") == [("NCT00713934", ["7 patients"])]
