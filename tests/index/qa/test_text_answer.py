"""Text answers on the seeds: named trials (NCT ID, sponsor), lookups, and no answer."""

import pytest

from index import TrialIndex


def test_a_lookup_answers_from_the_trial_its_sponsor_names(seed_index: TrialIndex) -> None:
    a = seed_index.ask("what dose does the Xijing trial give?")
    assert (a.kind, a.no_answer) == ("lookup", False)
    assert [t.nct_id for t in a.trials] == ["NCT03209986"]
    assert a.trials[0].citations[0].snippet == (
        "mesenchymal stem cell transplantation via peripheral vein: 1x10E6 MSCs/kg body weight administered via "
        "peripheral vein at week 0, 4, 8."
    )


@pytest.mark.parametrize(
    ("question", "nct", "first"),
    [
        # "cell" is in Asia Stem Cell's name too, but every record uses it: it names no trial
        ("how do the Air Force investigators give the cells?", "NCT01724697", "via hepatic artery"),
        ("which route do they use at Royan Institute?", "NCT00713934", "Cells are injected via portal vein"),
        ("what is the route of administration in the Xijing study?", "NCT03209986", "via peripheral vein"),
        ("how many people took part in the Xijing trial?", "NCT03209986", "200 estimated patients"),
        # its follow-up fact: the first sentence that states its longest follow-up
        ("how long is the follow-up of the Beijing 302 trial?", "NCT01218464", "2-year follow up"),
        ("how will the cells be administered at the Haikou hospital?", "NCT05106972", "UC-MSC infusion by intravenus"),
        ("is the Xijing study still going?", "NCT03209986", "Unknown"),
        ("how many patients will the Beijing 302 study take?", "NCT01218464", "70"),
    ],
)
def test_lookups_of_a_loosely_named_trial(seed_index: TrialIndex, question: str, nct: str, first: str) -> None:
    a = seed_index.ask(question)
    assert (a.kind, a.no_answer) == ("lookup", False)
    assert a.trials[0].nct_id == nct
    assert first in a.trials[0].citations[0].snippet


@pytest.mark.parametrize(
    ("question", "nct", "first"),
    [
        # named by what the trial does, not by its sponsor
        ("for the hepatic artery marrow trial, how many participants are expected?", "NCT01724697", "240 estimated"),
        ("what hospital runs the hepatitis B umbilical cord study?", "NCT05106972", "Haikou People's Hospital"),
        ("the liver failure one - how many get the dummy infusion?", "NCT01218464", "20 LF patients"),
        ("Child-Pugh limits of the hepatic-artery one", "NCT01724697", "Child-Pugh score 9-15"),
        # a condition that describes the named trial is not a fact to check
        ("Royan cirrhosis trial: which bone is the marrow drawn from?", "NCT00713934", "iliac crest"),
        # when the doses are given, how long the treatment lasts, whom to contact
        ("injection weeks for the Xijing study?", "NCT03209986", "week 0, 4, 8"),
        ("how long is the MSC treatment given in the Beijing 302 study?", "NCT01218464", "week 12"),
        ("who can I contact about the Beijing 302 trial?", "NCT01218464", "Fu-Sheng Wang"),
        ("what do the controls receive in the Air Force trial", "NCT01724697", "conventional treatment"),
        ("umbilical cord liver failure study, dose?", "NCT01218464", "0.5-1.0×106 cells/kg"),
        ("how many receive MSCs in the Beijing 302 trial?", "NCT01218464", "50 LF patients"),
        # where it runs: its sites, else a sponsor that is a hospital; a country from a site's address
        ("where is the Beijing 302 study being done", "NCT01218464", "Beijing 302 Hospital"),
        ("in which country is the Haikou study run", "NCT05106972", "Haikou, China"),
        # the sponsor runs and pays for it
        ("who funds the Haikou trial", "NCT05106972", "Asia Stem Cell Regenerative"),
        # only what a trial does describes it: another record's background names liver failure too
        ("age range for the liver failure one?", "NCT01218464", "Aged 18-70 years"),
        # nor what it measures: another trial measures the portal vein's flow
        ("whats the blood clotting cutoff the I N R for the portal vein one", "NCT00713934", "INR>2"),
    ],
)
def test_lookups_of_a_described_trial(seed_index: TrialIndex, question: str, nct: str, first: str) -> None:
    a = seed_index.ask(question)
    assert (a.kind, a.no_answer) == ("lookup", False)
    assert a.trials[0].nct_id == nct
    assert first in a.trials[0].citations[0].snippet


def test_a_description_several_trials_fit_names_none(seed_index: TrialIndex) -> None:
    a = seed_index.ask("the MSC trial - what dose?")
    assert len(a.trials) > 1


@pytest.mark.parametrize(
    "question",
    [
        "what are the endpoints of the Air Force study?",  # no outcome measures
        "what dose of cells does the Air Force study give?",  # no dose stated
        "primary endpoint of the hepatic artery study?",
        "what date did the Haikou study open?",  # no dates: its status is not a date
        "how many CD34 cells does the Royan trial inject?",  # a marrow volume is not a cell dose
        "which city is the Royan trial in",  # no sites listed: its sponsor is no city
        "when do the Royan patients get their cells",  # follow-up visits are no dosing schedule
        "Did the Royan trial show an improvement in liver function?",  # a registration states no results
        "what were the findings of the Beijing 302 study?",
        "Has the Beijing 302 study published its results? Did the patients get better?",
        "Haikou UC-MSC study first posted / start",  # no dates
    ],
)
def test_a_named_record_that_does_not_state_the_value(seed_index: TrialIndex, question: str) -> None:
    a = seed_index.ask(question)
    assert a.no_answer and a.message and a.message.startswith("The record of ")


def test_a_trial_named_by_nct_id(seed_index: TrialIndex) -> None:
    a = seed_index.ask("tell me about NCT01724697")
    assert [t.nct_id for t in a.trials] == ["NCT01724697"]
    assert [c.snippet for c in a.trials[0].citations] == [
        "conventional treatment",
        "Other: conventional treatment & antivrial treatment",
        "Interventional",
    ]
    missing = seed_index.ask("what is NCT99999999?")
    assert missing.no_answer and missing.message == "NCT99999999 is not in this index (5 trials)."


def test_no_words_to_search(seed_index: TrialIndex) -> None:
    a = seed_index.ask("the of and")
    assert a.no_answer and a.message == (
        'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"'
    )


def test_where_a_trial_is_run_is_a_place_to_search(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trials are conducted in haikou?")  # "conducted" frames the question
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]
    assert a.trials[0].citations[0].snippet == "Haikou, China"


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        # "positive" and "w/" are in no record and add nothing the question needs
        ("which trials exclude HIV positive patients?", ["NCT00713934", "NCT03209986"]),
        ("studies w/ placebo", ["NCT01218464"]),
        # "directly": records have it, but no sentence of a candidate trial says it
        ("cells injected directly into the hepatic artery - which trial?", ["NCT01724697"]),
    ],
)
def test_words_no_record_says_do_not_veto_an_answer(seed_index: TrialIndex, question: str, listed: list[str]) -> None:
    a = seed_index.ask(question)
    assert a.no_answer is False
    assert sorted(t.nct_id for t in a.trials) == listed


@pytest.mark.parametrize(
    "question",
    ["which trials give the cells intrathecally?", "which trials treat diabetes?", "which trials use exosomes?"],
)
def test_a_word_that_carries_the_question_still_vetoes(seed_index: TrialIndex, question: str) -> None:
    assert seed_index.ask(question).no_answer is True


def test_a_vague_head_noun_leaves_the_meaning_to_the_words_before_it(seed_index: TrialIndex) -> None:
    # Haikou: "Clinically significant upper gastrointestinal bleeding events ..." (exclusion)
    a = seed_index.ask("which trials exclude people with bleeding problems")
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]
    # Haikou: "Patients with hypersplenism who need splenectomy" (exclusion)
    a = seed_index.ask("which trials exclude splenectomy candidates")
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]


def test_blood_slow_to_clot_is_excluded_by_either_clotting_test(seed_index: TrialIndex) -> None:
    # Royan excludes "INR>2", Haikou "PT prolongation is greater than 3 seconds"
    a = seed_index.ask("my blood takes too long to clot - which studies would exclude that?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT05106972"]


def test_a_duration_asked_for_entry_is_read_in_the_criteria(seed_index: TrialIndex) -> None:
    a = seed_index.ask("How long must the hepatitis B cirrhosis have been established for entry into the Haikou study?")
    assert a.trials[0].nct_id == "NCT05106972"
    assert a.trials[0].citations[0].snippet == (
        "Diagnosed chronic decompensated hepatitis B cirrhosis with a course of more than 5 years"
    )


def test_a_named_trials_follow_up_is_its_longest_stated_one(seed_index: TrialIndex) -> None:
    a = seed_index.ask("how long is f/u in the Beijing 302 study")
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
    assert [c.snippet for c in a.trials[0].citations] == [
        "During the 2-year follow up, the evaluation of safty and efficacy will be undergone to help to establish "
        "innovative cell-based therapies for the treatment of diseases."
    ]
    a = seed_index.ask("how long is follow-up in the Haikou study")
    assert [c.snippet for c in a.trials[0].citations] == ["Changes from baseline to 72 weeks"]
    a = seed_index.ask("f/u duration NCT03209986?")  # its record states none
    assert a.no_answer and a.trials == ()


def test_an_outcome_lookup_cites_the_first_primary_outcome(seed_index: TrialIndex) -> None:
    a = seed_index.ask("what's the primary outcome in NCT05106972")
    assert a.trials[0].citations[0].snippet == "Ishak Inflammation Rating System"  # the first of four primaries


@pytest.mark.parametrize(
    ("question", "nct", "first"),
    [
        (  # when an outcome is assessed: the measure with its time frame
            "When is the Ishak fibrosis score assessed in the Haikou study?",
            "NCT05106972",
            "Ishak Fibrosis ScoreChanges from baseline to 72 weeks",
        ),
        (  # a criterion asked about: the rule, not the outcome that measures albumin
            "What is the albumin washout rule in the Haikou UC-MSC trial?",
            "NCT05106972",
            "Use of human serum albumin within 3 weeks prior to clinical registration",
        ),
        (  # a duration before entry: read in the criteria, not the follow-up
            "In NCT00713934, how long must patients have been on ursodiol before entry?",
            "NCT00713934",
            "Incomplete response to UDCA after 6 months of treatment.",
        ),
        (  # a duration a trial requires: read in the criteria
            "What minimum disease duration does the Asia Stem Cell UC-MSC trial require?",
            "NCT05106972",
            "Diagnosed chronic decompensated hepatitis B cirrhosis with a course of more than 5 years",
        ),
        (  # "must ... have lasted", "needs to be": a duration the criteria ask of patients, not an outcome's
            "how long must the hepatitis B cirrhosis have lasted in the haikou trial",
            "NCT05106972",
            "Diagnosed chronic decompensated hepatitis B cirrhosis with a course of more than 5 years",
        ),
    ],
)
def test_lookups_of_criteria_and_outcome_times(seed_index: TrialIndex, question: str, nct: str, first: str) -> None:
    a = seed_index.ask(question)
    assert [t.nct_id for t in a.trials] == [nct]
    assert a.trials[0].citations[0].snippet == first


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        # chart shorthand: "pt" a patient (never "PT", prothrombin time), "rn" right now, "bx" a biopsy
        ("our pt is encephalopathic rn, which studies would rule her out", ["NCT00713934", "NCT05106972"]),
        ("any studies that need a bx of the liver", ["NCT00713934"]),
        ("which studies take pts who arent candidates for LT", ["NCT05106972"]),
        # a lay description and the writer's hedge around the term
        (
            "Which trials take people whose liver has stopped coping? I think doctors call it decompensated",
            ["NCT03209986", "NCT05106972", "NCT00713934"],
        ),
        ("which studies take people who didnt respond well to UDCA", ["NCT00713934"]),
        # what a trial gives "as the intervention" is not said by its criteria
        ("which trials do LT as the intervention", []),
    ],
)
def test_shorthand_and_lay_eligibility_wordings(seed_index: TrialIndex, question: str, listed: list[str]) -> None:
    assert [t.nct_id for t in seed_index.ask(question).trials] == listed


def test_which_of_those_lists_among_every_trial_named(seed_index: TrialIndex) -> None:
    a = seed_index.ask(
        "Xijing, Beijing 302, Air Force - which of those give the stem cells into a vein in the arm rather than via"
        " an artery?"
    )
    assert a.kind == "list"
    assert sorted(t.nct_id for t in a.trials) == ["NCT01218464", "NCT03209986"]


def test_an_investigator_is_a_person_among_the_contacts(seed_index: TrialIndex) -> None:
    a = seed_index.ask("who is the PI of the Xijing trial?")
    assert [t.nct_id for t in a.trials] == ["NCT03209986"]
    assert a.trials[0].citations[0].snippet == "Changcun Guo, MD"
    # Haikou lists a sponsor and a site, no person
    none = seed_index.ask("Who is the principal investigator at Haikou People's Hospital for the UC-MSC study?")
    assert none.no_answer is True
    assert none.message == "The record of NCT05106972 does not state this."


def test_a_name_with_a_slash_names_one_trial(seed_index: TrialIndex) -> None:
    a = seed_index.ask("How many subjects were included in the CD133 / BM-MNC portal vein study?")
    assert [t.nct_id for t in a.trials][:1] == ["NCT00713934"]
    assert a.trials[0].citations[0].snippet == "7 patients"


def test_to_see_if_it_worked_asks_for_an_outcome(seed_index: TrialIndex) -> None:
    a = seed_index.ask("do any check his bilirubin (the yellow skin thing) to see if it worked")
    assert [t.nct_id for t in a.trials] == ["NCT05106972"]
    assert a.trials[0].citations[0].snippet.startswith("Number of Participants with abnormal Total bilirubin")


def test_what_a_record_says_may_be_in_its_background(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trial says that 93 million chinese are infected with hepatitis B?")
    assert [t.nct_id for t in a.trials] == ["NCT01724697"]
    assert "(about 93 million)" in a.trials[0].citations[0].snippet


def test_an_arm_named_in_a_lookup_is_answered_by_its_description_not_background(seed_index: TrialIndex) -> None:
    # Xijing's summary has "Randomization controlled studies are needed ..." (background) and an arm "control"
    a = seed_index.ask("What does the Xijing control arm receive?")
    assert [t.nct_id for t in a.trials] == ["NCT03209986"]
    assert a.trials[0].citations[0].snippet == "Standard medication for viral hepatitis and cirrhosis"


@pytest.mark.parametrize(
    ("question", "nct", "first"),
    [
        ("What Child-Pugh score does the Xijing study require?", "NCT03209986", "Child-Pugh score ≥7"),
        ("Xijing Child Pugh cutoff", "NCT03209986", "Child-Pugh score ≥7"),  # the value, not a yes
        ("how many times are the cells given in the Haikou trial", "NCT05106972", "2 doses"),
        ("How many MSC infusions in the Xijing study?", "NCT03209986", "at week 0, 4, 8"),  # its arm states the count
        ("What is the comparator in NCT03209986?", "NCT03209986", "Standard medication for viral hepatitis"),
        ("what does the control group get in the Beijing 302 trial?", "NCT01218464", "Conventional plus pacebo"),
    ],
)
def test_a_named_trials_fact_answers_from_its_facts(
    seed_index: TrialIndex, question: str, nct: str, first: str
) -> None:
    a = seed_index.ask(question)
    assert (a.kind, a.no_answer, a.trials[0].nct_id) == ("lookup", False, nct)
    assert first in a.trials[0].citations[0].snippet


@pytest.mark.parametrize(
    ("question", "nct"),
    [
        ("What Child-Pugh score does the Haikou study require?", "NCT05106972"),  # it sets none
        ("How many times would dad get the cells in the Air Force trial - just once or several?", "NCT01724697"),
        ("NCT01724697: how many BMSCs are given to each patient?", "NCT01724697"),  # no dose stated
    ],
)
def test_a_named_trials_fact_its_record_does_not_state(seed_index: TrialIndex, question: str, nct: str) -> None:
    a = seed_index.ask(question)
    assert (a.no_answer, a.message) == (True, f"The record of {nct} does not state this.")


def test_a_failure_of_another_organ_is_not_the_liver_failure_a_trial_treats(seed_index: TrialIndex) -> None:
    a = seed_index.ask("is there a stem cell trial here for kidney failure")
    assert (a.no_answer, a.message) == (True, "No trial in the corpus supports this.")
