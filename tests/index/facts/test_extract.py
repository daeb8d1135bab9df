"""Extraction on a hand-made trial: each fact, and the exact text that cites it."""

import json
from pathlib import Path

from index.corpus.readers import read, read_text
from index.facts.dose_count import Count
from index.facts.extract import TrialFacts, extract, section_lines
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


def test_a_placebo_arm_as_records_misspell_it() -> None:
    arms = Section(
        "interventions",
        "Treatments",
        "Drug: Conventional plus MSC treatment\nDrug: Conventional plus pacebo treatment",
        0,
        78,
    )
    f = extract(Trial("NCT00000001", "T", "t.txt", "text", sections=(arms,)))
    assert f.placebo is not None and f.placebo.snippet == "Drug: Conventional plus pacebo treatment"


def test_a_record_that_states_no_country_is_placed_by_its_sponsor_or_site_names() -> None:
    def placed(*sections: Section) -> dict[str, tuple[str, str]]:
        t = Trial("NCT00000001", "T", "t.txt", "text", sections=sections)
        return {k: (c.section, c.snippet) for k, c in extract(t).countries.items()}

    sponsor = Section("sponsor", "Sponsor", "Beijing 302 Hospital", 0, 20)
    assert placed(sponsor) == {"china": ("Sponsor", "Beijing 302 Hospital")}
    army = Section("sponsor", "Sponsor", "Air Force Military Medical University of People's Liberation Army", 0, 65)
    assert placed(army) == {"china": ("Sponsor", army.text)}
    sites = Section("locations", "Locations", "Royan Institute\nSome Clinic, Tehran", 30, 65)
    assert placed(sponsor, sites) == {
        "china": ("Sponsor", "Beijing 302 Hospital"),
        "iran": ("Locations", "Royan Institute"),
    }
    stated = Section("locations", "Locations", "Beijing Clinic, Boston, United States", 30, 67)
    assert placed(sponsor, stated) == {"united states": ("Locations", stated.text)}  # a stated country only
    assert placed(Section("sponsor", "Sponsor", "Asia Stem Cell Co., Ltd.", 0, 24)) == {}
    summary = Section("summary", "Summary", "Hepatitis B is common in China and Beijing.", 0, 43)
    assert placed(summary) == {}  # prose is not where a trial is run


def test_no_ages_no_age_citation() -> None:
    t = _trial()
    f = extract(Trial(**{**t.__dict__, "min_age": None, "max_age": None}))
    assert "age" not in f.citations


def test_section_lines_are_trimmed_and_without_bullets() -> None:
    sec = Section("arms", "Arms", "  - first line \n\n * second\nthird  ", 0, 33)
    assert [sec.text[s:e] for s, e in section_lines(sec)] == ["first line", "second", "third"]


SEEDS = Path(__file__).resolve().parents[3] / "corpus"


def _seed_facts() -> dict[str, TrialFacts]:
    return {t.nct_id: extract(t) for p in sorted(SEEDS.glob("*.txt")) for t in read(p)}


def test_the_seeds_follow_up_cites_the_sentence_or_time_frame_that_states_it() -> None:
    got = {
        nct: (f.follow_up[0], f.follow_up[1].section, f.follow_up[1].snippet) if f.follow_up else None
        for nct, f in _seed_facts().items()
    }
    assert got == {
        "NCT01724697": None,  # "difficulty of follow-up observation" (a criterion) states no length
        "NCT03209986": None,
        "NCT00713934": (
            168.0,
            "Full description",
            "After cell therapy, patients are followed up every week for 4 weeks, and laboratory data are analyzed "
            "for 24 weeks.",
        ),
        "NCT05106972": (
            504.0,
            "Primary Outcome Measures: Time (Ishak Inflammation Rating System)",
            "Changes from baseline to 72 weeks",
        ),
        "NCT01218464": (
            730.5,
            "Full description",
            "During the 2-year follow up, the evaluation of safty and efficacy will be undergone to help to "
            "establish innovative cell-based therapies for the treatment of diseases.",
        ),
    }


def test_the_seeds_dose_counts_only_where_stated_plainly() -> None:
    got = {nct: [(n, c.name, c.snippet) for n, c in f.dose_counts] for nct, f in _seed_facts().items()}
    assert got == {
        "NCT01724697": [],
        "NCT03209986": [
            (
                Count(3, 3),
                "arms",
                "mesenchymal stem cell transplantation via peripheral vein: 1x10E6 MSCs/kg body weight administered "
                "via peripheral vein at week 0, 4, 8.",
            )
        ],
        "NCT00713934": [],
        "NCT05106972": [
            (Count(2, 2), "arms", "UC-MSC infusion by intravenus, 1\\*10\\^8 cells/dose, 2 doses (apart from 24weeks)")
        ],
        "NCT01218464": [],  # "a dose of MSC from day 0 through the week 12 study visit": unclear
    }


V2 = {
    "protocolSection": {
        "identificationModule": {"nctId": "NCT01234567", "briefTitle": "UC-MSC for liver failure"},
        "statusModule": {"overallStatus": "RECRUITING"},
        "descriptionModule": {
            "briefSummary": "Previous studies followed patients for 5 years. A single infusion was safe in mice."
        },
        "armsInterventionsModule": {
            "armGroups": [
                {"label": "MSC", "description": "MSCs are infused once weekly for 4 weeks."},
                {"label": "Control", "description": "Standard care."},
            ]
        },
        "outcomesModule": {
            "primaryOutcomes": [{"measure": "MELD score", "timeFrame": "Baseline, 6 months, 12 months"}],
            "secondaryOutcomes": [{"measure": "Survival", "timeFrame": "up to 24 weeks"}],
        },
    }
}


def test_a_ctgov_record_reads_its_time_frames_and_arms() -> None:
    (trial,) = read_text(json.dumps(V2), "NCT01234567.json")
    f = extract(trial)
    assert f.follow_up is not None
    days, where = f.follow_up
    assert (days, where.snippet, where.field) == (
        365.25,
        "Baseline, 6 months, 12 months",
        "/protocolSection/outcomesModule/primaryOutcomes/0/timeFrame",
    )
    assert [(n, c.snippet, c.field) for n, c in f.dose_counts] == [
        (
            Count(4, 4),
            "MSCs are infused once weekly for 4 weeks.",
            "/protocolSection/armsInterventionsModule/armGroups/0/description",
        )
    ]  # the arms state it: the summary's "single infusion" (in mice) is not read


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
