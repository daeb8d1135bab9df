"""Fact answers on the seeds: constraints alone, and constraints with text to search for."""

import pytest

from index import TrialIndex
from index.qa.fact_answer import ELIGIBLE_NOTE


def test_constraints_alone_list_the_matching_trials(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trials are phase 2 and randomized?", k=2)
    assert a.message == (
        "Understood: phase: Phase 2 · allocation: Randomized (1 trial left out: the record does not state it)."
    )
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT00713934"]
    assert [t.nct_id for t in a.more] == ["NCT01218464"]
    assert [c.snippet for c in a.trials[0].citations] == ["Phase 2", "Phase 1", "Randomized"]
    assert a.trials[0].score == 1.0


def test_text_is_searched_among_the_matching_trials(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which randomized trials use umbilical cord cells?")
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
    assert a.trials[0].citations[-1].snippet == "Randomized"  # the fact's citation after the text's


def test_the_askers_age_and_words_about_it_decide_alone(seed_index: TrialIndex) -> None:
    a = seed_index.ask("I'm 71 - whose age limits would let me in, pls?")
    assert a.constraints == ("age: 71",)
    assert [t.nct_id for t in a.trials] == ["NCT00713934"]
    a = seed_index.ask("which study says no to people over 60?")
    assert a.constraints == ("maximum age <= 60",)
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]
    a = seed_index.ask("my daughter is 19 - which trials would take her?")
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT03209986", "NCT00713934", "NCT01218464"]


def test_a_question_by_age_alone_is_answered_by_the_age(seed_index: TrialIndex) -> None:
    # what it tells of the person besides ("with cirrhosis") is no need: Beijing 302 (liver failure) fits by age
    a = seed_index.ask("nineteen year old niece with cirrhosis - which trials does her age fit?")
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT03209986", "NCT00713934", "NCT01218464"]
    a = seed_index.ask("70 yo with liver dz, which studies on age grounds?")
    assert [t.nct_id for t in a.trials] == ["NCT00713934", "NCT01218464"]
    # without asking by age, the rest of the question is searched among the trials of that age
    a = seed_index.ask("nineteen year old niece with cirrhosis - which trials would take her?")
    assert "NCT01218464" not in [t.nct_id for t in a.trials]


def test_design_words_and_their_explanations(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trials are uncontrolled, everyone in one arm?")
    assert a.constraints == ("control arm: no", "design: Single group")
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]
    a = seed_index.ask("which trials lack a concurrent control?")  # Royan's two arms are both experimental
    assert a.constraints == ("control arm: no",)
    assert [(t.nct_id, t.citations[0].snippet) for t in a.trials] == [
        ("NCT00713934", "Experimental group"),
        ("NCT05106972", "SINGLE_GROUP"),
    ]
    a = seed_index.ask("double-masked studies, so that the investigators do not know the arms, thanks")
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
    a = seed_index.ask("ph 1-2 RCTs")
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT00713934", "NCT01218464"]


def test_a_child_pugh_score_is_matched_against_the_criteria_ranges(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trials accept a CTP score of 10?")
    assert a.constraints == ("Child-Pugh score: 10",)
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT03209986", "NCT00713934"]
    assert a.trials[0].citations[0].snippet == "Child-Pugh score 9-15"
    a = seed_index.ask("my father's CTP score is 10 - which trials would take him?")  # a patient: no limit, none set
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT03209986", "NCT00713934", "NCT05106972", "NCT01218464"]
    assert a.left_out == 0
    assert a.message == "Understood: Child-Pugh score: 10" + ELIGIBLE_NOTE + "."
    a = seed_index.ask("Child-Pugh 7 - eligible anywhere?")
    assert [t.nct_id for t in a.trials] == ["NCT03209986", "NCT00713934"]
    assert a.left_out == 2


def test_a_child_pugh_bound_and_no_placebo(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which studies require a Child-Pugh score of 8 or more?")
    assert [t.nct_id for t in a.trials] == ["NCT01724697"]
    a = seed_index.ask("randomised, without a dummy infusion")
    assert a.constraints == ("allocation: Randomized", "placebo: no")
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT03209986", "NCT00713934"]


def test_a_question_about_the_control_arm_leaves_out_single_group_trials(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which studies give their control group only conventional treatment, no placebo?")
    assert a.constraints == ("control arm: yes", "placebo: no")
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT03209986"]  # not Royan: two experimental arms


def test_a_follow_up_length_lists_the_trials_that_state_one(seed_index: TrialIndex) -> None:
    a = seed_index.ask("f/u longer than 1 yr?")
    assert a.message == "Understood: follow-up > 1 yr (2 trials left out: the record does not state it)."
    assert [t.nct_id for t in a.trials] == ["NCT05106972", "NCT01218464"]
    assert [t.citations[0].snippet for t in a.trials] == [
        "Changes from baseline to 72 weeks",
        "During the 2-year follow up, the evaluation of safty and efficacy will be undergone to help to establish "
        "innovative cell-based therapies for the treatment of diseases.",
    ]
    a = seed_index.ask("104-week follow up")
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
    a = seed_index.ask("which trials follow patients for at least 12 weeks?")
    assert [t.nct_id for t in a.trials] == ["NCT00713934", "NCT05106972", "NCT01218464"]


def test_a_number_of_doses_lists_the_trials_that_state_it_plainly(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which give cells more than once")
    assert a.constraints == ("number of doses > 1",)
    assert [t.nct_id for t in a.trials] == ["NCT03209986", "NCT05106972"]
    assert a.left_out == 3
    a = seed_index.ask("3 infusions")
    assert [t.nct_id for t in a.trials] == ["NCT03209986"]
    assert a.trials[0].citations[0].snippet.endswith("administered via peripheral vein at week 0, 4, 8.")
    a = seed_index.ask("single infusion only")
    assert a.no_answer and a.message == (
        "No trial in the corpus matches number of doses: 1 (3 trials left out: the record does not state it)."
    )


def test_a_status_read_from_the_question_still_says_whom_it_enrols(seed_index: TrialIndex) -> None:
    # "recruiting" becomes the status; the question still asks for trials enrolling HCC patients,
    # which an exclusion of liver cancer does not support
    a = seed_index.ask("List the stem-cell trials recruiting HCC patients.")
    assert (a.no_answer, a.constraints) == (True, ("status: Recruiting",))
    a = seed_index.ask("recruiting trials that exclude HCC")
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]


def test_a_described_patient_is_matched_by_facts_and_exclusions(seed_index: TrialIndex) -> None:
    a = seed_index.ask("50yo, HBV/HIV co-infected on ART, HBV cirrhosis CP 11. which trials would consider him?")
    # Xijing excludes coinfection with HIV, Royan HBV, Haikou active viral infection; Beijing 302
    # states no Child-Pugh limit, so sets none
    assert [t.nct_id for t in a.trials] == ["NCT01724697", "NCT01218464"]
    assert [[c.snippet for c in t.citations] for t in a.trials] == [
        ["18 to 65 years old", "Child-Pugh score 9-15"],
        ["18 to 70 years old"],
    ]


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("which trials take Child-Pugh B patients?", ["NCT00713934", "NCT01724697", "NCT03209986"]),
        ("Which protocols cap the age at 65 or lower?", ["NCT01724697", "NCT03209986", "NCT05106972"]),
        ("Could a 70-year-old be screened into any of these?", ["NCT00713934", "NCT01218464"]),
        ("Member is 67 - which trials is she still within the age range for?", ["NCT00713934", "NCT01218464"]),
        (
            "In which trials does every enrolled subject receive stem cells (no cell-free control arm)?",
            ["NCT00713934", "NCT05106972"],
        ),
        ("Which trials are taking on new patients at the moment?", ["NCT05106972"]),
        ("his liver is failing now not just cirrosis, which ones are for that", ["NCT01218464", "NCT01724697"]),
        (
            "In which study would my husband not know whether he'd had the real cells or not, and neither would his"
            " doctors?",
            ["NCT01218464"],
        ),
    ],
)
def test_facts_asked_in_other_words(seed_index: TrialIndex, question: str, listed: list[str]) -> None:
    a = seed_index.ask(question)
    assert sorted(t.nct_id for t in a.trials) == listed


def test_a_class_no_trial_accepts(seed_index: TrialIndex) -> None:
    a = seed_index.ask("Which trials enrol compensated cirrhosis, Child-Pugh class A?")
    assert a.no_answer is True
    assert a.message is not None and a.message.startswith("No trial in the corpus matches Child-Pugh score: class A")


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("which trials follow patients for about 6 months?", ["NCT00713934"]),  # 24 weeks is about 26
        ("which trials follow patients for 6 months?", []),  # 24 weeks is not 26
        ("Which only follow up to about half a year (~26 wks)?", ["NCT00713934"]),
        ("which trials follow patients for about 1.5 years", ["NCT05106972"]),  # 72 weeks
    ],
)
def test_a_follow_up_of_about_a_length(seed_index: TrialIndex, question: str, listed: list[str]) -> None:
    assert sorted(t.nct_id for t in seed_index.ask(question).trials) == listed


def test_only_light_words_left_leave_the_facts_to_answer(seed_index: TrialIndex) -> None:
    # "the kind where": nothing left to search for once the masking is read
    a = seed_index.ask("which study is the kind where neither me nor the doctor knows what im getting")
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
