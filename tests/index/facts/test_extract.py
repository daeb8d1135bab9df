"""Extraction on a hand-made trial: each fact, and the exact text that cites it."""

from index.facts.extract import extract, section_lines
from index.model import Age, Section, Trial

ARMS = (
    "Experimental: MSC\n"
    "- 1x10^6 cells/kg umbilical cord MSCs infused via the hepatic artery. Repeated at week 4.\n"
    "Placebo Comparator: saline\n"
    "- Placebo given intravenously."
)
LOCATIONS = "Xijing Hospital, Xi'an, Shaanxi, China\nRoyan Institute, Tehran, Iran"


def _trial() -> Trial:
    sections = []
    start = 0
    for name, heading, text in (
        ("title", "Title", "Umbilical cord MSCs via the hepatic artery for cirrhosis"),
        ("arms", "Arms", ARMS),
        ("status", "Overall Status", "Recruiting"),
        ("phase", "Phase", "Phase 2"),
        ("eligibility_summary", "Ages Eligible for Study", "18 Years to 65 Years"),
        ("eligibility_summary", "Sexes Eligible for Study", "All"),
        ("enrollment", "Enrollment", "40 participants"),
        ("design", "Allocation", "Randomized"),
        ("design", "Masking", "Double (Participant, Investigator)"),
        ("conditions", "Conditions", "Liver Cirrhosis\nHepatitis B"),
        ("locations", "Locations", LOCATIONS),
    ):
        sections.append(Section(name, heading, text, start, start + len(text)))
        start += len(text) + 1
    return Trial(
        nct_id="NCT00000009",
        title="Umbilical cord MSCs via the hepatic artery for cirrhosis",
        source="hand.txt",
        format="text",
        sections=tuple(sections),
        status="Recruiting",
        phases=("Phase 2",),
        min_age=Age(18, "years"),
        max_age=Age(65, "years"),
        conditions=("Liver Cirrhosis", "Hepatitis B"),
        locations=tuple(LOCATIONS.splitlines()),
    )


def test_facts_from_fields_cite_their_section_line() -> None:
    f = extract(_trial())
    assert {k: [c.snippet for c in v] for k, v in f.citations.items()} == {
        "status": ["Recruiting"],
        "phase": ["Phase 2"],
        "age": ["18 Years to 65 Years"],
        "sex": ["All"],
        "enrollment": ["40 participants"],
        "allocation": ["Randomized"],
        "masking": ["Double (Participant, Investigator)"],
        "conditions": ["Liver Cirrhosis", "Hepatitis B"],
    }
    age = f.cite("age")[0]
    assert (age.section, age.name, age.start, age.end) == ("Ages Eligible for Study", "eligibility_summary", 242, 262)
    sec = _trial().sections[4]
    assert (sec.start, sec.end) == (age.start, age.end)


def test_facts_from_text_cite_their_sentence() -> None:
    f = extract(_trial())
    hepatic = "1x10^6 cells/kg umbilical cord MSCs infused via the hepatic artery."
    assert {k: c.snippet for k, c in f.routes.items()} == {
        "hepatic artery": "Umbilical cord MSCs via the hepatic artery for cirrhosis",
        "peripheral vein / intravenous": "Placebo given intravenously.",
    }
    assert {k: c.snippet for k, c in f.sources.items()} == {
        "umbilical cord": "Umbilical cord MSCs via the hepatic artery for cirrhosis"
    }
    assert [(d, c.snippet) for d, c in f.doses] == [("1x10^6 cells/kg", hepatic)]  # never from a title
    assert f.placebo is not None and f.placebo.snippet == "Placebo Comparator: saline"
    assert f.has_arms


def test_places_are_cities_and_countries_cited_by_their_line() -> None:
    f = extract(_trial())
    assert list(f.countries) == ["china", "iran"]
    assert list(f.cities) == [
        "xijing hospital",
        "xi'an",
        "shaanxi",
        "china",
        "royan institute",
        "tehran",
        "iran",
    ]
    assert f.countries["iran"].snippet == "Royan Institute, Tehran, Iran"


def test_no_ages_no_age_citation() -> None:
    t = _trial()
    f = extract(Trial(**{**t.__dict__, "min_age": None, "max_age": None}))
    assert "age" not in f.citations


def test_section_lines_are_trimmed_and_without_bullets() -> None:
    sec = Section("arms", "Arms", "  - first line \n\n * second\nthird  ", 0, 33)
    assert [sec.text[s:e] for s, e in section_lines(sec)] == ["first line", "second", "third"]


def test_a_design_line_stating_the_model_under_another_heading_cites_it() -> None:
    """A MedPath page writes "Study Design" over "SINGLE_GROUP": the model's citation."""
    design = Section("design", "Study Design", "SINGLE_GROUP", 0, 12)
    trial = Trial(
        nct_id="NCT00000010",
        title="t",
        source="p.txt",
        format="medpath",
        sections=(design,),
        intervention_model="Single group",
    )
    assert [c.snippet for c in extract(trial).cite("intervention_model")] == ["SINGLE_GROUP"]
    other = Trial(nct_id="NCT00000011", title="t", source="p.txt", format="medpath", sections=(design,))
    assert extract(other).cite("intervention_model") == []  # the reader did not read a model: nothing to cite
