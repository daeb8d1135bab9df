"""The five seed pages (Veeva and MedPath text) parse into exact, citable trials."""

from pathlib import Path

import pytest

from index.corpus.readers import read
from tests.conftest import CORPUS

EXPECTED = {
    "000_178c2bec843b439b.txt": dict(
        nct_id="NCT01724697",
        format="veeva",
        title="Safety and Efficacy of Human Bone Marrow Stem Cells for Treatment of HBV-related Liver Cirrhosis",
        sponsor="Air Force Military Medical University of People's Liberation Army",
        status="Unknown",
        phases=("Phase 1", "Phase 2"),
        enrollment=240,
        min_age_years=18.0,
        max_age_years=65.0,
        masking="None (Open Label)",
        allocation="Randomized",
        intervention_model="Parallel",
        sex="All",
    ),
    "001_f861453f9ef4fb04.txt": dict(
        nct_id="NCT03209986",
        format="veeva",
        title="Trial of Mesenchymal Stem Cell Transplantation in Decompensated Liver Cirrhosis",
        sponsor="Xijing Hospital of Digestive Diseases",
        status="Unknown",
        phases=(),
        enrollment=200,
        min_age_years=18.0,
        max_age_years=65.0,
        masking="Single",
        allocation="Randomized",
        intervention_model="Parallel",
        sex="All",
    ),
    "002_6f1ee988a8bff1ef.txt": dict(
        nct_id="NCT00713934",
        format="veeva",
        title="Autologous Bone Marrow Stem Cells in Cirrhosis Patients",
        sponsor="Royan Institute",
        status="Completed",
        phases=("Phase 1", "Phase 2"),
        enrollment=7,
        min_age_years=18.0,
        max_age_years=75.0,
        masking="Single",
        allocation="Randomized",
        intervention_model="Parallel",
        sex="All",
    ),
    "003_f4fa15020fc67282.txt": dict(
        nct_id="NCT05106972",
        format="medpath",
        title="Umbilical Cord Mesenchymal Stem Cell Transplantation for Decompensated Hepatitis B Cirrhosis",
        sponsor="Asia Stem Cell Regenerative Pharmaceutical Co., Ltd.",
        status="Recruiting",
        phases=("Not Applicable",),
        enrollment=30,
        min_age_years=20.0,
        max_age_years=60.0,
        masking=None,
        allocation=None,
        intervention_model="Single group",
        sex="All",
    ),
    "004_37135f87ffe77103.txt": dict(
        nct_id="NCT01218464",
        format="veeva",
        title="Safety and Efficacy of Human Mesenchymal Stem Cells for Treatment of Liver Failure",
        sponsor="Beijing 302 Hospital",
        status="Unknown",
        phases=("Phase 1", "Phase 2"),
        enrollment=70,
        min_age_years=18.0,
        max_age_years=70.0,
        masking="Double",
        allocation="Randomized",
        intervention_model="Parallel",
        sex="All",
    ),
}

# The route of administration each seed's arms/interventions sections state.
ROUTES = {
    "NCT01724697": "via hepatic artery",
    "NCT03209986": "via peripheral vein",
    "NCT05106972": "by intravenus",
    "NCT01218464": None,  # its arms say only "a dose of MSC"; the route is in the description
    "NCT00713934": None,  # arms list the products; the portal vein route is in the description
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_fields(name: str) -> None:
    (trial,) = read(CORPUS / name)
    for field, value in EXPECTED[name].items():
        assert getattr(trial, field) == value, field
    assert trial.url == f"https://clinicaltrials.gov/study/{trial.nct_id}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_section_is_an_exact_slice_of_the_file(name: str) -> None:
    path = CORPUS / name
    text = path.read_bytes().decode("utf-8")
    (trial,) = read(path)
    assert len(trial.sections) >= 15
    for s in trial.sections:
        assert s.field is None
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_site_chrome_is_not_content(name: str) -> None:
    (trial,) = read(CORPUS / name)
    body = "\n".join(s.text for s in trial.sections)
    for chrome in (
        "Loading...",
        "Data sourced from clinicaltrials.gov",
        "Copyright",
        "Menu",
        "ClinicalTrials.Veeva",
        "Find clinical trials",
    ):
        assert chrome not in body


def test_routes_of_administration_are_in_arms_or_interventions() -> None:
    for path in sorted(CORPUS.iterdir()):
        (trial,) = read(path)
        route = ROUTES[trial.nct_id]
        arms = " ".join(s.text for s in trial.sections if s.name in {"arms", "interventions"})
        if route:
            assert route in arms, trial.nct_id
    (t,) = read(CORPUS / "002_6f1ee988a8bff1ef.txt")
    assert "Cells are injected via portal vein" in " ".join(s.text for s in t.sections_named("description"))


def test_veeva_sections_have_canonical_names() -> None:
    (t,) = read(CORPUS / "001_f861453f9ef4fb04.txt")
    names = [s.name for s in t.sections]
    assert names[:3] == ["title", "sponsor", "status"]
    excl = t.sections_named("eligibility_exclusion")[0]
    assert excl.heading == "Exclusion criteria"
    assert excl.text.splitlines()[7].strip() == "8. History of severe allergy to biological products"
    arms = t.sections_named("arms")[0]
    assert arms.heading == "200 participants in 2 patient groups"
    assert "No Intervention group" in arms.text
    assert [s.heading for s in t.sections_named("design")] == [
        "Study type",
        "Allocation",
        "Interventional model",
        "Masking",
    ]


def test_medpath_run_together_tables_are_split_into_cells() -> None:
    (t,) = read(CORPUS / "003_f4fa15020fc67282.txt")
    arms = [(s.heading, s.text) for s in t.sections if s.heading.startswith("Arm && Interventions")]
    assert arms == [
        ("Arm && Interventions: Group", "UC-MSC infusion"),
        ("Arm && Interventions: Intervention", "UC-MSC infusion"),
        (
            "Arm && Interventions: Description (UC-MSC infusion)",
            r"UC-MSC infusion by intravenus, 1\*10\^8 cells/dose, 2 doses (apart from 24weeks)",
        ),
    ]
    primary = [s.text for s in t.sections if s.heading == "Primary Outcome Measures"]
    assert primary == [
        "Ishak Inflammation Rating System",
        "Number of Participants with abnormal Total bilirubin",
        "Number of Participants with abnormal albumin",
        "Ishak Fibrosis Score",
    ]
    secondary = [s.text for s in t.sections if s.heading == "Secondary Outcome Measures"]
    assert "Overall survival (OS)" in secondary and "HBV-DNA" in secondary
    times = {s.text for s in t.sections if s.heading.startswith("Secondary Outcome Measures: Time")}
    assert times == {"Changes from baseline to 72 weeks"}
    assert t.locations == ("Haikou People's Hospital", "Haikou, China")
    assert t.interventions == ("UC-MSC infusion",)


def test_a_veeva_page_variant_without_status_phase_heading(tmp_path: Path) -> None:
    src = (CORPUS / "000_178c2bec843b439b.txt").read_text(encoding="utf-8")
    variant = src.replace("Status and phase\n\nUnknown\nPhase 2\nPhase 1", "Status\n\nRecruiting")
    variant = variant.replace("18 to 65 years old", "18+ years old")
    p = tmp_path / "variant.txt"
    p.write_text(variant, encoding="utf-8")
    (t,) = read(p)
    assert (t.status, t.phases, t.min_age_years, t.max_age_years) == ("Recruiting", (), 18.0, None)


def test_a_medpath_page_variant_with_design_fields() -> None:
    from index.corpus.readers.medpath import parse

    src = (CORPUS / "003_f4fa15020fc67282.txt").read_text(encoding="utf-8")
    variant = src.replace(
        "Study Design\nSINGLE_GROUP\n", "Study Design\nPARALLEL\nAllocation\nRANDOMIZED\nMasking\nDOUBLE\n"
    ).replace("Not Applicable\nRecruiting", "Phase 2\nCompleted")
    (t,) = parse(variant, "variant.txt")
    assert (t.phases, t.allocation, t.masking, t.intervention_model) == (
        ("Phase 2",),
        "Randomized",
        "Double",
        "Parallel",
    )
    for s in t.sections:
        assert variant[s.start : s.end] == s.text


def test_a_veeva_page_variant_with_outcomes_and_sites(tmp_path: Path) -> None:
    src = (CORPUS / "004_37135f87ffe77103.txt").read_text(encoding="utf-8")
    variant = src.replace(
        "Trial contacts and locations\n\n1\n\nLoading...\n",
        "Primary outcome\n\n1.\nSurvival rate\nTime frame: 2 years\n\n"
        "Secondary outcome\n\n1.\nMELD score\nTime frame: 24 weeks\n\n"
        "Trial contacts and locations\n\n1\n\nBeijing 302 Hospital\nBeijing, China\n",
    )
    p = tmp_path / "v.txt"
    p.write_text(variant, encoding="utf-8")
    (t,) = read(p)
    prim = t.sections_named("outcomes_primary")
    assert [s.text for s in prim] == ["1.\nSurvival rate\nTime frame: 2 years"]
    assert [s.text for s in t.sections_named("outcomes_secondary")] == ["1.\nMELD score\nTime frame: 24 weeks"]
    assert [s.text for s in t.sections_named("locations")] == ["Beijing 302 Hospital\nBeijing, China"]
    assert t.locations == ("Beijing 302 Hospital", "Beijing, China")
