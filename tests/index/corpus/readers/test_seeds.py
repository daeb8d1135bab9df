"""The five seed pages (Veeva and MedPath text) parse into exact, citable trials."""

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
