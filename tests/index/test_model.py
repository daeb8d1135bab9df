"""index.model: the trial model, its ages and its stored form."""

from __future__ import annotations

import json

from index.model import NCT_RE, Age, RowMap, Section, Trial, trial_from_dict, trial_to_dict


def test_ages_in_other_units_are_fractions_of_a_year() -> None:
    assert [Age(18, "years").years, Age(6, "months").years, Age(26, "weeks").years, Age(28, "days").years] == [
        18.0,
        0.5,
        0.4983,
        0.0767,
    ]


def test_nct_ids_are_found_whole() -> None:
    assert NCT_RE.findall("see NCT01724697 and NCT0172469 or xNCT01724697, (NCT05106972)") == [
        "NCT01724697",
        "NCT05106972",
    ]


def test_a_trial_survives_its_stored_form() -> None:
    t = Trial(
        nct_id="NCT01724697",
        title="T",
        source="corpus/x.txt",
        format="veeva",
        sections=(Section("summary", "About", "text", 10, 14), Section("eligibility", "Criteria", "x", 0, 1, "/a/0")),
        phases=("Phase 1", "Phase 2"),
        min_age=Age(6, "months"),
        max_age=None,
        enrollment=240,
        also_sources=("b.json",),
    )
    stored = json.loads(json.dumps(trial_to_dict(t)))
    assert stored["min_age"] == {"value": 6, "unit": "months"} and stored["phases"] == ["Phase 1", "Phase 2"]
    back = trial_from_dict(stored)
    assert back == t
    assert (back.min_age_years, back.max_age_years, back.url) == (
        0.5,
        None,
        "https://clinicaltrials.gov/study/NCT01724697",
    )
    assert back.sections_named("eligibility") == (Section("eligibility", "Criteria", "x", 0, 1, "/a/0"),)


def test_mesh_terms_survive_the_stored_form() -> None:
    where = "/ConditionAncestorTerm/7"
    dm = Section("condition_ancestor", "Condition MeSH ancestor", "Diabetes Mellitus", 0, 17, where)
    foot = Section("condition_mesh", "Condition MeSH term", "Diabetic Foot", 0, 13, "/ConditionMeshTerm/0")
    t = Trial(nct_id="NCT03259217", title="T", source="s.json", format="studyfields", mesh=(foot, dm))
    back = trial_from_dict(json.loads(json.dumps(trial_to_dict(t))))
    assert back == t
    assert (back.mesh_named("condition_mesh"), back.mesh_named("condition_ancestor")) == ((foot,), (dm,))
    assert trial_from_dict({k: v for k, v in trial_to_dict(t).items() if k != "mesh"}).mesh == ()


def test_a_row_map_makes_each_value_from_its_row_when_asked() -> None:
    made: list[int] = []

    def at(row: int) -> str:
        made.append(row)
        return f"value {row}"

    m = RowMap({"b": 4, "a": 0}, at)
    assert (list(m), len(m), "a" in m, "c" in m, 4 in m, made) == (["b", "a"], 2, True, False, False, [])
    assert (m["a"], m.get("c"), made) == ("value 0", None, [0])
    assert dict(m) == {"b": "value 4", "a": "value 0"}
