"""Conditions as concepts: the packaged MeSH table, terms in questions, condition lines."""

from __future__ import annotations

import pytest

from index.text.vocabulary.concepts import Concepts, concepts, heading_forms


def named(text: str, c: Concepts | None = None) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.concept) for f in (c or concepts()).find(text)]


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("Which trials treat T2DM?", [("T2DM", "diabetes mellitus, type 2")]),
        ("Which trials study type 2 diabetes?", [("type 2 diabetes", "diabetes mellitus, type 2")]),
        ("Which trials study Diabetes Mellitus, Type 2?", [("Diabetes Mellitus, Type 2", "diabetes mellitus, type 2")]),
        ("Which trials are for diabetic patients?", [("diabetic", "diabetes mellitus")]),
        ("Which trials treat heart attacks?", [("heart attacks", "myocardial infarction")]),
        ("Which trials study Lou Gehrig's disease?", [("Lou Gehrig's disease", "amyotrophic lateral sclerosis")]),
        ("Which trials treat ALS?", [("ALS", "amyotrophic lateral sclerosis")]),
        ("Which trials treat renal disease?", [("renal disease", "kidney diseases")]),
        ("Which trials treat Crohn's disease?", [("Crohn's disease", "crohn disease")]),
        ("which trials use the hepatic artery?", []),
    ],
)
def test_questions_name_concepts(question: str, found: list[tuple[str, str]]) -> None:
    assert named(question) == found


def test_short_capitals_match_only_as_written() -> None:
    assert named("which trials treat als?") == []
    assert named("Which trials exclude MS?") == [("MS", "multiple sclerosis")]


def test_inverted_headings() -> None:
    assert heading_forms("Diabetes Mellitus, Type 2") == ["Diabetes Mellitus, Type 2", "Type 2 Diabetes Mellitus"]
    assert heading_forms("Leukemia, Myeloid, Acute") == ["Leukemia, Myeloid, Acute", "Acute Myeloid Leukemia"]
    assert heading_forms("Stroke") == ["Stroke"]


def test_condition_lines_reach_broader_concepts() -> None:
    assert concepts().named_in("Decompensated Liver Cirrhosis") == {
        "liver cirrhosis",
        "liver diseases",
        "fibrosis",
        "digestive system diseases",
    }
    assert concepts().named_in("End Stage Liver Disease") == {
        "end stage liver disease",
        "liver failure",
        "hepatic insufficiency",
        "liver diseases",
        "digestive system diseases",
    }
    assert "diabetes mellitus" in concepts().named_in("T2D")
    assert concepts().named_in("Stem Cell Transplant") == set()


def test_a_corpus_adds_its_headings_and_knows_what_its_trials_have() -> None:
    c = concepts().for_corpus(["Hepatic Insufficiency", "Wilson Disease"], ["Liver Cirrhosis"])
    assert named("Which trials treat Wilson disease?", c) == [("Wilson disease", "wilson disease")]
    assert named("Which trials treat Wilson disease?") == []  # not a heading of the table
    assert c.present is not None
    assert {"hepatic insufficiency", "wilson disease", "liver cirrhosis", "liver diseases"} <= c.present
    assert "diabetes mellitus" not in c.present
    assert concepts().present is None


def test_table_rows_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown kind 'heading'"):
        Concepts.parse("heading\tStroke\t-\tCVA")
    with pytest.raises(ValueError, match="needs a heading and its broader headings"):
        Concepts.parse("mesh\tStroke")
    c = Concepts.parse("mesh\tStroke\tCerebrovascular Disorders\tCVA\ngeneric\tDisease")
    assert c.closure("stroke") == {"stroke", "cerebrovascular disorders"}
    assert c.generic == {"disease"}
    assert named("a CVA last year", c) == [("CVA", "stroke")]
