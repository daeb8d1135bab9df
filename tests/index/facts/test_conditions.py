"""Conditions as concepts: the condition a question asks for, whether a trial has it (its
MeSH terms and ancestors, or its condition lines through the table), and a condition question
over a small corpus of real study-fields records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.corpus.readers import studyfields, veeva
from index.evaluation.verify import bad_citations
from index.facts.conditions import concept_of, has_condition, question_concepts
from index.facts.constraints import parse
from index.facts.extract import extract
from index.text.vocabulary.concepts import concepts
from tests.conftest import CORPUS

KNOWN = concepts().for_corpus(["Diabetes Mellitus", "Hepatic Insufficiency", "Pain"], ["Liver Cirrhosis"])


def asked(question: str) -> list[tuple[str, str]]:
    return [(question[f.start : f.end], f.concept) for f in question_concepts(question, KNOWN)]


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("Which trials study diabetes?", [("diabetes", "diabetes mellitus")]),
        ("Which trials are for diabetic patients?", [("diabetic", "diabetes mellitus")]),
        ("Which liver cirrhosis trials are recruiting?", [("liver cirrhosis", "liver cirrhosis")]),
        ("Which trials enrol patients who had a heart attack?", []),  # no trial has it: searched as text
        ("Which trials treat patients with pain?", [("pain", "pain")]),
        ("Which trials measure pain?", []),  # what a trial measures is not what it is for
        ("Which trials exclude diabetes?", []),  # a criterion to search for
        ("Which trials treat disease?", []),  # too general
        ("which records give diabetes as their main diagnosis?", [("diabetes", "diabetes mellitus")]),
        ("studies naming liver cirrhosis as a condition", [("liver cirrhosis", "liver cirrhosis")]),
        ("which trials mention pain as an outcome?", []),
        ("seventy yo w/ liver cirrhosis - which", [("liver cirrhosis", "liver cirrhosis")]),  # "w/": with
        ("Hepatic insufficiency - which study is aimed at it?", [("Hepatic insufficiency", "hepatic insufficiency")]),
        ("any trial that specifically enrols liver cirrhosis?", [("liver cirrhosis", "liver cirrhosis")]),
        ("which trials are for patients unsuitable for liver cirrhosis care?", []),  # what they are not fit for
    ],
)
def test_question_concepts(question: str, found: list[tuple[str, str]]) -> None:
    assert asked(question) == found


def test_a_concept_becomes_a_condition_constraint() -> None:
    found, rest = parse("Which trials for diabetic patients are recruiting?", set(), KNOWN)
    assert [(c.key, c.value, c.label) for c in found] == [
        ("condition", "diabetes mellitus", "condition: diabetes mellitus"),
        ("status", "Recruiting", "status: Recruiting"),
    ]
    assert rest == "Which trials for patients ?"


def test_a_concept_set_against_the_need_is_a_condition_the_trials_lack() -> None:
    found, _ = parse("Which trials study hepatic insufficiency rather than liver cirrhosis?", set(), KNOWN)
    assert [(c.key, c.op, c.value, c.label) for c in found] == [
        ("condition", "=", "hepatic insufficiency", "condition: hepatic insufficiency"),
        ("condition", "not", "liver cirrhosis", "condition not liver cirrhosis"),
    ]
    found, _ = parse("Which trials exclude liver cirrhosis rather than diabetes?", set(), KNOWN)
    assert found == []  # a criterion to search for


def test_filter_values_name_concepts() -> None:
    assert concept_of("T2DM") == "diabetes mellitus, type 2"
    assert concept_of(" Liver ") == "liver"


def test_a_trial_has_a_concept_through_its_mesh_ancestors(shared_data: Path) -> None:
    path = shared_data / "ctgov-msc-studyfields/NCT03259217.json"
    (t,) = studyfields.parse(path.read_text("utf-8"), str(path))
    f = extract(t)
    ok, (c,) = has_condition("diabetes mellitus", f)
    assert ok is True
    assert (c.section, c.snippet, c.field, c.start, c.end) == (
        "Condition MeSH ancestor",
        "Diabetes Mellitus",
        "/ConditionAncestorTerm/7",
        0,
        17,
    )
    ok, (c,) = has_condition("diabetic foot", f)
    assert (ok, c.section, c.snippet, c.field) == (True, "Condition MeSH term", "Diabetic Foot", "/ConditionMeshTerm/0")
    assert has_condition("diabetes mellitus, type 2", f) == (False, [])


def test_a_page_without_mesh_reaches_concepts_through_the_table() -> None:
    path = CORPUS / "000_178c2bec843b439b.txt"
    (t,) = veeva.parse(path.read_text("utf-8"), str(path))
    assert (t.nct_id, t.conditions, t.mesh) == ("NCT01724697", ("Liver Cirrhosis", "End Stage Liver Disease"), ())
    f = extract(t)
    ok, (c,) = has_condition("hepatic insufficiency", f)  # End Stage Liver Disease -> Liver Failure -> ...
    assert (ok, c.section, c.snippet) == (True, "Conditions", "End Stage Liver Disease")
    assert path.read_text("utf-8")[c.start : c.end] == c.snippet
    ok, (c,) = has_condition("liver diseases", f)
    assert (ok, c.snippet) == (True, "Liver Cirrhosis")
    assert has_condition("diabetes mellitus", f) == (False, [])


SMALL = ("NCT01157403", "NCT01218464", "NCT03259217", "NCT04501341")


@pytest.fixture(scope="module")
def small_index(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """An index of four real study-fields records: type 1 diabetes named only by MeSH (its
    condition is 'Evidence of Liver Transplantation'), diabetic foot ulcers (condition 'Stem
    Cell Transplant'), type 2 diabetes (condition 'T2D') and liver failure."""
    from index.trial_index import TrialIndex

    corpus = tmp_path_factory.mktemp("msc-small")
    for nct in SMALL:
        shutil.copy(shared_data / f"ctgov-msc-studyfields/{nct}.json", corpus / f"{nct}.json")
    return TrialIndex.build([corpus], tmp_path_factory.mktemp("msc-small-index") / "index")


def _cited(answer) -> list[tuple[str, list[tuple[str, str, str | None, int, int]]]]:
    return [(t.nct_id, [(c.section, c.snippet, c.field, c.start, c.end) for c in t.citations]) for t in answer.trials]


def test_a_condition_question_matches_subtypes_through_mesh_ancestors(small_index) -> None:
    a = small_index.ask("Which trials study diabetes?")
    assert a.constraints == ("condition: diabetes mellitus",)
    assert _cited(a) == [
        ("NCT01157403", [("Condition MeSH ancestor", "Diabetes Mellitus", "/ConditionAncestorTerm/0", 0, 17)]),
        ("NCT03259217", [("Condition MeSH ancestor", "Diabetes Mellitus", "/ConditionAncestorTerm/7", 0, 17)]),
        ("NCT04501341", [("Condition", "T2D", "/Condition/0", 0, 3)]),
    ]
    assert bad_citations([a]) == []


def test_a_subtype_question_lists_only_that_subtype(small_index) -> None:
    a = small_index.ask("Which trials treat T2DM?")
    assert a.constraints == ("condition: diabetes mellitus, type 2",)
    assert _cited(a) == [("NCT04501341", [("Condition", "T2D", "/Condition/0", 0, 3)])]
    b = small_index.ask("Which trials are for patients with type 1 diabetes?")
    assert _cited(b) == [
        ("NCT01157403", [("Condition MeSH term", "Diabetes Mellitus, Type 1", "/ConditionMeshTerm/0", 0, 25)])
    ]
    assert bad_citations([a, b]) == []


def test_a_heading_only_the_registry_gives(small_index) -> None:
    a = small_index.ask("How many trials treat hepatic insufficiency?")
    assert (a.count, _cited(a)) == (1, [("NCT01218464", [("Condition", "Liver Failure", "/Condition/0", 0, 13)])])
