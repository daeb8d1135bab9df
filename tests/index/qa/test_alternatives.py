"""Questions that name alternatives are read once per alternative."""

import pytest

from index import TrialIndex
from index.qa.alternatives import alternatives, asides


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "which studies rule out alcohol-related cirrhosis or alcohol misuse?",
            ["which studies rule out alcohol-related cirrhosis?", "which studies rule out alcohol misuse?"],
        ),
        (
            "which trials exclude HIV or hepatitis C?",
            ["which trials exclude HIV?", "which trials exclude hepatitis C?"],
        ),
        (
            "trials for acute liver failure or liver failure",
            ["trials for acute liver failure", "trials for liver failure"],
        ),
        (
            "trials with HCC or other cancers excluded?",
            ["trials with HCC excluded?", "trials with other cancers excluded?"],
        ),
        (  # the particle stays with its verb
            "which studies turn away heavy drinkers or people with alcoholic hepatitis?",
            ["which studies turn away heavy drinkers?", "which studies turn away people with alcoholic hepatitis?"],
        ),
        (  # a phrase after the second conjunct is both conjuncts'
            "INR or PT cutoffs in the exclusion criteria?",
            ["INR in the exclusion criteria?", "PT cutoffs in the exclusion criteria?"],
        ),
        (  # a slash between two words: one or the other in the same phrase
            "mesenchymal stromal/stem cell studies?",
            ["mesenchymal stromal cell studies?", "mesenchymal stem cell studies?"],
        ),
        ("which trials exclude HIV?", []),
        ("either cirrhosis or failure", []),
    ],
)
def test_alternatives(question: str, expected: list[str]) -> None:
    assert alternatives(question) == expected


def test_a_trial_that_supports_one_alternative_is_listed(seed_index: TrialIndex) -> None:
    # Xijing excludes "Drug abuse or alcohol abuse"; Haikou excludes cirrhosis caused by alcoholic hepatitis
    a = seed_index.ask("which studies turn away people with alcohol misuse or alcoholic hepatitis?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT03209986", "NCT05106972"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "which trials won't take HE (incl. no HE as an entry criterion)?",
            ["which trials will not take HE?", "which trials will not take no HE as an entry criterion?"],
        ),
        (
            "which trials have a cut-off on blood clotting tests, like INR or prothrombin time?",
            ["which trials have a cut-off on INR?", "which trials have a cut-off on prothrombin time?"],
        ),
        (
            "which trials exclude viral hepatitis (e.g. HBV, HCV)?",
            ["which trials exclude viral hepatitis?", "which trials exclude HBV?", "which trials exclude HCV?"],
        ),
        ("Which trials are unmasked (masking: none)?", ["Which trials are unmasked?"]),
        ("autologous marrow cells intra-arterially (IA)?", []),  # one word in brackets names a term
        ("which trials use the hepatic artery?", []),
        # an abbreviation spelled out in brackets: the question once with its long form in its place
        ("DC (decompensated cirrhosis) trials?", ["DC trials?", "decompensated cirrhosis trials?"]),
        ("LF trials (liver failure, not just cirrhosis)?", ["LF trials?"]),  # not spelled out after "trials"
        # whose word the question passes on
        ("which studies are unblinded per the design table", ["which studies are unblinded"]),
        (
            "patient has decompensated cirrhosis according to her hepatologist, which studies say so?",
            ["patient has decompensated cirrhosis, which studies say so?"],
        ),
        # what the question tells before it asks, when the ask does not point back to it
        (
            "husband still drinks a bit... which studies say no to alcohol problems?",
            ["which studies say no to alcohol problems?"],
        ),
        ("scared of a fake treatment - which trial has a placebo group?", ["which trial has a placebo group?"]),
        ("he had a GI bleed 2 weeks ago. which trial would exclude that?", []),
        ("cells per kg of body weight: which trials?", []),
        # what it says again after "i.e.": the question without it
        (
            "Any trial where the cells go in intra-arterially to the liver, i.e. an IR/angio type approach?",
            ["Any trial where the cells go in intra-arterially to the liver?"],
        ),
    ],
)
def test_asides(question: str, expected: list[str]) -> None:
    assert asides(question) == expected


def test_a_trial_that_supports_one_example_is_listed(seed_index: TrialIndex) -> None:
    # Royan excludes "INR>2", Haikou "PT prolongation is greater than 3 seconds"
    a = seed_index.ask("which trials have a cut-off on blood clotting tests, like INR or prothrombin time?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT05106972"]
    # "no HE" as an entry criterion of Haikou, "active hepatic encephalopathy" excluded by Royan
    a = seed_index.ask("Which trials won't take pts with hepatic encephalopathy (incl. 'no HE' as an entry criterion)?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT05106972"]


def test_the_ask_alone_after_what_a_question_tells(seed_index: TrialIndex) -> None:
    # Beijing 2013 excludes "alcohol abuse", Haikou cirrhosis "caused by ... alcoholic hepatitis"
    a = seed_index.ask("my wife still has a glass of wine now and then... which trials turn away alcohol problems?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT03209986", "NCT05106972"]
    # the ask alone names a fact (a placebo arm): Beijing 302's placebo group
    a = seed_index.ask("she is afraid of a dummy pill - which trial has a placebo arm?")
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
    # an ask that asks nothing of its own keeps what was told: no trial uses fat-derived cells
    assert seed_index.ask("fat-derived stem cells for cirrhosis - which trials?").no_answer


def test_whose_word_a_question_passes_on_is_no_need(seed_index: TrialIndex) -> None:
    # the masking fact alone: Air Force's "None (Open label)"
    a = seed_index.ask("which trials are open label according to the design section?")
    assert [t.nct_id for t in a.trials] == ["NCT01724697"]


def test_an_abbreviation_spelled_out_in_brackets_is_read_as_its_long_form(seed_index: TrialIndex) -> None:
    a = seed_index.ask("DC (decompensated cirrhosis) studies?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT03209986", "NCT05106972"]
