"""ClinicalTrials.Veeva pages: chrome dropped, blocks under standalone headings, facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.corpus.readers import read, veeva
from index.errors import CorpusError
from tests.conftest import CORPUS


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


def test_a_veeva_page_variant_without_status_phase_heading(tmp_path: Path) -> None:
    src = (CORPUS / "000_178c2bec843b439b.txt").read_text(encoding="utf-8")
    variant = src.replace("Status and phase\n\nUnknown\nPhase 2\nPhase 1", "Status\n\nRecruiting")
    variant = variant.replace("18 to 65 years old", "18+ years old")
    p = tmp_path / "variant.txt"
    p.write_text(variant, encoding="utf-8")
    (t,) = read(p)
    assert (t.status, t.phases, t.min_age_years, t.max_age_years) == ("Recruiting", (), 18.0, None)


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


PAGE = """ClinicalTrials.Veeva

Menu

A small trial of cells

S

Sponsor Hospital

Status and phase

Recruiting
Phase 2

Conditions

Cirrhosis

Identifiers

NCT01234567

Trial design

Allocation

Randomized

Data sourced from clinicaltrials.gov
Conditions

ignored after the footer
"""


def test_a_small_page() -> None:
    (t,) = veeva.parse(PAGE, "p.txt")
    assert (t.nct_id, t.title, t.sponsor, t.status, t.phases, t.allocation) == (
        "NCT01234567",
        "A small trial of cells",
        "Sponsor Hospital",
        "Recruiting",
        ("Phase 2",),
        "Randomized",
    )
    assert [(s.name, s.heading, s.text) for s in t.sections] == [
        ("title", "Title", "A small trial of cells"),
        ("sponsor", "Sponsor", "Sponsor Hospital"),
        ("status", "Status and phase", "Recruiting\nPhase 2"),
        ("conditions", "Conditions", "Cirrhosis"),
        ("identifiers", "Identifiers", "NCT01234567"),
        ("design", "Allocation", "Randomized"),
    ]
    assert t.conditions == ("Cirrhosis",) and t.warnings == ()
    assert all(PAGE[s.start : s.end] == s.text for s in t.sections)


def test_sniff_and_refusals() -> None:
    assert veeva.sniff(PAGE) and not veeva.sniff("MedPath\nTitle")
    with pytest.raises(CorpusError, match=r"^p\.txt: Veeva page without any section headings$"):
        veeva.parse("ClinicalTrials.Veeva\n\nJust a title\n", "p.txt")
    with pytest.raises(CorpusError, match=r"^p\.txt: Veeva page without an NCT ID$"):
        veeva.parse(PAGE.replace("NCT01234567", "none"), "p.txt")
