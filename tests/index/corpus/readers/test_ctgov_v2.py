"""ClinicalTrials.gov API v2 JSON (and the v1 FullStudiesResponse wrapper)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.corpus.readers import ctgov_v2
from index.corpus.readers.locate import misplaced, resolve_json_pointer
from index.errors import CorpusError
from index.model import Age

CRITERIA = "Inclusion Criteria:\n\n* Adults\n* Consent\n\nExclusion Criteria:\n\n* Pregnancy\n"


def study(nct: str = "NCT01234567", **extra: object) -> dict[str, object]:
    ps: dict[str, object] = {
        "identificationModule": {"nctId": nct, "briefTitle": " A Trial ", "officialTitle": "The Official Title"},
        "statusModule": {
            "overallStatus": "RECRUITING",
            "lastUpdatePostDateStruct": {"date": "2024-01-02", "type": "ACTUAL"},
        },
        "designModule": {
            "studyType": "INTERVENTIONAL",
            "phases": ["PHASE2", "PHASE3"],
            "enrollmentInfo": {"count": 40},
            "designInfo": {
                "allocation": "RANDOMIZED",
                "interventionModel": "CROSSOVER",
                "maskingInfo": {"masking": "DOUBLE"},
            },
        },
        "eligibilityModule": {
            "eligibilityCriteria": CRITERIA,
            "sex": "FEMALE",
            "minimumAge": "6 Months",
            "maximumAge": "N/A",
        },
        "armsInterventionsModule": {
            "armGroups": [{"label": "1 Placebo", "description": "Sugar pill"}, {"label": "B"}],
            "interventions": [
                {"type": "DIETARY_SUPPLEMENT", "name": "placebo", "description": "", "otherNames": ["sugar"]}
            ],
        },
        "contactsLocationsModule": {
            "locations": [
                {"facility": "Clinic", "city": "Oslo", "country": "Norway", "geoPoint": {"lat": 1.5, "lon": 2.5}}
            ]
        },
    }
    ps.update(extra)
    return {"protocolSection": ps, "hasResults": False}


def parse(doc: object, source: str = "x.json") -> list:
    return ctgov_v2.parse(json.dumps(doc), source)


def test_single_study_fields_and_sections() -> None:
    (t,) = parse(study(), "dir/NCT01234567.json")
    assert (t.nct_id, t.title, t.format, t.source) == ("NCT01234567", "A Trial", "ctgov-v2", "dir/NCT01234567.json")
    assert (t.status, t.phases, t.study_type, t.enrollment) == (
        "Recruiting",
        ("Phase 2", "Phase 3"),
        "Interventional",
        40,
    )
    assert (t.sex, t.min_age, t.max_age) == ("Female", Age(6.0, "months"), None)
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "Double", "Crossover")
    assert t.interventions == ("Dietary supplement: placebo",)
    assert t.locations == ("Clinic, Oslo, Norway",)
    assert (t.last_update, t.warnings) == ("2024-01-02", ())
    got = [(s.name, s.heading, s.text, s.field) for s in t.sections]
    ps = "/protocolSection"
    assert got[:9] == [
        ("title", "Brief Title", "A Trial", f"{ps}/identificationModule/briefTitle"),
        ("official_title", "Official Title", "The Official Title", f"{ps}/identificationModule/officialTitle"),
        (
            "interventions",
            "Intervention: Dietary supplement",
            "placebo",
            f"{ps}/armsInterventionsModule/interventions/0/name",
        ),
        (
            "interventions",
            "Other Name: Dietary supplement: placebo",
            "sugar",
            f"{ps}/armsInterventionsModule/interventions/0/otherNames/0",
        ),
        ("arms", "Arm: 1 Placebo", "Sugar pill", f"{ps}/armsInterventionsModule/armGroups/0/description"),
        ("arms", "Arm", "B", f"{ps}/armsInterventionsModule/armGroups/1/label"),
        (
            "eligibility_inclusion",
            "Inclusion Criteria",
            "* Adults\n* Consent",
            f"{ps}/eligibilityModule/eligibilityCriteria",
        ),
        ("eligibility_exclusion", "Exclusion Criteria", "* Pregnancy", f"{ps}/eligibilityModule/eligibilityCriteria"),
        ("eligibility", "Sex", "FEMALE", f"{ps}/eligibilityModule/sex"),
    ]
    assert [s.heading for s in t.sections if s.name == "design"] == [
        "Study Type",
        "Allocation",
        "Intervention Model",
        "Masking",
    ]
    assert not t.sections_named("enrollment")  # the count is a number, not a string
    inclusion = t.sections_named("eligibility_inclusion")[0]
    assert (inclusion.start, inclusion.end) == (21, 39)
    assert CRITERIA[21:39] == inclusion.text
    assert misplaced(json.dumps(study()), "x", t.sections) == []


def test_page_of_studies_and_bad_study_skipped() -> None:
    page = {"studies": [study("NCT00000001"), {"protocolSection": []}, study("NCT00000002")], "nextPageToken": "abc"}
    trials = parse(page, "page.json")
    assert [t.nct_id for t in trials] == ["NCT00000001", "NCT00000002"]
    assert trials[1].sections[0].field == ("/studies/2/protocolSection/identificationModule/briefTitle")
    assert trials[0].warnings == ("skipped record 2 of 3: no protocolSection object in study record",)
    assert [t.nct_id for t in parse([study("NCT00000003")])] == ["NCT00000003"]


def test_v1_wrapper_is_read_with_its_own_names() -> None:
    doc = {
        "FullStudiesResponse": {
            "NStudiesFound": 1,
            "FullStudies": [
                {
                    "Rank": 1,
                    "Study": {
                        "ProtocolSection": {
                            "IdentificationModule": {"NCTId": "NCT07654321", "BriefTitle": "Old API"},
                            "StatusModule": {"OverallStatus": "Completed"},
                            "DesignModule": {
                                "PhaseList": {"Phase": ["Phase 1"]},
                                "EnrollmentInfo": {"EnrollmentCount": "12"},
                                "DesignInfo": {"DesignMaskingInfo": {"DesignMasking": "None (Open Label)"}},
                            },
                            "ArmsInterventionsModule": {
                                "ArmGroupList": {
                                    "ArmGroup": [{"ArmGroupLabel": "Arm A", "ArmGroupDescription": "Gets drug"}]
                                }
                            },
                        }
                    },
                }
            ],
        }
    }
    (t,) = parse(doc)
    assert (t.nct_id, t.title, t.status, t.phases, t.enrollment, t.masking) == (
        "NCT07654321",
        "Old API",
        "Completed",
        ("Phase 1",),
        12,
        "None (Open Label)",
    )
    base = "/FullStudiesResponse/FullStudies/0/Study/ProtocolSection"
    fields = {s.heading: s.field for s in t.sections}
    assert fields["Arm: Arm A"] == (f"{base}/ArmsInterventionsModule/ArmGroupList/ArmGroup/0/ArmGroupDescription")
    assert fields["Enrollment"] == f"{base}/DesignModule/EnrollmentInfo/EnrollmentCount"
    assert resolve_json_pointer(doc, fields["Masking"]) == "None (Open Label)"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"FullStudiesResponse": {"NStudiesFound": 0}}', "API v1 FullStudiesResponse wrapper with no studies"),
        ('{"studies": [], "totalCount": 0}', "API v2 page with no studies"),
        ('{"studies": {"a": 1}}', "'studies' is an object, not a list of studies"),
        ('{"protocolSection": {"identificationModule": {"briefTitle": "T"}}}', "no NCT ID in record"),
        (
            '{"protocolSection": {"identificationModule": {"nctId": "NCT12"}}}',
            "NCT ID 'NCT12' is not of the form NCT########",
        ),
        ('{"protocolSection": [1, 2]}', "no protocolSection object in study record"),
        (
            '{"studies": [{"protocolSection": 1}, {"x": 2}]}',
            "none of the 2 records is usable (skipped record 1 of 2: no protocolSection object in study record)",
        ),
        (
            '\ufeff{"protocolSection": {\n  "a": 1,\n',
            "truncated JSON at line 3 column 1: Expecting property name enclosed in double quotes",
        ),
        ('"protocolSection"', "expected a JSON object at the top, found a string"),
    ],
)
def test_malformed_records_are_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(CorpusError) as info:
        ctgov_v2.parse(text, "bad.json")
    assert (info.value.source, info.value.reason) == ("bad.json", reason)


def test_cut_short_record_is_rejected() -> None:
    doc = {
        "protocolSection": {
            "identificationModule": {
                "nctId": "NCT03453554",
                "briefTitle": "Evaluating a Digital...",
                "officialTitle": "Evaluating a Digital...",
            }
        }
    }
    with pytest.raises(CorpusError) as info:
        parse(doc)
    assert info.value.reason == (
        "record NCT03453554 is cut short: placeholder '...' values (briefTitle, officialTitle) and no overall status"
    )


def test_sniff() -> None:
    assert ctgov_v2.sniff('\ufeff  {"protocolSection": {}}')
    assert ctgov_v2.sniff('{"FullStudiesResponse": {}}')
    assert ctgov_v2.sniff('{"studies" : []}')
    assert ctgov_v2.sniff('[{"protocolSection": {}}]')
    assert not ctgov_v2.sniff('{"NCTId": ["NCT01234567"]}')
    assert not ctgov_v2.sniff('[{"NCTId": ["NCT01234567"]}]')
    assert not ctgov_v2.sniff("Brief summary: the protocolSection of studies")


def test_real_v2_record(shared_data: Path) -> None:
    (t,) = ctgov_v2.parse((shared_data / "ctgov-v2/NCT00763412.json").read_text("utf-8"), "s")
    assert t.nct_id == "NCT00763412"
    assert t.title == ("Pilot and Feasibility Study for the Treatment of Pre-diabetes in Patients With Cystic Fibrosis")
    assert (t.status, t.phases, t.study_type, t.enrollment) == ("Completed", ("Not Applicable",), "Interventional", 31)
    assert (t.sex, t.min_age, t.max_age) == ("All", Age(12.0, "years"), Age(24.0, "years"))
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "Quadruple", "Parallel")
    assert (t.sponsor, t.last_update) == ("Arbelaez, Ana Maria", "2017-06-05")
    assert t.conditions == ("Cystic Fibrosis Related Diabetes", "Pancreatic Insufficiency")
    assert t.interventions == ("Drug: placebo", "Drug: repaglinide")
    assert t.locations == ("Washington University School of Medicine, Saint Louis, Missouri, United States",)
    assert [s.heading for s in t.sections_named("arms")] == ["Arm: 1 Placebo", "Arm: 2. repaglinide"]
    assert t.sections_named("eligibility_inclusion")[0].text.startswith(
        "* Male or females 12 -24 years old\n* Diagnosis of Cystic Fibrosis"
    )


def test_real_v1_wrapper(shared_data: Path) -> None:
    (t,) = ctgov_v2.parse((shared_data / "ctgov-v2/NCT02028676.json").read_text("utf-8"), "s")
    assert (t.nct_id, t.status, t.phases, t.enrollment) == ("NCT02028676", "Completed", ("Phase 4",), 1206)
    assert t.title == (
        "Efficacy Study of Different Laboratory Management Strategies and Drug "
        "Regimens in HIV-infected Children in Africa"
    )
    assert (t.min_age, t.max_age) == (Age(3.0, "months"), Age(17.0, "years"))
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "None (Open Label)", "Factorial")
    assert (t.sponsor, t.last_update) == ("Medical Research Council", "June 6, 2014")
    assert t.locations == (
        "MRC /UVRI Uganda Research Unit on AIDS, Entebbe, Uganda",
        "Joint Clinical Research Centre, Kampala, Uganda",
        "Baylor College of Medicine Children's Foundation, Mulago, Uganda",
        "University of Zimbabwe Medical School, Harare, Zimbabwe",
    )
    assert t.sections_named("enrollment")[0].text == "1206"


def test_mismatched_file_name_keeps_the_record_id(shared_data: Path) -> None:
    path = shared_data / "ctgov-v2/NCT02278341.json"
    (t,) = ctgov_v2.parse(path.read_text("utf-8"), str(path))
    assert t.nct_id == "NCT02552212"
    assert t.warnings == ("file name NCT02278341 does not match record NCT02552212",)


def test_real_v2_record_keeps_its_mesh_terms_and_ancestors(shared_data: Path) -> None:
    path = shared_data / "ctgov-v2/NCT00763412.json"
    text = path.read_text("utf-8")
    (t,) = ctgov_v2.parse(text, str(path))
    assert [s.text for s in t.mesh_named("condition_mesh")] == [
        "Cystic Fibrosis",
        "Exocrine Pancreatic Insufficiency",
        "Diabetes Mellitus",
        "Prediabetic State",
        "Glucose Intolerance",
        "Fibrosis",
    ]
    assert [s.text for s in t.mesh_named("condition_ancestor")][:3] == [
        "Glucose Metabolism Disorders",
        "Metabolic Diseases",
        "Endocrine System Diseases",
    ]
    assert [s.text for s in t.mesh_named("intervention_mesh")] == ["Repaglinide"]
    assert [s.text for s in t.mesh_named("intervention_ancestor")] == [
        "Hypoglycemic Agents",
        "Physiological Effects of Drugs",
    ]
    dm = t.mesh_named("condition_mesh")[2]
    assert (dm.heading, dm.field, dm.start, dm.end) == (
        "Condition MeSH term",
        "/derivedSection/conditionBrowseModule/meshes/2/term",
        0,
        17,
    )
    assert misplaced(text, str(path), t.mesh) == []


def test_real_v1_wrapper_keeps_its_mesh_terms(shared_data: Path) -> None:
    path = shared_data / "ctgov-v2/NCT02028676.json"
    text = path.read_text("utf-8")
    (t,) = ctgov_v2.parse(text, str(path))
    assert [s.text for s in t.mesh_named("condition_mesh")] == ["Acquired Immunodeficiency Syndrome", "HIV Infections"]
    assert t.mesh_named("condition_mesh")[1].field == (
        "/FullStudiesResponse/FullStudies/0/Study/DerivedSection/ConditionBrowseModule/ConditionMeshList"
        "/ConditionMesh/1/ConditionMeshTerm"
    )
    assert len(t.mesh_named("condition_ancestor")) == 14
    assert len(t.mesh_named("intervention_mesh")) == 10
    assert misplaced(text, str(path), t.mesh) == []
