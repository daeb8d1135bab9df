"""Whether a described patient could join a trial: the ask, the findings a description names
and does not deny, and the exclusions that rule a seed trial out."""

from __future__ import annotations

import pytest

from index.corpus.readers import read
from index.model import Trial
from index.qa.eligibility import asks_eligibility, asks_turned_away, findings, ruled_out
from index.qa.lab_values import Value, below_threshold, measured
from index.text.vocabulary import vocabulary
from tests.conftest import CORPUS


def _seed(name: str) -> Trial:
    (t,) = read(CORPUS / name)
    return t


ROYAN = "002_6f1ee988a8bff1ef.txt"  # excludes HIV, HBV or HCV infection and active hepatic encephalopathy
XIJING = "001_f861453f9ef4fb04.txt"  # HBV-related cirrhosis; excludes coinfection with HIV
HAIKOU = "003_f4fa15020fc67282.txt"  # "No hepatic encephalopathy" under inclusion


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("58yo F, HBV cirrhosis, CP score 8 - which trials would take her?", True),
        ("My patient is 58, HBV cirrhosis. Could she join any of these?", True),
        ("52yo M, decompensated. Any trial he'd be eligible for?", True),
        ("Man of 50 who is also HIV positive - which studies would still let him in?", True),
        ("pt has alcohol-related cirrhosis. which trials would rule him out straight away?", False),  # exclusions
        ("which trials exclude HIV?", False),
        ("58F, chronic hep B with cirrhosis, CP 10. Which trials' criteria does she meet?", True),
    ],
)
def test_asks_eligibility(question: str, asks: bool) -> None:
    assert asks_eligibility(question) is asks
    assert asks_turned_away(question) is (not asks and "rule him out" in question)


@pytest.mark.parametrize(
    ("question", "asks", "turned_away"),
    [
        ("66 y/o, hepatitis B, liver failure - which study fits?", True, False),
        ("hep C man, 55, now liver failure, no hep B - any trial?", True, False),
        ("A 66-year-old member with hep B is in liver failure - is there a trial for him?", True, False),
        ("40, hep B cirrhosis, Child-Pugh 9 - eligible for which trials?", True, False),
        ("HBV cirrhosis with HIV co-infection - which study's criteria don't exclude him?", True, False),
        ("My patient has decompensated cirrhosis and a small HCC. Which trials would turn him away?", False, True),
        ("which trials are aimed at hep B cirrhosis?", False, False),
    ],
)
def test_other_ways_to_ask_which_trials_a_patient_fits(question: str, asks: bool, turned_away: bool) -> None:
    assert (asks_eligibility(question), asks_turned_away(question)) == (asks, turned_away)


def test_a_value_below_an_exclusion_threshold_does_not_rule_out() -> None:
    royan = _seed(ROYAN)  # "INR>2"
    low, high = "cirrhosis, INR 1.3", "cirrhosis, INR of 2.6"
    assert not ruled_out(royan, findings(low), values=measured(low))
    assert [c.snippet for c in ruled_out(royan, findings(high), values=measured(high))] == ["INR>2"]
    assert ruled_out(royan, findings(low))  # without its value, naming the test is the finding
    inr = findings("INR")[0]
    assert measured("ALP 2.5x normal, INR=1.3") == {findings("ALP")[0]: Value(2.5, True), inr: Value(1.3, False)}
    assert not below_threshold("INR>2", inr, Value(1.5, True))  # a multiple of normal is another scale
    assert below_threshold("PT prolongation is greater than 3 seconds", findings("PT")[0], Value(2.0, False))


def test_findings_are_what_a_description_names_and_does_not_deny() -> None:
    v = vocabulary()
    named = [v.head[g] for g in findings("lady, HBV cirrhosis, hx variceal bleed, no HCC, HIV neg, not for OLT")]
    assert named == ["hepatitis B virus", "cirrhosis", "variceal bleeding"]
    # who looks after the patient is no finding ("Other candidates ... judged ... by doctors")
    assert [v.head[g] for g in findings("the doctors call it encephalopathy")] == ["encephalopathy"]


def test_an_exclusion_rules_a_trial_out_unless_its_inclusion_names_the_finding() -> None:
    hbv = findings("HBV cirrhosis")
    assert ruled_out(_seed(ROYAN), hbv)  # "HIV, HBV or HCV infection"
    assert not ruled_out(_seed(XIJING), hbv)  # its inclusion asks for HBV cirrhosis
    # a narrower finding than its inclusion names is still what it includes, not its "other viral hepatitis"
    assert not ruled_out(_seed(XIJING), findings("chronic hepatitis B"))
    assert ruled_out(_seed(ROYAN), findings("chronic hepatitis B"))
    hiv = findings("HIV positive")
    assert ruled_out(_seed(XIJING), hiv)  # "Coinfection with HIV or other viral hepatitis."
    he = findings("recurrent hepatic encephalopathy")
    assert ruled_out(_seed(HAIKOU), he)  # "No hepatic encephalopathy" under inclusion excludes it
    assert not ruled_out(_seed(HAIKOU), findings("no hepatic encephalopathy"))  # denied: no finding


def test_a_negative_test_excludes_what_it_tests_for() -> None:
    assert ruled_out(_seed(ROYAN), findings("pregnant"))  # "Negative pregnancy test" under inclusion


def test_what_the_patient_lacks_rules_out_a_trial_whose_inclusion_names_it() -> None:
    lacking = findings("alcohol-related cirrhosis, hep B and C negative", denied=True)
    assert [vocabulary().head[g] for g in lacking] == ["hepatitis B virus"]
    assert ruled_out(_seed(XIJING), [], lacking)  # "HBV -related liver cirrhosis"
    assert not ruled_out(_seed(ROYAN), [], lacking)


def test_which_trials_turn_a_described_patient_away(seed_index) -> None:
    a = seed_index.ask("pt has alcohol-related cirrhosis, hep B and C negative. which trials would rule him out?")
    # the three of HBV cirrhosis; Royan's criteria neither ask for HBV nor name alcohol, Beijing 302's neither
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT03209986", "NCT05106972"]
