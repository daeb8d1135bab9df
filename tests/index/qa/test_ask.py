"""`ask` validates its input before answering."""

import pytest

from index import BadQuestion, TrialIndex


def test_bad_k_and_filters_raise(seed_index: TrialIndex) -> None:
    with pytest.raises(BadQuestion, match="k must be a whole number from 1 to 100"):
        seed_index.ask("hepatic artery", k=0)
    with pytest.raises(BadQuestion, match="cannot read filter 'bogus'"):
        seed_index.ask("hepatic artery", filters=["bogus"])


def test_an_unusable_question_is_answered_with_what_to_do(seed_index: TrialIndex) -> None:
    a = seed_index.ask("  \u200b\x00 ")
    assert a.no_answer and a.trials == ()
    assert a.message == 'Ask a question about the trials, e.g. "which trials use the hepatic artery?"'
    assert seed_index.ask("x" * 2001).message == (
        'That question is 2,001 characters long; ask in under 2,000 characters, e.g. "which trials exclude HIV?"'
    )


@pytest.mark.parametrize(
    ("question", "understood", "trials"),
    [
        ("Is any study open to new patients?", "status: Recruiting", ["NCT05106972"]),
        ("Which studies are now enrolling people?", "status: Recruiting", ["NCT05106972"]),
        ("Trials where nobody is blinded?", "masking: None (Open Label)", ["NCT01724697"]),
        (
            "Studies in which neither the patients nor the doctors know the assignment",
            "masking: Double or Triple or Quadruple",
            ["NCT01218464"],
        ),
        ("Which trial has only one arm, with nobody to compare against?", "design: Single group", ["NCT05106972"]),
        (
            "trials where the patients and the investigators are all kept in the dark about who gets MSCs",
            "masking: Double or Triple or Quadruple",
            ["NCT01218464"],
        ),
        (
            "trials in which everyone knows exactly who is getting the cells",
            "masking: None (Open Label)",
            ["NCT01724697"],
        ),
        ("early-stage trials, phase 2?", "phase: Phase 2", ["NCT01724697", "NCT00713934", "NCT01218464"]),
    ],
)
def test_lay_wordings_of_a_fact_read_as_the_records_fact(
    seed_index: TrialIndex, question: str, understood: str, trials: list[str]
) -> None:
    a = seed_index.ask(question)
    assert a.message is not None and a.message.startswith(f"Understood: {understood}")
    assert [t.nct_id for t in a.trials] == trials


def test_a_fact_that_names_a_trial_does_not_answer_a_lookup_of_text(seed_index: TrialIndex) -> None:
    a = seed_index.ask("What is the primary outcome of the Xijing RCT?")
    assert a.constraints is None and a.trials[0].nct_id == "NCT03209986"
    a = seed_index.ask("Is the Xijing trial randomised?")
    assert a.constraints == ("allocation: Randomized",) and a.message.startswith("Yes")
    a = seed_index.ask("how many patients get the sham in the Beijing 302 trial?")
    assert a.constraints is None and a.trials[0].nct_id == "NCT01218464"


def test_a_named_trial_asked_yes_or_no_is_checked_against_its_facts(seed_index: TrialIndex) -> None:
    a = seed_index.ask("is the Beijing 302 liver failure trial placebo-controlled?")
    assert a.message == "Yes: the record of NCT01218464 matches placebo: yes."


def test_a_named_trial_asked_for_a_value_answers_from_its_text(seed_index: TrialIndex) -> None:
    # "liver failure" and "placebo" describe the trial and the arm: no fact to check
    a = seed_index.ask("the Beijing 302 liver failure trial - how many patients are given placebo?")
    assert (a.kind, a.no_answer, a.message, a.constraints) == ("lookup", False, None, None)
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
    assert "20 LF patients" in a.trials[0].citations[0].snippet


def test_a_question_word_without_its_apostrophe_asks_a_value(seed_index: TrialIndex) -> None:
    """ "whats the comparator arm" asks what the arm gets, not whether the trial has one."""
    a = seed_index.ask("whats the control arm of the hepatic artery study")
    assert (a.kind, a.constraints) == ("lookup", None)
    assert [t.nct_id for t in a.trials] == ["NCT01724697"]
    assert a.question == "whats the control arm of the hepatic artery study"


def test_the_words_of_a_term_the_question_names_whole_are_not_idle(seed_index: TrialIndex) -> None:
    """Every record says "No Healthy Volunteers": a question for trials that take them is not
    asked again without "healthy" and "volunteers" (nor answered by the liver alone)."""
    a = seed_index.ask("Which trials enrol healthy volunteers, people with nothing wrong with the liver?")
    assert a.no_answer and a.message == "No trial in the corpus supports this."


@pytest.mark.parametrize(
    ("question", "trials"),
    [
        # the ask before what the question goes on to tell, and after who asks it
        (
            "Is anything still taking new people? One of our members doesn't want to waste time on finished ones.",
            ["NCT05106972"],
        ),
        (
            "A lady in our group wants to know which of these trials use cells from umbilical cord tissue?",
            ["NCT05106972", "NCT01218464"],
        ),
        ("For the P of PICO: which study population is defined as liver failure?", ["NCT01218464"]),
        # an alternative whose word is a compound ("intra-arterial") is still read
        ("which need an intra-arterial or intraportal injection?", ["NCT01724697", "NCT00713934"]),
        # a lab value below an exclusion's threshold ("INR 1.3", "INR>2") does not rule the patient out
        (
            "72-year-old woman, biopsy-proven cirrhosis Child-Pugh class B, HBV/HCV/HIV negative, "
            "no encephalopathy or ascites, INR 1.3 - which trials fit?",
            ["NCT00713934"],
        ),
        ("Which studies have a minimum age of 18 years?", ["NCT01724697", "NCT03209986", "NCT00713934", "NCT01218464"]),
        # the ask's alternatives, not the story told before it
        (
            "Several pages talk about liver transplantation in their background. Which trial actually requires "
            "patients to be unsuitable for transplant or to have no donor liver?",
            ["NCT05106972"],
        ),
        ("which one says no hbv", ["NCT00713934"]),  # "says no X": excludes X
        ("Which trials do not give the cells through a peripheral vein?", ["NCT01724697", "NCT00713934"]),
    ],
)
def test_other_ways_to_ask_for_a_list(seed_index: TrialIndex, question: str, trials: list[str]) -> None:
    a = seed_index.ask(question)
    assert sorted(t.nct_id for t in a.trials) == sorted(trials)


def test_a_trial_named_by_its_facts_answers_a_lookup_and_an_unstated_split_is_said_so(seed_index: TrialIndex) -> None:
    a = seed_index.ask("The Iranian one - how many people did it actually take in?")
    assert (a.kind, a.trials[0].nct_id, a.trials[0].citations[0].snippet) == ("lookup", "NCT00713934", "7 patients")
    b = seed_index.ask("How many patients were in each arm of the Royan trial?")
    assert (b.no_answer, b.message) == (True, "The record of NCT00713934 does not state this.")
    c = seed_index.ask("stem cell trials for liver cancer (HCC) patients")  # liver cancer only as an outcome
    assert c.no_answer


@pytest.mark.parametrize(
    "question",
    [
        "In what year did enrolment begin for NCT01218464?",
    ],
)
def test_a_named_trial_that_does_not_state_what_is_asked_says_so(seed_index: TrialIndex, question: str) -> None:
    a = seed_index.ask(question)
    assert (a.no_answer, a.message) == (True, "The record of NCT01218464 does not state this.")


def test_a_clinicians_shorthand_for_a_criterion(seed_index: TrialIndex) -> None:
    a = seed_index.ask("What's the coags limit in the Royan trial?")
    assert (a.trials[0].nct_id, a.trials[0].citations[0].snippet) == ("NCT00713934", "INR>2")
