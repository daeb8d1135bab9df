"""Section roles on the seeds' real lines: criteria polarity, background vs design."""

from __future__ import annotations

import pytest

from index.corpus.loader import load_corpus
from index.text.roles import (
    ANY,
    BACKGROUND,
    CRITERIA,
    DESIGN,
    EXCLUDE,
    INCLUDE,
    OTHER,
    STATED,
    Role,
    asks_giving,
    asks_negative_test,
    asks_outcome,
    defined_subject,
    polarity_at,
    question_polarity,
    role,
    strip_absence,
    strip_polarity,
)
from index.text.sentences import spans
from tests.conftest import CORPUS


def _lines(nct: str, section: str) -> list[str]:
    t = next(t for t in load_corpus([CORPUS]).trials if t.nct_id == nct)
    sec = next(s for s in t.sections if s.name == section)
    return [sec.text[s:e] for s, e in spans(sec.text)]


def test_no_x_under_inclusion_criteria_excludes_x() -> None:
    lines = _lines("NCT05106972", "eligibility_inclusion")
    roles = {line.lstrip("• "): role(line, "eligibility_inclusion").kind for line in lines}
    assert roles == {
        "Aged between 20 and 60 (male or female)": INCLUDE,
        "Diagnosed chronic decompensated hepatitis B cirrhosis with a course of more than 5 years": INCLUDE,
        "Not suitable for liver transplantation or there is no donor liver source": INCLUDE,
        "No serious bleeding tendency or active bleeding": EXCLUDE,
        "No hepatic encephalopathy": EXCLUDE,
        "After strict medical conservative treatment for more than 6 months, there was no relief of symptoms or "
        "significant improvement of quality of life score": INCLUDE,
        "Subjects voluntarily participate in this study and sign informed consent": INCLUDE,
    }


def test_exclusion_criteria_exclude() -> None:
    for line in _lines("NCT00713934", "eligibility_exclusion"):
        assert role(line, "eligibility_exclusion") == role("x", "eligibility_exclusion")
    assert role("• Refractory ascites", "eligibility_exclusion").polarity == EXCLUDE


@pytest.mark.parametrize(
    ("nct", "start", "kind"),
    [
        ("NCT01218464", "Previous study showed that bone marrow derived", BACKGROUND),
        ("NCT01218464", "In this study, the patients with LF will undergo", DESIGN),
        ("NCT01218464", "However, lack of donors", BACKGROUND),
        ("NCT03209986", "Mesenchymal stem cells (MSC) has been shown", BACKGROUND),
        ("NCT03209986", "This study is an open-label multicenter", DESIGN),
        ("NCT03209986", "Three times of MSC infusion", DESIGN),
        ("NCT00713934", "Moreover, BMC transplantation has been performed", BACKGROUND),
        ("NCT00713934", "In this study we will evaluate", DESIGN),
        ("NCT01724697", "Liver transplantation is the only available", BACKGROUND),
        ("NCT00713934", "Liver cirrhosis (LC) is the end stage", BACKGROUND),  # what the disease is
        ("NCT03209986", "The primary outcome is absolute change", DESIGN),  # the trial's own subject
        ("NCT03209986", "Secondary outcomes are cirrhosis-related", DESIGN),
    ],
)
def test_background_is_not_what_the_trial_does(nct: str, start: str, kind: str) -> None:
    line = next(x for x in _lines(nct, "summary") if x.startswith(start))
    assert role(line, "summary").kind == kind


def test_a_sentence_defining_something_in_general_is_background() -> None:
    assert role("Stem cells are a promising source of hepatocytes.", "description").kind == BACKGROUND
    assert role("Our trial is a randomized comparison of two doses.", "description").kind == DESIGN
    assert role("The control group is the standard care arm.", "description").kind == DESIGN
    assert role("There is a need for new treatments.", "summary").kind == DESIGN  # no subject of its own


def test_other_sections_and_combined_criteria() -> None:
    assert role("Parallel Assignment", "design").kind == OTHER
    text = "Inclusion Criteria:\n- Age 18-65\n- No ascites\nExclusion Criteria:\n- HIV infection\n"
    assert polarity_at(text, text.index("Age")) == INCLUDE
    assert polarity_at(text, text.index("HIV")) == EXCLUDE
    assert polarity_at(text, 0) is None
    assert role("- No ascites", "eligibility", polarity_at(text, text.index("No a"))).kind == EXCLUDE
    assert role("- HIV infection", "eligibility", EXCLUDE).kind == EXCLUDE


@pytest.mark.parametrize(
    ("question", "polarity"),
    [
        ("Which trials exclude pregnant women?", EXCLUDE),
        ("Which trials won't take people whose kidneys are failing?", EXCLUDE),
        ("Which trials won't enrol expectant mothers?", EXCLUDE),
        ("Which trials enrol patients with hepatocellular carcinoma?", INCLUDE),
        ("Which trials treat liver cancer?", INCLUDE),
        ("Which trials are for people with hepatitis B virus infection?", INCLUDE),
        ("Which trials use the hepatic artery?", None),
        ("Which trials have a cut-off on INR?", CRITERIA),
        ("Which trials select patients with the Child-Pugh score?", INCLUDE),
        ("excl. HCV?", EXCLUDE),  # the clinician's shorthand
        ("refractory ascites excl - which", EXCLUDE),
        ("which trials would say no to me if I drink?", EXCLUDE),
        ("Which trials select CD133 positive cells?", None),  # a criterion of either side
        ("bilirubin threshold - which studies?", CRITERIA),
        ("Which trials have an exclusion criterion on INR?", EXCLUDE),
        ("Which trials list Child-Pugh B among their inclusion criteria?", INCLUDE),
        ("INR cutoffs in excl crit?", EXCLUDE),  # coordinators' abbreviations
        ("HE in incl. criteria?", INCLUDE),
        ("incl. HE as an entry criterion", CRITERIA),  # "incl." alone is "including"; a criterion of either side
        ("Which study requires the absence of serious bleeding?", EXCLUDE),  # requiring its absence excludes it
        ("liver cancer rules you out - which studies", EXCLUDE),  # a phrasal verb with its object between
        ("if someone has liver cancer, which studies are off the table?", EXCLUDE),
        ("which trials rule out HE?", EXCLUDE),
        ("which trials set the table for HE?", None),
        ("UDCA response as an entry criterion?", CRITERIA),
        ("how long must patients have been on ursodiol before entry?", INCLUDE),
        ("What is the albumin washout rule in the Haikou trial?", CRITERIA),
        ("which rule rules you out?", EXCLUDE),
        # whether trials heed X at all: any side of the criteria, or what a trial studies
        ("family history of cancer - which trial cares about that?", ANY),
        ("which trials mention quality of life?", ANY),
        ("Which trial mentions that about 93 million people in China have hepatitis B?", STATED),  # background too
        ("which record says that the cells were safe?", STATED),
        ("which trials exclude anyone who says that they drink?", EXCLUDE),  # a side said wins
        ("which studies take a patient's alcohol use into account?", ANY),
        ("which trials exclude anyone who mentions drinking?", EXCLUDE),  # a side said wins
        ("Which studies include overall survival as an endpoint?", None),  # "include" of an outcome
        ("Which studies include patients with ascites as an outcome cohort?", INCLUDE),  # patients: inclusion
        ("which protocols keep pregnant women out of the study?", EXCLUDE),  # what is kept out between
        ("which trials need you to NOT have hepatic encephalopathy", EXCLUDE),
        ("hx of bad allergy to biologics - which protocol screens for that?", CRITERIA),  # either side
        ("which trial is only for people with no donor liver available", INCLUDE),  # a state it enrols
        ("which trials only take patients who have no encephalopathy", EXCLUDE),
    ],
)
def test_question_polarity(question: str, polarity: str | None) -> None:
    assert question_polarity(question) == polarity
    assert strip_polarity("INR cutoffs in excl crit?") == "INR cutoffs in  ?"
    assert strip_polarity("requires the absence of bleeding") == "  bleeding"
    assert strip_polarity("UDCA failure as an entry criterion?") == "UDCA failure as an  ?"
    assert strip_polarity("which keep pregnant women out?") == "which   pregnant women ?"
    assert strip_polarity("hepatitis - which trial cares about that?") == "hepatitis - which trial   that?"


def test_no_healthy_volunteers_excludes_them() -> None:
    assert role("No Healthy Volunteers", "eligibility_summary").kind == EXCLUDE
    assert role("18 to 65 years old", "eligibility_summary").kind == OTHER


@pytest.mark.parametrize(
    "question",
    [
        "Which trials require a liver biopsy to enter?",
        "Which trials set a Child-Pugh requirement for entry?",
        "Which trials use the Child-Pugh score to select patients?",
        "Which trials enrol patients not eligible for liver transplantation?",
    ],
)
def test_entry_questions_ask_about_inclusion(question: str) -> None:
    assert question_polarity(question) == INCLUDE


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("3. Negative pregnancy test (female patients in fertile age)", EXCLUDE),  # a seed's real line
        ("A negative urine hCG test", EXCLUDE),
        ("Negative for HIV antibodies", EXCLUDE),
        ("- HBsAg negative", EXCLUDE),
        ("Serum HCV RNA test negative.", EXCLUDE),
        ("HER2-negative metastatic breast cancer", INCLUDE),  # a kind of disease, not a test
        ("Patients with triple-negative breast cancer", INCLUDE),
        ("Child-Pugh score 9-15", INCLUDE),
    ],
)
def test_a_negative_test_under_inclusion_excludes_what_it_tests_for(line: str, kind: str) -> None:
    r = role(line, "eligibility_inclusion")
    assert r.kind == kind and r.negative_test == (kind == EXCLUDE)
    assert not role(line, "eligibility_exclusion").negative_test  # only inclusion turns


@pytest.mark.parametrize(
    ("question", "polarity"),
    [
        ("Which studies excluded a pregnant woman?", EXCLUDE),
        ("Which trials didn't accept women who were breastfeeding?", EXCLUDE),
        ("Which studies would not admit HIV-positive people?", EXCLUDE),
        ("Which trials treated people with ACLF?", INCLUDE),
    ],
)
def test_past_tense_questions_keep_their_polarity(question: str, polarity: str) -> None:
    assert question_polarity(question) == polarity


def test_questions_about_what_trials_measure_or_a_negative_test() -> None:
    assert asks_outcome("Which studies have mortality as an end point?")
    # what a trial gives and how, not what it measures
    assert asks_giving("in which trials are the cells delivered into the portal vein?")
    assert asks_giving("intravenous route - which studies") and asks_giving("cells via the hepatic artery?")
    assert asks_giving("which trials put the cells into a vein?")
    assert asks_giving("which studies use the portal vein?") and not asks_giving("which studies use MSCs?")
    assert not asks_giving("which trials measure portal vein flow after the infusion?")  # an outcome
    assert not asks_giving("which trials exclude portal vein thrombosis?")
    assert asks_giving("Which trials give the treatment by inhalation?")
    assert asks_giving("Which trials use a nebuliser to deliver exosomes?")
    assert not asks_giving("which trials exclude patients on inhaled steroids?")
    assert asks_giving("which study uses the portal vein as the way the cells get in?")
    assert asks_giving("which trials do LT as the intervention") and asks_giving("MSCs as a therapy - which trials")
    assert asks_outcome("Which trials measured MELD?") and asks_outcome("what are the primary outcomes")
    assert not asks_outcome("Which trials exclude pregnant women?")
    assert asks_negative_test("which studies ask for a negative HIV test?")
    assert not asks_negative_test("which studies exclude HIV?")


def test_questions_about_what_trials_compare() -> None:
    assert asks_outcome("Which trials compare stem cells with usual care?")
    assert asks_outcome("MSC versus placebo: which studies?") and asks_outcome("BM-MNC vs CD133 trials")
    assert not asks_outcome("Which trials compare?")  # nothing compared with anything


def test_prose_that_says_whom_the_trial_excludes_excludes() -> None:
    assert role("Patients with hepatocellular carcinoma will be excluded.", "summary") == Role(DESIGN, EXCLUDE)
    assert role("Pregnant women were excluded from the study", "description").polarity == EXCLUDE
    assert role("In this study we will evaluate safety.", "summary") == Role(DESIGN)


@pytest.mark.parametrize(
    "question",
    [
        "which studies turn away people with HIV?",
        "which trial would turn him away?",
        "studies that shut out patients with liver cancer",
        "trials that screen out heavy drinkers",
        "where is someone with HIV not allowed?",
        "which trials can't I join if I have HIV?",
        "which trials disallow hepatic encephalopathy?",
        "which trials are off-limits for patients with HE?",
        "patients must not have HE - which trials?",
        "which trials require absence of hepatic encephalopathy?",
        "which studies say you can't have hepatic encephalopathy",
        "where patients may not have HIV",
        "Which trials require that the patient does not have hepatic encephalopathy?",
        "Which trials are contraindicated in pregnancy?",
        "Which studies list an active malignancy as a contraindication to enrolment?",
        "which trials say that's a problem for joining",
        "which trials would turn him down for that",
        "which trial lists HBV infection as a reason you can't take part",
        "HIV as a reason for exclusion",
    ],
)
def test_other_words_for_excluding(question: str) -> None:
    assert question_polarity(question) == EXCLUDE


def test_taking_only_those_without_a_condition_excludes_it() -> None:
    q = "which studies only take people who have no ascites?"
    assert question_polarity(q) == EXCLUDE
    assert strip_polarity(q).split() == ["which", "studies", "only", "take", "ascites?"]
    # "without" names what the trial is for: "enrol people without a donor liver" is an inclusion
    assert question_polarity("which trials enrol people without a donor liver?") == INCLUDE
    # ... unless the trial takes only those without it
    q = "which trials only accept patients without encephalopathy?"
    assert question_polarity(q) == EXCLUDE
    assert strip_polarity(strip_absence(q)).split() == ["which", "trials", "only", "patients", "encephalopathy?"]


def test_what_a_background_sentence_defines() -> None:
    sentence = "Liver failure (LF) is a dramatic clinical syndrome with massive necrosis of liver cells."
    assert defined_subject(sentence) == "Liver failure"
    assert defined_subject("The primary outcome is the change in MELD score.") is None  # the trial's own
    assert defined_subject("Previous study showed that BM-MSCs replace hepatocytes.") is None
