"""The decision by meaning: question terms, sentence tokens, roles, the score, end to end on the seeds."""

from __future__ import annotations

import numpy as np
import pytest

from index.qa.support import (
    DECISION,
    Decision,
    Features,
    SentenceScorer,
    admissible,
    context_tokens,
    embedding_text,
    excluded_kinds,
    meaning_tokens,
    question_terms_text,
)
from index.text.roles import ANY, BACKGROUND, CRITERIA, DESIGN, EXCLUDE, INCLUDE, OTHER, Role
from index.text.tokenize import tokenize


def test_question_terms_text() -> None:
    assert question_terms_text("Which trials receive cells under the skin?") == "Which trials   cells subcutaneous?"
    assert question_terms_text("Which trials won't take people whose kidneys are failing?") == (
        "Which trials   people whose kidney failure?"
    )
    assert question_terms_text("Which trials give two doses 24 weeks apart?") == "Which trials   x2 d168 apart?"
    # a lookup keeps the words that say which criteria it asks about
    assert question_terms_text("What are the exclusion criteria of the Royan trial?", listing=False) == (
        "What are the exclusion criteria of the Royan trial?"
    )
    assert embedding_text("Which trials receive cells via the hepatic artery?") == "cells the hepatic artery"


def test_meaning_tokens_of_record_sentences() -> None:
    toks = meaning_tokens("UC-MSC infusion by intravenus, 1\\*10\\^8 cells/dose, 2 doses (apart from 24weeks)")
    assert {"q1e8", "d168", "intraven", "iv", "umbil", "cord", "mesenchym"} <= toks
    assert meaning_tokens("50 LF patients received i.v. transfusion of 0.5-1.0×106 cells/kg") >= {
        "q5e5",
        "q1e6",
        "intraven",
        "kilogram",
    }
    assert meaning_tokens("The researcher considers it inappropriate to participate in this study") == set()
    assert meaning_tokens("Written consent") == {"consent", "form", "inform", "sign", "written"}  # informed consent


def test_roles_decide_what_may_support_a_listing() -> None:
    no_x = Role(EXCLUDE, EXCLUDE)  # "No hepatic encephalopathy" under inclusion criteria
    inclusion = set(tokenize("Inclusion Criteria inclusion criteria include required eligible"))
    turned = context_tokens(no_x, inclusion)
    assert "exclud" in turned and "includ" not in turned and "requir" not in turned
    assert context_tokens(Role(INCLUDE, INCLUDE), inclusion) == inclusion
    assert admissible(no_x, EXCLUDE, listing=True) and not admissible(no_x, None, listing=True)
    assert not admissible(no_x, INCLUDE, listing=True)
    assert not admissible(Role(INCLUDE, INCLUDE), EXCLUDE, listing=True)
    assert not admissible(Role(BACKGROUND), None, listing=True) and admissible(Role(BACKGROUND), None, listing=False)
    assert admissible(Role(DESIGN), None, listing=True)
    # only what a trial excludes says what it excludes: not its design, conditions or title
    assert not admissible(Role(DESIGN), EXCLUDE, listing=True)
    # a criterion of either side says what a question about a cut-off asks; not an outcome
    assert admissible(no_x, CRITERIA, listing=True) and admissible(Role(EXCLUDE, EXCLUDE), CRITERIA, listing=True)
    assert admissible(Role(INCLUDE, INCLUDE), CRITERIA, listing=True)
    assert not admissible(Role(OTHER), CRITERIA, listing=True, section="outcomes_primary")
    # what a trial gives is said neither by what it measures nor by whom it takes
    assert not admissible(Role(OTHER), None, listing=True, section="outcomes_secondary", giving=True)
    assert not admissible(Role(INCLUDE, INCLUDE), None, listing=True, section="eligibility_inclusion", giving=True)
    assert admissible(Role(OTHER), None, listing=True, section="arms", giving=True)
    assert admissible(Role(EXCLUDE, EXCLUDE), EXCLUDE, True, "eligibility_exclusion", giving=True)  # "albumin infusion"
    assert admissible(Role(DESIGN, EXCLUDE), EXCLUDE, listing=True)  # "Patients with HCC will be excluded."
    assert not admissible(Role(OTHER), EXCLUDE, True, "conditions")


def test_the_decision_score() -> None:
    d = Decision(relative=0.5, semantic=0.25, threshold=0.4, min_best=0.3)
    f = Features(support=0.6, best=0.6, cosine=0.5, top_support=1.2, top_cosine=0.7)
    assert d.score(f) == pytest.approx(0.6 - 0.5 * 0.4 - 0.25 * 0.2)
    assert not d.lists(f)  # 0.35 < 0.4
    assert d.lists(Features(0.9, 0.6, 0.7, 1.0, 0.7))  # 0.9 - 0.05 + 0 = 0.85
    assert not d.lists(Features(0.9, 0.2, 0.7, 1.0, 0.7))  # its best sentence covers too little
    assert Decision(relative=0.0, semantic=0.0, threshold=0.6, min_best=0.0) == DECISION


def test_sentence_vectors_are_encoded_once(seed_index) -> None:
    enc = seed_index.encoder
    scorer = SentenceScorer(lambda texts: enc.encode(list(texts)))
    q = enc.encode(["cells given into a vein"])[0]
    sents = ["Cells are injected via portal vein under sonography monitoring.", "Written consent"]
    cos = scorer.cosines(q, sents)
    assert cos.shape == (2,) and cos[0] > cos[1]
    assert scorer.encoded == 2
    again = scorer.cosines(q, [*sents, sents[0]])
    assert scorer.encoded == 2 and np.allclose(again[:2], cos)


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("Which trials receive cells via the hepatic artery?", ["NCT01724697"]),
        ("Which trials undergo Ficoll density gradient separation?", ["NCT00713934"]),
        ("Which trials exclude HIV?", ["NCT03209986", "NCT00713934"]),
        ("Which trials enrol patients with hepatocellular carcinoma?", []),  # only ever an exclusion
        ("Which trials give two doses 24 weeks apart?", ["NCT05106972"]),
    ],
)
def test_rephrased_questions_on_the_seeds(seed_index, question: str, listed: list[str]) -> None:
    a = seed_index.ask(question)
    assert sorted(t.nct_id for t in a.trials) == sorted(listed)
    assert a.no_answer == (not listed)


def test_what_a_trial_measures_is_not_whom_it_treats() -> None:
    assert not admissible(Role(DESIGN), INCLUDE, True, "outcomes_secondary")
    assert admissible(Role(DESIGN), None, True, "outcomes_secondary")
    assert question_terms_text("Which trials treat HBV-related cirrhosis?") == "Which trials   HBV cirrhosis?"
    assert {"dose", "q1e6"} <= meaning_tokens("1x10E6 MSCs/kg body weight administered via peripheral vein")
    assert "dose" not in meaning_tokens("Changes from baseline to 72 weeks")


def test_a_named_record_that_does_not_state_it_says_so(seed_index) -> None:
    a = seed_index.ask("What outcomes does the Royan trial measure?")
    assert a.no_answer and a.trials == () and a.message == "The record of NCT00713934 does not state this."
    a = seed_index.ask("How many patients did the Royan Institute trial enroll?")
    assert [t.nct_id for t in a.trials] == ["NCT00713934"] and a.trials[0].citations[0].snippet == "7 patients"


def test_criteria_are_not_outcomes_and_outcomes_are_not_criteria() -> None:
    crit = Role(INCLUDE, INCLUDE)
    assert not admissible(crit, None, True, "eligibility_inclusion", outcome=True)
    assert admissible(crit, None, True, "eligibility_inclusion", outcome=False)
    assert admissible(Role(OTHER), None, True, "outcomes_primary", outcome=True)
    # what a trial measures is not whom it excludes
    assert not admissible(Role(OTHER), EXCLUDE, True, "outcomes_secondary")
    negative = Role(EXCLUDE, EXCLUDE, negative_test=True)  # "Negative pregnancy test" under inclusion
    assert admissible(negative, EXCLUDE, True, "eligibility_inclusion")
    assert admissible(negative, None, True, "eligibility_inclusion", negative=True)
    assert not admissible(negative, None, True, "eligibility_inclusion")
    assert not admissible(Role(EXCLUDE, EXCLUDE), None, True, "eligibility_inclusion", negative=True)
    # a question whether trials heed X at all: an exclusion and an outcome say so too
    assert admissible(Role(EXCLUDE, EXCLUDE), ANY, True, "eligibility_exclusion")
    assert admissible(Role(OTHER), ANY, True, "outcomes_primary")


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        # every seed rules out pregnancy: four in exclusion criteria, the Royan trial by a negative test
        (
            "Which studies excluded a pregnant woman?",
            ["NCT00713934", "NCT01218464", "NCT01724697", "NCT03209986", "NCT05106972"],
        ),
        # "neg" is a negative test: the inclusion lines that ask for one support it as written
        ("Which trials ask for a neg pregnancy test?", ["NCT00713934", "NCT01218464"]),
        # the Haikou trial names quality of life only in a criterion; the Xijing trial measures it
        ("Which trials record life quality as an end point?", ["NCT03209986"]),
        # the Haikou trial measures liver cancer incidence, which is not excluding it
        (
            "Which studies rule out liver malignancy?",
            ["NCT00713934", "NCT01218464", "NCT01724697", "NCT03209986", "NCT05106972"],
        ),
    ],
)
def test_criteria_logic_on_the_seeds(seed_index, question: str, listed: list[str]) -> None:
    a = seed_index.ask(question)
    assert sorted(t.nct_id for t in a.trials) == listed


def test_question_frames_that_name_no_content() -> None:
    assert question_terms_text("Which ones give marrow cells as the treatment?") == "Which trials   marrow cells  ?"
    assert question_terms_text("which studies set an age limit") == "which studies   an age limit"
    assert question_terms_text("double-blind RCT - which one?") == "double-blind RCT - which trials?"
    # "ones" after other words stands for a noun already named
    assert question_terms_text("stem cells, the CD133 ones?") == "stem cells, the CD133  ?"
    # how much of a virus is (left) in the blood: its viral load (the vocabulary's HBV DNA)
    assert question_terms_text("which study checks how much hepatitis B virus is left in the blood afterwards?") == (
        "which study   HBV DNA  ?"
    )
    assert question_terms_text("which one of the arms gets placebo?") == "which one of the arms   placebo?"
    assert question_terms_text("intravenous administration: which trials?") == "intravenous  : which trials?"
    # a record's sign says the comparison a question writes in words
    assert {"greater", "higher"} <= meaning_tokens("Serum creatinine >1.5 mg/dl")
    assert {"less", "lower"} <= meaning_tokens("Platelets < 50,000/mm3")
    assert "greater" not in meaning_tokens("Child-Pugh score 9-15")


def test_an_exclusion_of_a_kind_excludes_its_kinds(seed_index) -> None:
    # severe problems in other organs exclude their failure, and an organ failure of one outside the liver
    kinds = excluded_kinds("Severe problems in other vital organs(e.g.the heart,renal or lungs)")
    assert kinds == {"failur", "extrahepat", "organ", "insuffici"}  # "other organ insufficiency" too
    assert excluded_kinds("Hepatocellular carcinoma or other malignancies") == {"carcinoma"}
    assert excluded_kinds("Written consent") == frozenset()
    # the Royan trial excludes "renal failure"; three more exclude severe renal problems
    a = seed_index.ask("Which studies keep out people with kidney failure?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT01218464", "NCT01724697", "NCT03209986"]
    # the Beijing 302 trial studies liver failure: that is not excluding it
    a = seed_index.ask("Which trials exclude patients in liver failure?")
    assert "NCT01218464" not in {t.nct_id for t in a.trials if t.citations[0].section == "Conditions"}


def test_sponsor_abbreviations_and_place_frames() -> None:
    assert question_terms_text("Army-funded trials") == "Army trials"
    # a state or selection a compound's suffix adds: the record names the thing
    assert question_terms_text("HCV-positive patients excluded") == "HCV patients  "
    assert question_terms_text("which trials use CD133-enriched cells") == "which trials   CD133 cells"
    # written apart after an abbreviation, unless the pair is a term of its own
    assert question_terms_text("HCV positive pts are excluded") == "HCV pts are  "
    assert question_terms_text("trials of CD133 positive cells") == "trials of CD133 positive cells"
    assert question_terms_text("a positive test") == "a positive test"
    # a causal link between two terms is no term: records write "HBV-related cirrhosis"
    assert question_terms_text("cirrhosis secondary to hepatitis B?") == "cirrhosis   hepatitis B virus?"
    assert question_terms_text("trials of cirrhosis caused by alcohol") == "trials of cirrhosis   alcohol"
    assert question_terms_text("fibrosis due to NASH or associated with HIV") == "fibrosis   NASH or   HIV"
    assert question_terms_text("trials conducted in Haikou") == "trials   in Haikou"
    assert {"peopl", "liber", "armi"} <= meaning_tokens("Sponsored by the PLA General Hospital")


def test_question_terms_read_slashes_as_or_and_contractions_whole() -> None:
    from index.qa.support import uncontrasted

    assert uncontrasted("a bleed from the stomach/gullet") == "a bleed from the stomach or gullet"
    assert uncontrasted("1 million cells/kg") == "1 million cells/kg"  # a unit, not two things
    assert uncontrasted("AIH / PBC excluded") == "AIH or PBC excluded"  # spaced too
    assert uncontrasted("1 million cells / kg") == "1 million cells / kg"
    assert uncontrasted("people who can't get a transplant") == "people who cannot get a transplant"
    assert uncontrasted("trials that won't take me") == "trials that will not take me"
    # typed without the apostrophe
    assert uncontrasted("trials that dont take pts who arent sober") == "trials that do not take pts who are not sober"
    assert uncontrasted("Cant join, wont join") == "cannot join, will not join"
    assert uncontrasted("one party, i.e. single-blind") == "one party,   single-blind"  # no "e" to search for
    assert uncontrasted("a route (e.g. IV)") == "a route (  IV)"
    assert uncontrasted("trials that co-administer G-CSF") == "trials that coadminister G-CSF"  # no "co" of "Co., Ltd."
    # a search box's operator, in capitals after words: what follows is set against the need
    assert uncontrasted("BM cells NOT cord blood") == "BM cells "
    assert uncontrasted("MSC AND NOT umbilical, cirrhosis") == "MSC , cirrhosis"
    assert uncontrasted("NOT recruiting") == "NOT recruiting"  # nothing before it
    assert uncontrasted("trials not using cord blood") == "trials not using cord blood"  # a word, not an operator


def test_a_preposition_does_not_outweigh_the_route_it_names(seed_index) -> None:
    # "via" frames the route: without it, the hepatic artery trial does not support the splenic artery
    assert seed_index.ask("cells via splenic artery?").no_answer
    assert seed_index.ask("Which trials deliver cells via intrasplenic injection?").no_answer
    listed = seed_index.ask("which trials give cells via the hepatic artery?").trials
    assert [t.nct_id for t in listed] == ["NCT01724697"]


def test_a_sentence_naming_a_route_states_the_route() -> None:
    assert "rout" in meaning_tokens("mesenchymal stem cell transplantation via peripheral vein")
    assert "rout" not in meaning_tokens("Severe bacteria infection")
