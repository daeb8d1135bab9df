"""The sections of a ClinicalTrials.gov record, in one order for every format.

Each step reads one part of the record (titles, conditions, interventions, arms, criteria,
design facts, outcomes, ...) and yields its sections; `record_sections` runs the steps in
order. Every section keeps the address of the string it was cut from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from index.corpus.readers.ctgov.record import Found, RecordView
from index.corpus.readers.normalize import norm_enum
from index.corpus.readers.sections import eligibility_sections, section
from index.model import Section

Step = Callable[[RecordView], Iterator["Section | None"]]
Row = tuple[str, str, str]  # section name, heading, layout key of one string

HEAD: list[Row] = [
    ("title", "Brief Title", "brief_title"),
    ("official_title", "Official Title", "official_title"),
    ("summary", "Brief Summary", "summary"),
    ("description", "Detailed Description", "description"),
]
FACTS: list[Row] = [
    ("eligibility", "Study Population", "study_population"),
    ("eligibility", "Sex", "sex"),
    ("eligibility", "Minimum Age", "min_age"),
    ("eligibility", "Maximum Age", "max_age"),
    ("design", "Study Type", "study_type"),
    ("design", "Study Design", "study_design"),
    ("design", "Allocation", "allocation"),
    ("design", "Intervention Model", "model"),
    ("design", "Intervention Model Description", "model_description"),
    ("design", "Primary Purpose", "purpose"),
    ("design", "Masking", "masking"),
    ("design", "Masking Description", "masking_description"),
    ("design", "Observational Model", "observational_model"),
    ("design", "Time Perspective", "time_perspective"),
]
STATUS: list[Row] = [
    ("enrollment", "Enrollment", "enrollment"),
    ("status", "Overall Status", "status"),
    ("status", "Last Known Status", "last_known_status"),
    ("status", "Why Stopped", "why_stopped"),
    ("sponsor", "Lead Sponsor", "sponsor"),
]
TAIL: list[Row] = [
    ("dates", "Start Date", "start_date"),
    ("dates", "Primary Completion Date", "primary_completion_date"),
    ("dates", "Completion Date", "completion_date"),
    ("dates", "First Posted", "first_posted"),
    ("dates", "Last Update Posted", "last_update"),
    ("identifiers", "NCT ID", "nct_id"),
    ("identifiers", "Acronym", "acronym"),
    ("identifiers", "Org Study ID", "org_study_id"),
]
# section name, heading, layout key of the items, layout key of the string in each item
Group = tuple[str, str, str, str]
COLLABORATORS: list[Group] = [("collaborators", "Collaborator", "collaborators", "collaborator_name")]
CONTACTS: list[Group] = [
    ("contacts", "Overall Official", "officials", "official_name"),
    ("contacts", "Overall Official Affiliation", "officials", "official_affiliation"),
    ("contacts", "Central Contact", "central_contacts", "central_contact_name"),
]
LOCATION_PARTS = ("facility", "city", "state", "country")
OUTCOME_KINDS = ("Primary", "Secondary", "Other")


def cut(name: str, heading: str, found: Found | None) -> Section | None:
    """The section over a found string (trimmed), or None when absent or blank."""
    return section(name, heading, found[0], field=found[1]) if found else None


def rows(table: list[Row]) -> Step:
    """A step: one section per row, from the string at the row's key."""

    def step(r: RecordView) -> Iterator[Section | None]:
        for name, heading, k in table:
            yield cut(name, heading, r.text(k))

    return step


def each(name: str, heading: str, k: str) -> Step:
    """A step: one section per string of the list at ``k``."""

    def step(r: RecordView) -> Iterator[Section | None]:
        for found in r.texts(k):
            yield cut(name, heading, found)

    return step


def groups(table: list[Group]) -> Step:
    """A step: for each row, one section per item of its group, from the item's string."""

    def step(r: RecordView) -> Iterator[Section | None]:
        for name, heading, group, k in table:
            for item in r.items(group):
                yield cut(name, heading, r.text(k, item))

    return step


def intervention_label(r: RecordView, item: Any) -> tuple[str | None, str | None, str]:
    """(normalised type, name, 'Type: name') of one intervention item."""
    kind, name = norm_enum(r.value("iv_type", item)), r.value("iv_name", item)
    return kind, name, ": ".join(x for x in (kind, name) if x)


def interventions(r: RecordView) -> Iterator[Section | None]:
    for item in r.items("interventions"):
        kind, _, label = intervention_label(r, item)
        yield cut("interventions", f"Intervention: {kind}" if kind else "Intervention", r.text("iv_name", item))
        heading = f"Intervention: {label}" if label else "Intervention"
        yield cut("interventions", heading, r.text("iv_description", item))
        for found in r.texts("iv_other_names", item):
            yield cut("interventions", f"Other Name: {label}" if label else "Other Name", found)


def arms(r: RecordView) -> Iterator[Section | None]:
    for item in r.items("arms"):
        label = r.value("arm_label", item)
        if r.value("arm_description", item):
            yield cut("arms", f"Arm: {label}" if label else "Arm", r.text("arm_description", item))
        else:
            yield cut("arms", "Arm", r.text("arm_label", item))


def criteria(r: RecordView) -> Iterator[Section | None]:
    if (found := r.text("criteria")) is not None:
        yield from eligibility_sections(found[0], found[1])


def outcomes(r: RecordView) -> Iterator[Section | None]:
    for kind in OUTCOME_KINDS:
        name, low = f"outcomes_{kind.lower()}", kind.lower()
        for item in r.items(f"{low}_outcomes"):
            measure = r.value(f"{low}_measure", item)
            what = f": {measure}" if measure else ""
            yield cut(name, f"{kind} Outcome", r.text(f"{low}_measure", item))
            yield cut(name, f"{kind} Outcome{what}", r.text(f"{low}_description", item))
            yield cut(name, f"{kind} Outcome Time Frame{what}", r.text(f"{low}_time_frame", item))


def locations(r: RecordView) -> Iterator[Section | None]:
    for item in r.items("locations"):
        for part in LOCATION_PARTS:
            yield cut("locations", "Location", r.text(part, item))


def references(r: RecordView) -> Iterator[Section | None]:
    for item in r.items("references"):
        yield cut("references", "Reference", r.text("citation", item))


STEPS: tuple[Step, ...] = (
    rows(HEAD),
    each("conditions", "Condition", "conditions"),
    each("keywords", "Keyword", "keywords"),
    interventions,
    arms,
    criteria,
    rows(FACTS),
    outcomes,
    rows(STATUS),
    each("phase", "Phase", "phases"),
    groups(COLLABORATORS),
    locations,
    groups(CONTACTS),
    rows(TAIL),
    references,
)


def record_sections(r: RecordView) -> list[Section]:
    """Every section of the record, in the order the steps give them."""
    return [sec for step in STEPS for sec in step(r) if sec is not None]
