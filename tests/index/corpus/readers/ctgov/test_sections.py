"""The sections of a ClinicalTrials.gov record: one order and one set of headings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from index.corpus.readers.ctgov.record import RecordView
from index.corpus.readers.ctgov.sections import intervention_label, record_sections

DOC: dict[str, Any] = {
    "nct_id": "NCT01234567",
    "brief_title": " Stem cells ",
    "conditions": ["Cirrhosis", "  "],
    "interventions": [
        {"iv_type": "BIOLOGICAL", "iv_name": "BMSC", "iv_description": "via hepatic artery", "iv_other_names": ["MSC"]},
        {"iv_description": "no name"},
    ],
    "arms": [{"arm_label": "A", "arm_description": "cells"}, {"arm_label": "Control"}],
    "criteria": "Inclusion Criteria:\n* adults\nExclusion Criteria:\n* children",
    "sex": "ALL",
    "primary_outcomes": [{"primary_measure": "MELD", "primary_time_frame": "24 weeks"}],
    "status": "RECRUITING",
    "phases": ["PHASE2"],
    "collaborators": [{"collaborator_name": "Univ"}],
    "locations": [{"facility": "Hospital", "country": "China"}],
    "officials": [{"official_name": "Dr X"}],
    "references": [{"citation": "Paper."}],
}


def test_record_sections_in_order(flat: Callable[[dict[str, Any]], RecordView]) -> None:
    got = [(s.name, s.heading, s.text, s.field) for s in record_sections(flat(DOC))]
    assert got == [
        ("title", "Brief Title", "Stem cells", "/brief_title"),
        ("conditions", "Condition", "Cirrhosis", "/conditions/0"),
        ("interventions", "Intervention: Biological", "BMSC", "/iv_name"),
        ("interventions", "Intervention: Biological: BMSC", "via hepatic artery", "/iv_description"),
        ("interventions", "Other Name: Biological: BMSC", "MSC", "/iv_other_names/0"),
        ("interventions", "Intervention", "no name", "/iv_description"),
        ("arms", "Arm: A", "cells", "/arm_description"),
        ("arms", "Arm", "Control", "/arm_label"),
        ("eligibility_inclusion", "Inclusion Criteria", "* adults", "/criteria"),
        ("eligibility_exclusion", "Exclusion Criteria", "* children", "/criteria"),
        ("eligibility", "Sex", "ALL", "/sex"),
        ("outcomes_primary", "Primary Outcome", "MELD", "/primary_measure"),
        ("outcomes_primary", "Primary Outcome Time Frame: MELD", "24 weeks", "/primary_time_frame"),
        ("status", "Overall Status", "RECRUITING", "/status"),
        ("phase", "Phase", "PHASE2", "/phases/0"),
        ("collaborators", "Collaborator", "Univ", "/collaborator_name"),
        ("locations", "Location", "Hospital", "/facility"),
        ("locations", "Location", "China", "/country"),
        ("contacts", "Overall Official", "Dr X", "/official_name"),
        ("identifiers", "NCT ID", "NCT01234567", "/nct_id"),
        ("references", "Reference", "Paper.", "/citation"),
    ]
    assert [(s.start, s.end) for s in record_sections(flat(DOC))][:1] == [(1, 11)]  # offsets in the trimmed value


def test_intervention_label(flat: Callable[[dict[str, Any]], RecordView]) -> None:
    r = flat(DOC)
    items = r.items("interventions")
    assert [intervention_label(r, item) for item in items] == [
        ("Biological", "BMSC", "Biological: BMSC"),
        (None, None, ""),
    ]


def test_an_empty_record_has_no_sections(flat: Callable[[dict[str, Any]], RecordView]) -> None:
    assert record_sections(flat({})) == []
