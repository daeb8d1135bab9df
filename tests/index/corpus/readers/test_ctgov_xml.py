"""Classic ClinicalTrials.gov XML (<clinical_study>)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from index.corpus.readers import ctgov_xml
from index.corpus.readers.locate import misplaced, resolve_xml_path
from index.errors import CorpusError
from index.model import Age

RECORD = """\ufeff<?xml version="1.0" encoding="UTF-8"?>\r
<clinical_study>\r
  <id_info><org_study_id>X-1</org_study_id><nct_id>NCT01234567</nct_id></id_info>\r
  <brief_title>Short &amp; Sweet</brief_title>\r
  <sponsors><lead_sponsor><agency>Acme</agency></lead_sponsor></sponsors>\r
  <brief_summary>\r
    <textblock>\r
      First line.\r
      Second line.\r
    </textblock>\r
  </brief_summary>\r
  <overall_status>Active, not recruiting</overall_status>\r
  <phase>Phase 1/Phase 2</phase>\r
  <study_type>Interventional</study_type>\r
  <study_design_info><allocation>Non-Randomized</allocation>\r
    <masking>Single (Outcomes Assessor)</masking></study_design_info>\r
  <enrollment type="Anticipated">1,200</enrollment>\r
  <condition>Asthma</condition>\r
  <arm_group><arm_group_label>A</arm_group_label><description>Gets A</description></arm_group>\r
  <arm_group><arm_group_label>B</arm_group_label><description>Gets B</description></arm_group>\r
  <intervention><intervention_type>Drug</intervention_type>\r
    <intervention_name>Drug A</intervention_name></intervention>\r
  <eligibility><criteria><textblock>\r
        Inclusion Criteria:\r
\r
          -  aged 2 or more\r
\r
        Exclusion Criteria:\r
\r
          -  none\r
      </textblock></criteria>\r
    <gender>All</gender><minimum_age>2 Years</minimum_age><maximum_age>N/A</maximum_age>\r
  </eligibility>\r
  <location><facility><name>Site 1</name><address><city>Lyon</city>\r
    <country>France</country></address></facility></location>\r
  <lastchanged_date>June 4, 2014</lastchanged_date>\r
</clinical_study>\r
"""


def test_inline_record() -> None:
    (t,) = ctgov_xml.parse(RECORD, "NCT01234567.xml")
    assert (t.nct_id, t.title, t.format, t.sponsor) == ("NCT01234567", "Short & Sweet", "ctgov-xml", "Acme")
    assert (t.status, t.phases, t.study_type, t.enrollment) == (
        "Active, not recruiting",
        ("Phase 1", "Phase 2"),
        "Interventional",
        1200,
    )
    assert (t.sex, t.min_age, t.max_age) == ("All", Age(2.0, "years"), None)
    assert (t.allocation, t.masking, t.intervention_model) == ("Non-Randomized", "Single", None)
    assert (t.interventions, t.conditions) == (("Drug: Drug A",), ("Asthma",))
    assert t.locations == ("Site 1, Lyon, France",)
    assert (t.last_update, t.warnings) == ("June 4, 2014", ())
    by_heading = {s.heading: (s.name, s.text, s.field) for s in t.sections}
    assert by_heading["Brief Summary"] == (
        "summary",
        "First line.\n      Second line.",
        "/clinical_study/brief_summary/textblock",
    )
    assert by_heading["Arm: B"] == ("arms", "Gets B", "/clinical_study/arm_group[2]/description")
    assert by_heading["Inclusion Criteria"] == (
        "eligibility_inclusion",
        "-  aged 2 or more",
        "/clinical_study/eligibility/criteria/textblock",
    )
    assert by_heading["Enrollment"] == ("enrollment", "1,200", "/clinical_study/enrollment")
    assert by_heading["Last Update Posted"] == ("dates", "June 4, 2014", "/clinical_study/lastchanged_date")
    summary = t.sections_named("summary")[0]
    raw = resolve_xml_path(ET.fromstring(RECORD[1:]), summary.field or "")
    assert raw[summary.start : summary.end] == summary.text and raw.startswith("\n")
    assert misplaced(RECORD, "x", t.sections) == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<clinical_study><brief_title>T</brief_title></clinical_study>", "no NCT ID in record"),
        (
            "<search_results><clinical_study/></search_results>",
            "root element is <search_results>, not <clinical_study>",
        ),
        (
            "<clinical_study><id_info><nct_id>NCT01234567</nct_id>",
            "truncated XML at line 1 column 54: no element found",
        ),
        ("<clinical_study><a></b></clinical_study>", "invalid XML at line 1 column 22: mismatched tag"),
        (
            '<!DOCTYPE c [<!ENTITY x "y">]><clinical_study>&x;</clinical_study>',
            "XML declares entities (<!ENTITY ...>); refusing to expand them",
        ),
    ],
)
def test_malformed_xml_is_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(CorpusError) as info:
        ctgov_xml.parse(text, "bad.xml")
    assert info.value.reason == reason


def test_sniff() -> None:
    assert ctgov_xml.sniff(RECORD)
    assert ctgov_xml.sniff("<clinical_study/>")
    assert not ctgov_xml.sniff("Notes about <clinical_study> records")
    assert not ctgov_xml.sniff('{"protocolSection": "<clinical_study>"}')


def test_real_aact_record(shared_data: Path) -> None:
    (t,) = ctgov_xml.parse((shared_data / "ctgov-xml-aact/NCT00734539.xml").read_text("utf-8"), "s")
    assert t.nct_id == "NCT00734539"
    assert t.title == (
        "Fluconazole Prophylaxis for the Prevention of Candidiasis in Infants Less Than 750 Grams Birthweight"
    )
    assert (t.status, t.phases, t.study_type, t.enrollment) == ("Completed", ("Phase 3",), "Interventional", 362)
    assert (t.sex, t.min_age, t.max_age) == ("All", None, Age(5.0, "days"))
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "Quadruple", "Parallel")
    assert (t.sponsor, t.last_update) == ("Daniel Benjamin", "August 1, 2014")
    assert t.interventions == ("Drug: fluconazole", "Drug: placebo")
    assert t.conditions == ("Candidiasis",)


def test_real_record_with_arm_groups(shared_data: Path) -> None:
    (t,) = ctgov_xml.parse((shared_data / "ctgov-xml-aact/NCT00513591.xml").read_text("utf-8"), "s")
    assert (t.title, t.status, t.study_type, t.enrollment) == (
        "Duke Autoimmunity in Pregnancy Registry",
        "Recruiting",
        "Observational",
        1000,
    )
    assert (t.sex, t.min_age, t.max_age, t.phases) == ("Female", Age(18.0, "years"), None, ())
    assert [(s.heading, s.text, s.field) for s in t.sections_named("arms")] == [
        ("Arm: 1", "Women with lupus", "/clinical_study/arm_group[1]/description"),
        (
            "Arm: 2",
            "Health women who are matched to women with lupus by age and race",
            "/clinical_study/arm_group[2]/description",
        ),
        ("Arm: 3", "Women with other autoimmune diseases", "/clinical_study/arm_group[3]/description"),
    ]


def test_old_free_text_study_design(shared_data: Path) -> None:
    path = shared_data / "ctgov-xml-aact/NCT02028676_modified.xml"
    (t,) = ctgov_xml.parse(path.read_text("utf-8"), str(path))
    assert (t.nct_id, t.enrollment, t.last_update, t.warnings) == ("NCT02028676", 1206, "June 4, 2014", ())
    assert (t.allocation, t.masking, t.intervention_model) == ("Randomized", "None (Open Label)", "Factorial")
    (design,) = [s for s in t.sections if s.heading == "Study Design"]
    assert design.text.startswith("Allocation: Randomized, Endpoint Classification:")


def test_file_named_after_an_alias(shared_data: Path) -> None:
    path = shared_data / "ctgov-xml-aact/NCT00980226-id-mismatch.xml"
    (t,) = ctgov_xml.parse(path.read_text("utf-8"), str(path))
    assert t.nct_id == "NCT00081588"
    assert t.warnings == (
        "file name NCT00980226 does not match record NCT00081588 (NCT00980226 is listed as an alias of it)",
    )


def test_real_record_keeps_its_mesh_terms(shared_data: Path) -> None:
    path = shared_data / "ctgov-xml-aact/NCT00734539.xml"
    text = path.read_text("utf-8")
    (t,) = ctgov_xml.parse(text, str(path))
    browse = "/clinical_study/{}_browse/mesh_term"
    assert [(s.name, s.heading, s.text, s.field, s.start, s.end) for s in t.mesh] == [
        ("condition_mesh", "Condition MeSH term", "Candidiasis", browse.format("condition"), 0, 11),
        ("intervention_mesh", "Intervention MeSH term", "Fluconazole", browse.format("intervention"), 0, 11),
    ]
    assert misplaced(text, str(path), t.mesh) == []
