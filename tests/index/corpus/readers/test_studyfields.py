"""The retired study-fields API JSON: flat records, every value a list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.corpus.readers import studyfields
from index.corpus.readers.locate import misplaced
from index.errors import CorpusError
from index.model import Age


def record(nct: str = "NCT01234567", **extra: list[str]) -> dict[str, object]:
    rec: dict[str, object] = {
        "Rank": 1,
        "NCTId": [nct],
        "BriefTitle": ["Cells for Livers"],
        "OfficialTitle": [],
        "Condition": ["Cirrhosis", "Liver Failure"],
        "OverallStatus": ["Not yet recruiting"],
        "Phase": ["Phase 1", "Phase 2"],
        "StudyType": ["Interventional"],
        "EnrollmentCount": ["24"],
        "Gender": ["Male"],
        "MinimumAge": ["18 Years"],
        "MaximumAge": ["65 Years"],
        "DesignAllocation": ["Randomized"],
        "DesignMasking": ["None (Open Label)"],
        "DesignInterventionModel": ["Single Group Assignment"],
        "LeadSponsorName": ["Clinic"],
        "LastUpdatePostDate": ["May 31, 2013"],
        "InterventionName": ["MSC", "Saline"],
        "InterventionType": ["Biological", "Other"],
        "InterventionDescription": ["Only one description"],
        "EligibilityCriteria": ["Inclusion Criteria:\n\n- adults\n\nExclusion Criteria:\n\n- none"],
        "LocationFacility": ["Hospital"],
        "LocationCity": ["Beijing"],
        "LocationState": [],
        "LocationCountry": ["China"],
    }
    rec.update(extra)
    return rec


def test_single_record() -> None:
    (t,) = studyfields.parse(json.dumps(record()), "NCT01234567.json")
    assert (t.nct_id, t.title, t.format, t.sponsor) == ("NCT01234567", "Cells for Livers", "studyfields", "Clinic")
    assert (t.status, t.phases, t.study_type, t.enrollment) == (
        "Not yet recruiting",
        ("Phase 1", "Phase 2"),
        "Interventional",
        24,
    )
    assert (t.sex, t.min_age, t.max_age) == ("Male", Age(18.0, "years"), Age(65.0, "years"))
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "None (Open Label)", "Single group")
    assert t.conditions == ("Cirrhosis", "Liver Failure")
    assert t.interventions == ("Biological: MSC", "Other: Saline")
    assert (t.locations, t.last_update) == (("Hospital, Beijing, China",), "May 31, 2013")
    got = [(s.heading, s.text, s.field) for s in t.sections if s.name == "interventions"]
    # one description for two interventions cannot be paired: it stands alone
    assert got == [
        ("Intervention: Biological", "MSC", "/InterventionName/0"),
        ("Intervention: Other", "Saline", "/InterventionName/1"),
        ("Intervention", "Only one description", "/InterventionDescription/0"),
    ]
    incl = t.sections_named("eligibility_inclusion")[0]
    assert (incl.text, incl.field, incl.start) == ("- adults", "/EligibilityCriteria/0", 21)
    assert misplaced(json.dumps(record()), "x", t.sections) == []


def test_paired_lists_give_labelled_headings() -> None:
    rec = record(
        InterventionDescription=["Stem cells", "Placebo"],
        ArmGroupLabel=["A", "B"],
        ArmGroupDescription=["Gets MSC", "Gets saline"],
        PrimaryOutcomeMeasure=["MELD"],
        PrimaryOutcomeDescription=["score"],
        PrimaryOutcomeTimeFrame=["1 year"],
    )
    (t,) = studyfields.parse(json.dumps(rec), "x.json")
    headings = [(s.heading, s.text) for s in t.sections if s.name in {"interventions", "arms", "outcomes_primary"}]
    assert headings == [
        ("Intervention: Biological", "MSC"),
        ("Intervention: Biological: MSC", "Stem cells"),
        ("Intervention: Other", "Saline"),
        ("Intervention: Other: Saline", "Placebo"),
        ("Arm: A", "Gets MSC"),
        ("Arm: B", "Gets saline"),
        ("Primary Outcome", "MELD"),
        ("Primary Outcome: MELD", "score"),
        ("Primary Outcome Time Frame: MELD", "1 year"),
    ]


def test_lists_and_wrappers() -> None:
    two = [record("NCT00000001"), record("NCT00000002")]
    trials = studyfields.parse(json.dumps(two), "x.json")
    assert [t.nct_id for t in trials] == ["NCT00000001", "NCT00000002"]
    assert trials[1].sections[0].field == "/1/BriefTitle/0"
    wrapped = {"StudyFieldsResponse": {"APIVrs": "1.01.05", "StudyFields": two}}
    trials = studyfields.parse(json.dumps(wrapped), "x.json")
    assert trials[0].sections[0].field == "/StudyFieldsResponse/StudyFields/0/BriefTitle/0"
    mixed = [record("NCT00000001"), {"NCTId": []}]
    (t,) = studyfields.parse(json.dumps(mixed), "x.json")
    assert t.warnings == ("skipped record 2 of 2: no NCT ID in record",)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"NCTId": [], "BriefTitle": ["T"]}', "no NCT ID in record"),
        ('{"NCTId": ["12345"]}', "NCT ID '12345' is not of the form NCT########"),
        ('{"StudyFieldsResponse": {"NStudiesFound": 0}}', "StudyFieldsResponse wrapper with no studies"),
        ("[]", "empty list: no study records"),
        ('[["NCTId"]]', "study record is a list, not an object"),
        ("3", "expected a JSON object or list at the top, found a number"),
        (
            '{"NCTId": ["NCT01234567"], "BriefTitle": ["cut',
            "truncated JSON at line 1 column 43: Unterminated string starting at",
        ),
    ],
)
def test_malformed_records_are_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(CorpusError) as info:
        studyfields.parse(text, "bad.json")
    assert info.value.reason == reason


def test_sniff() -> None:
    assert studyfields.sniff('\ufeff{\n "Rank": 1,\n "NCTId": [\n "NCT01234567"]}')
    assert studyfields.sniff('[{"NCTId": ["NCT01234567"]}]')
    assert studyfields.sniff('{"StudyFieldsResponse": {}}')
    assert not studyfields.sniff('{"NCTId": "NCT01234567"}')
    assert not studyfields.sniff('NCTId: ["NCT01234567"]')


def test_real_record(shared_data: Path) -> None:
    path = shared_data / "ctgov-msc-studyfields/NCT01218464.json"
    (t,) = studyfields.parse(path.read_text("utf-8"), str(path))
    assert t.nct_id == "NCT01218464"
    assert t.title == ("Safety and Efficacy of Human Mesenchymal Stem Cells for Treatment of Liver Failure")
    assert (t.status, t.phases, t.study_type, t.enrollment) == ("Unknown", ("Phase 1", "Phase 2"), "Interventional", 70)
    assert (t.sex, t.min_age, t.max_age) == ("All", Age(18.0, "years"), Age(70.0, "years"))
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "Double", "Parallel")
    assert (t.sponsor, t.last_update, t.warnings) == ("Beijing 302 Hospital", "May 31, 2013", ())
    assert t.interventions == ("Drug: Conventional plus MSC treatment", "Drug: Conventional plus pacebo treatment")
    assert t.locations == ("Beijing 302 Hospital, Beijing, Beijing, China",)
    assert [s.text for s in t.sections_named("keywords")] == [
        "Liver Failure",
        "Mesenchymal Stem Cells",
        "Model for End-Stage Liver Disease",
        "Ascite",
        "Serum Albumin",
    ]


def test_file_holding_another_record(shared_data: Path) -> None:
    path = shared_data / "ctgov-msc-studyfields/NCT04400032.json"
    (t,) = studyfields.parse(path.read_text("utf-8"), str(path))
    assert (t.nct_id, t.warnings) == ("NCT02421484", ("file name NCT04400032 does not match record NCT02421484",))


def test_real_record_keeps_its_mesh_terms_and_ancestors(shared_data: Path) -> None:
    path = shared_data / "ctgov-msc-studyfields/NCT03259217.json"
    text = path.read_text("utf-8")
    (t,) = studyfields.parse(text, str(path))
    assert t.conditions == ("Stem Cell Transplant",)
    assert [s.text for s in t.mesh_named("condition_mesh")] == ["Diabetic Foot", "Foot Ulcer"]
    assert [s.text for s in t.mesh_named("condition_ancestor")] == [
        "Diabetic Angiopathies",
        "Vascular Diseases",
        "Cardiovascular Diseases",
        "Leg Ulcer",
        "Skin Ulcer",
        "Skin Diseases",
        "Diabetes Complications",
        "Diabetes Mellitus",
        "Endocrine System Diseases",
        "Diabetic Neuropathies",
        "Foot Diseases",
    ]
    assert t.mesh_named("intervention_mesh") == t.mesh_named("intervention_ancestor") == ()
    (dm,) = [s for s in t.mesh if s.text == "Diabetes Mellitus"]
    assert (dm.name, dm.heading, dm.field, dm.start, dm.end) == (
        "condition_ancestor",
        "Condition MeSH ancestor",
        "/ConditionAncestorTerm/7",
        0,
        17,
    )
    assert misplaced(text, str(path), t.mesh) == []


def test_mesh_terms_of_interventions_are_kept() -> None:
    rec = record(InterventionMeshTerm=["Cyclosporine"], InterventionAncestorTerm=["Immunosuppressive Agents"])
    (t,) = studyfields.parse(json.dumps(rec), "r.json")
    assert [(s.name, s.text, s.field) for s in t.mesh] == [
        ("intervention_mesh", "Cyclosporine", "/InterventionMeshTerm/0"),
        ("intervention_ancestor", "Immunosuppressive Agents", "/InterventionAncestorTerm/0"),
    ]
