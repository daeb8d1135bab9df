"""Headings as page formats and notes show them, mapped to canonical section names."""

from __future__ import annotations

import re

# lower-cased heading (without trailing colon) -> canonical section name
HEADING_NAMES: dict[str, str] = {
    "title": "title",
    "brief title": "title",
    "official title": "official_title",
    "status": "status",
    "status and phase": "status",
    "overall status": "status",
    "recruitment status": "status",
    "phase": "phase",
    "phases": "phase",
    "conditions": "conditions",
    "condition": "conditions",
    "keywords": "keywords",
    "treatments": "interventions",
    "treatment": "interventions",
    "interventions": "interventions",
    "intervention": "interventions",
    "arms and interventions": "arms",
    "arm && interventions": "arms",
    "arm & interventions": "arms",
    "arms": "arms",
    "arm groups": "arms",
    "study type": "design",
    "study design": "design",
    "trial design": "design",
    "design": "design",
    "study & design": "design",
    "primary purpose": "design",
    "allocation": "design",
    "interventional model": "design",
    "intervention model": "design",
    "observational model": "design",
    "time perspective": "design",
    "masking": "design",
    "funder types": "sponsor",
    "sponsor": "sponsor",
    "sponsors": "sponsor",
    "lead sponsor": "sponsor",
    "collaborators": "collaborators",
    "identifiers": "identifiers",
    "registration number": "identifiers",
    "nct id": "identifiers",
    "about": "summary",
    "summary": "summary",
    "brief summary": "summary",
    "overview": "summary",
    "full description": "description",
    "detailed description": "description",
    "description": "description",
    "background": "description",
    "enrollment": "enrollment",
    "target recruitment": "enrollment",
    "sex": "eligibility_summary",
    "gender": "eligibility_summary",
    "ages": "eligibility_summary",
    "age": "eligibility_summary",
    "volunteers": "eligibility_summary",
    "healthy volunteers": "eligibility_summary",
    "accepts healthy volunteers": "eligibility_summary",
    "eligibility": "eligibility",
    "details and patient eligibility": "eligibility",
    "participation requirements": "eligibility",
    "eligibility criteria": "eligibility",
    "recruitment & eligibility": "eligibility",
    "inclusion criteria": "eligibility_inclusion",
    "key inclusion criteria": "eligibility_inclusion",
    "exclusion criteria": "eligibility_exclusion",
    "key exclusion criteria": "eligibility_exclusion",
    "primary outcome": "outcomes_primary",
    "primary outcomes": "outcomes_primary",
    "primary outcome measures": "outcomes_primary",
    "primary outcome measure": "outcomes_primary",
    "secondary outcome": "outcomes_secondary",
    "secondary outcomes": "outcomes_secondary",
    "secondary outcome measures": "outcomes_secondary",
    "secondary outcome measure": "outcomes_secondary",
    "other outcome measures": "outcomes_other",
    "outcomes": "outcomes_primary",
    "outcome measures": "outcomes_primary",
    "trial contacts and locations": "locations",
    "trial locations": "locations",
    "locations": "locations",
    "location": "locations",
    "study locations": "locations",
    "central trial contact": "contacts",
    "contacts": "contacts",
    "contact": "contacts",
    "investigators": "contacts",
    "study dates": "dates",
    "dates": "dates",
    "references": "references",
    "publications": "references",
    "notes": "notes",
}

_ARMS_COUNT = re.compile(r"^\d+\s+participants?\s+in\s+\d+\s+(?:patient\s+)?groups?$", re.I)


def heading_name(line: str) -> str | None:
    """Canonical name for a heading line, or None when the line is not a known heading."""
    key = re.sub(r"\s+", " ", line.strip().rstrip(":").strip()).lower()
    if not key:
        return None
    if key in HEADING_NAMES:
        return HEADING_NAMES[key]
    if _ARMS_COUNT.match(key):
        return "arms"
    return None


def guess_name(heading: str) -> str:
    """Canonical name for a free heading in a user's notes (falls back to 'notes')."""
    exact = heading_name(heading)
    if exact:
        return exact
    low = heading.lower()
    for word, name in (
        ("exclusion", "eligibility_exclusion"),
        ("inclusion", "eligibility_inclusion"),
        ("eligib", "eligibility"),
        ("secondary outcome", "outcomes_secondary"),
        ("outcome", "outcomes_primary"),
        ("endpoint", "outcomes_primary"),
        ("arm", "arms"),
        ("intervention", "interventions"),
        ("treatment", "interventions"),
        ("dose", "interventions"),
        ("design", "design"),
        ("location", "locations"),
        ("site", "locations"),
        ("contact", "contacts"),
        ("sponsor", "sponsor"),
        ("condition", "conditions"),
        ("summary", "summary"),
        ("description", "description"),
        ("status", "status"),
        ("enrol", "enrollment"),
    ):
        if word in low:
            return name
    return "notes"
