"""Every plain-English constraint form, the ones that must not fire, and explicit filters."""

import pytest

from index.facts.constraints import parse, parse_filters
from index.text.vocabulary import vocabulary


def labels(q: str, conditions: set[str] | None = None) -> list[str]:
    return [c.label for c in parse(q, conditions)[0]]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which trials accept patients older than 65?", ["age > 65"]),
        ("trials for people over the age of 70", ["age > 70"]),
        ("Which trials accept patients aged 65 or older?", ["age >= 65"]),
        ("trials open to 18+ years", ["age >= 18"]),
        ("Which trials enroll children?", ["age < 18"]),
        ("Which trials accept patients under 18?", ["age < 18"]),
        ("trials for people younger than 12 years", ["age < 12"]),
        ("Which trials are for the elderly?", ["age > 65"]),
        ("Which trials are for women only?", ["sex: Female"]),
        ("Which trials enroll only men?", ["sex: Male"]),
        ("Which trials enroll more than 100 patients?", ["enrollment > 100"]),
        ("Which trials have at least 50 participants?", ["enrollment >= 50"]),
        ("Which trials have fewer than 30 subjects?", ["enrollment < 30"]),
        ("trials with N > 100", ["enrollment > 100"]),
        ("studies with n ≥ 50?", ["enrollment >= 50"]),
        ("which trials plan to enrol >100 pts", ["enrollment > 100"]),  # a sign before the count
        ("trials with <30 participants", ["enrollment < 30"]),
        ("studies of ≥ 60 patients", ["enrollment >= 60"]),
        ("recruit >= 40", ["enrollment >= 40"]),
        ("INR >1.5 patients", []),  # a sign before no count of patients
        ("Which studies plan to recruit more than 1e2 patients?", ["enrollment > 100"]),
        ("which trials have a sample size in the hundreds?", ["enrollment >= 100"]),
        ("a target sample size in the hundreds (3 digits)?", ["enrollment >= 100"]),  # the same again in brackets
        ("which trials enrol hundreds of patients", ["enrollment >= 100"]),
        ("trials whose enrolment is in the thousands", ["enrollment >= 1000"]),
        ("Which trials have a sample size between 50 and 250?", ["enrollment between 50-250"]),
        ("Which studies enrol somewhere in the 50-250 range?", ["enrollment between 50-250"]),
        ("triple-digit target enrolment - which?", ["enrollment between 100-999"]),
        ("enrollment of 200 or more?", ["enrollment >= 200"]),
        ("Which studies have a target sample size of at least 200?", ["enrollment >= 200"]),
        ("which trials enrol patients aged 18-65 years", []),  # ages, not a size
        ("Which trial is listed as recruiting at the moment?", ["status: Recruiting"]),
        ("Which studies carry both a phase-one and a phase-two label?", ["phase: Phase 1", "phase: Phase 2"]),
        ("Which trials do NOT use a placebo?", ["placebo: no"]),
        ("trials where nobody gets a placebo", ["placebo: no"]),
        ("SoC alone, without any placebo, as the comparator", ["placebo: no", "control arm: yes"]),
        ("In which studies does every arm deliver a cell therapy?", ["control arm: no"]),
        (
            "studies that lack any concurrent comparator group (no standard-care, placebo or untreated arm)",
            ["control arm: no"],
        ),
        ("cells plus standard care against standard care only", ["control arm: yes"]),
        ("which won't take anyone under 20?", ["minimum age >= 20"]),
        ("which cap enrolment at age 65 or lower?", ["maximum age <= 65"]),
        ("Which trials do not give the cells through a peripheral vein?", ["route not intravenous"]),
        ("route their cells somewhere other than the hepatic artery", ["route not artery"]),
        ("which trials last over 1 year for each person", ["follow-up > 1 year"]),
        ("Sample sizes below 50: which trials have them?", ["enrollment < 50"]),
        ("Which trials are recruiting?", ["status: Recruiting"]),
        ("Which recruiting trials use umbilical cord cells?", ["status: Recruiting"]),
        ("Which trials are not yet recruiting?", ["status: Not yet recruiting"]),
        ("Which trials have completed?", ["status: Completed"]),
        ("Which trials are active, not recruiting?", ["status: Active, not recruiting"]),
        ("Which phase 2 trials are there?", ["phase: Phase 2"]),
        ("Which phase II trials are there?", ["phase: Phase 2"]),
        ("Which phase 1/2 trials are there?", ["phase: Phase 1 and Phase 2"]),
        ("Which are early-stage phase one-to-two studies?", ["phase: Phase 1 and Phase 2"]),  # in words
        ("is there a phone number for the royan one", []),  # "ph" + "one" is no phase
        ("Which study masks both participants and investigators?", ["masking: Double or Triple or Quadruple"]),
        ("Which are open label, with nobody masked?", ["masking: None (Open Label)"]),  # the fact again
        ("Which trials are randomized?", ["allocation: Randomized"]),
        ("Which trials are non-randomised?", ["allocation: Non-Randomized"]),
        ("which study is single arm, no randomisation", ["design: Single group", "allocation: Non-Randomized"]),
        ("trials that are not randomized", ["allocation: Non-Randomized"]),
        ("Which trials are double-blind?", ["masking: Double or Triple or Quadruple"]),
        ("Which trials are open label?", ["masking: None (Open Label)"]),
        ("Which trials use a placebo?", ["placebo: yes"]),
        ("Which trials are in China?", ["country: China"]),
        ("chinese sites?", ["country: China"]),
        ("Which Iranian trials are recruiting?", ["country: Iran", "status: Recruiting"]),
        ("Which trials are recruiting in the United States?", ["status: Recruiting", "country: United States"]),
        (
            "Which trials are double-blind and recruiting?",
            ["masking: Double or Triple or Quadruple", "status: Recruiting"],
        ),
        ("Which phase 2 trials are double-blind?", ["phase: Phase 2", "masking: Double or Triple or Quadruple"]),
        ("could a patient aged 72 take part?", ["age: 72"]),
        ("trials that would accept a 15-year-old", ["age: 15"]),
        ("which take 80 year olds", ["age: 80"]),
        ("which trials only enrol patients under 60?", ["maximum age < 60"]),
        ("patients aged 18 to 65", []),  # a range is text to search
        ("n over 100", ["enrollment > 100"]),
        ("n under 50", ["enrollment < 50"]),  # a size, not an age
        ("small studies fewer than 50 pts", ["enrollment < 50"]),
        ("upper age limit >=70", ["maximum age >= 70"]),
        ("a maximum age of at least 70", ["maximum age >= 70"]),
        ("an upper age limit of 60", ["maximum age: 60"]),
        ("any trials in Beijing?", ["city: Beijing"]),
        ("studies located in Xian", ["city: Xi'an"]),
        ("who runs the study in Beijing 302 Hospital?", []),  # a name, not a city
    ],
)
def test_constraint_forms(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "What happened to the 65 patients enrolled?",
        "Which trials enrolled 65 patients?",
        "Which trials exclude patients under 18 years old?",  # a criterion to search, not an age filter
        "Which trials measure the Child-Pugh score 7?",
        "Which trials give cells through the portal vein?",
        "Which trials had incomplete responses to UDCA?",
        "Which trials use bone marrow mononuclear cells?",
        "What dose does the Xijing trial give?",
        "Which trials exclude patients with ALT > 100 U/L?",  # no N before the sign: not a count
        "Which trials use Chinese herbal medicine?",  # a people's word names a country only before sites, trials
    ],
)
def test_constraints_that_must_not_fire(question: str) -> None:
    assert labels(question) == []


def test_rest_of_the_question_is_kept_for_text_search() -> None:
    cs, rest = parse("Which recruiting trials give umbilical cord MSCs for liver cirrhosis?", {"liver cirrhosis"})
    assert [c.label for c in cs] == ["status: Recruiting", "condition: liver cirrhosis"]
    assert rest == "Which give umbilical cord MSCs ?"
    # Without the condition in the corpus, "for liver cirrhosis" stays text.
    assert labels("Which trials are for liver cirrhosis?") == []


def test_explicit_filters_in_questions_and_as_arguments() -> None:
    cs, rest = parse("status:recruiting phase:2 age>65 country:China hepatic artery")
    assert [c.label for c in cs] == ["status: Recruiting", "phase: Phase 2", "age > 65", "country: China"]
    assert rest == "hepatic artery"
    got = parse_filters(
        ["status:not_yet_recruiting enrollment>=100", 'source:"umbilical cord"', "country:United_States"]
    )
    assert [c.label for c in got] == [
        "status: Not yet recruiting",
        "enrollment >= 100",
        "source: umbilical cord",
        "country: United States",
    ]
    with pytest.raises(ValueError, match="cannot read filter 'status:bogus'"):
        parse_filters("status:bogus")
    with pytest.raises(ValueError, match="cannot read filter 'age>old'"):
        parse_filters("age>old")


@pytest.mark.parametrize(
    ("question", "expected", "rest"),
    [
        ("Which trials plan to enrol more than 100 patients?", ("enrollment", ">", 100), "Which trials ?"),
        ("Which trials aim to recruit at least 50?", ("enrollment", ">=", 50), "Which trials ?"),
        ("Which trials expect to include fewer than 30?", ("enrollment", "<", 30), "Which trials ?"),
        ("Which trials intend to enroll no more than 40 participants?", ("enrollment", "<=", 40), "Which trials ?"),
        ("Which trials have an enrolment target above 200?", ("enrollment", ">", 200), "Which trials have an ?"),
        ("studies enrolling in excess of 60 patients?", ("enrollment", ">", 60), "studies ?"),
        ("a sample exceeding 100 participants?", ("enrollment", ">", 100), "a sample ?"),
        ("which trials accept only patients younger than 70", ("max_age", "<", 70.0), "which trials accept"),
        ("where all patients are younger than 70", ("max_age", "<", 70.0), "where"),
        ("In which trials are all participants younger than 70?", ("max_age", "<", 70.0), "In which trials are ?"),
        ("Which trials have an upper age limit below 70?", ("max_age", "<", 70.0), "Which trials have an ?"),
        ("trials whose maximum age is at most 65 years", ("max_age", "<=", 65.0), "trials whose"),
        ("Which trials accept patients younger than 70?", ("age", "<", 70.0), "Which trials accept patients ?"),
        ("which studies have only 30 patients or less", ("enrollment", "<=", 30), "which studies have only"),
        ("trials with 200 participants or more?", ("enrollment", ">=", 200), "trials with ?"),
        ("which trials start at 18 years old", ("age", "=", 18.0), "which trials"),
        ("studies starting from age 20?", ("age", "=", 20.0), "studies ?"),
    ],
)
def test_facts_in_other_words(question: str, expected: tuple[str, str, object], rest: str) -> None:
    (c,), got_rest = parse(question)
    assert (c.key, c.op, c.value) == expected
    assert got_rest == rest


def test_all_patients_younger_is_its_own_constraint_with_its_label() -> None:
    assert labels("Which trials accept only patients younger than 70?") == ["maximum age < 70"]
    assert labels("Which trials accept patients younger than 70?") == ["age < 70"]
    assert [c.label for c in parse_filters("max_age<70")] == ["maximum age < 70"]
    assert labels("Which trials exclude all patients under 18?") == []  # a criterion to search


@pytest.mark.parametrize(
    "question",
    [
        "Which trials include patients with more than 10% fibrosis?",
        "Which trials recruit over 2 years?",
        "Which trials aim to use the hepatic artery?",
    ],
)
def test_enrolling_verbs_do_not_make_other_numbers_counts(question: str) -> None:
    assert [c for c in parse(question)[0] if c.key == "enrollment"] == []


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("Which trials are currently enrolling?", "status: Recruiting"),
        ("Which studies are open for enrolment?", "status: Recruiting"),
        ("Are any trials taking new patients?", "status: Recruiting"),
    ],
)
def test_lay_wordings_of_a_fact_through_the_vocabulary(question: str, label: str) -> None:
    assert labels(question) == []  # the rule reads the vocabulary's head term, as `ask` gives it
    assert labels(vocabulary().rewrite(question)) == [label]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("age 57, can I join?", ["age: 57"]),
        ("a 81yo with hepatitis - any study?", ["age: 81"]),
        ("81 y/o man, which trials?", ["age: 81"]),
        ("I'm 44, which protocols would take me?", ["age: 44"]),
        ("I am 44 years old - any trial?", ["age: 44"]),
        ("my grandmother is 77, is she eligible anywhere?", ["age: 77"]),
        ("she's 23 - which trials?", ["age: 23"]),
        ("the patient is 80 kg", []),  # a weight, not an age
        ("my dad is 3 months post transplant", []),
        ("my wife is 2 years post transplant", []),
        ("a lower age limit of 18?", ["minimum age: 18"]),  # the minimum, not the maximum
        ("maximum age of 55: which studies?", ["maximum age: 55"]),
        ("an age cap at 70?", ["maximum age: 70"]),
        ("upper age limit 18-65", []),  # a range, not one limit
        ("which protocols refuse people over 55?", ["maximum age <= 55"]),
        ("studies that don't accept anyone older than 70", ["maximum age <= 70"]),
        ("trials that exclude patients aged 75 or older", ["maximum age < 75"]),
        ("Which trials exclude patients under 18 years old?", []),  # a criterion to search
        ("which trials for people over 65 use autologous cells", ["age > 65"]),
        ("trials for patients above 70", ["age > 70"]),
        ("any trials for over-65s?", ["age > 65"]),
        ("which trials have patients over 100", []),  # a trial's size, not an age
        ("which trials enrol patients over 60%", []),
    ],
)
def test_ages_of_the_asker_limits_and_turning_away(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


def test_the_asker_and_the_facts_words_are_claimed_with_the_age() -> None:
    assert parse("I am 44 years old")[1] == ""
    assert parse("which study turns away people older than 50?")[1] == "which study ?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("RCTs of cord cells?", ["allocation: Randomized"]),
        ("a randomised controlled trial of MSCs", ["allocation: Randomized"]),
        ("ph 2 studies", ["phase: Phase 2"]),
        ("phase 2-3 trials?", ["phase: Phase 2 and Phase 3"]),
        ("Ph. I to II protocols", ["phase: Phase 1 and Phase 2"]),
        ("buffer at pH 7.4", []),
        ("one-arm studies of MSCs", ["design: Single group"]),
        ("uncontrolled trials?", ["control arm: no"]),
        ("a study with no group to compare with", ["design: Single group"]),
        ("a single cohort with nobody to compare it with", ["design: Single group", "control arm: no"]),
        ("parallel-group trials", ["design: Parallel"]),
        ("crossover designs?", ["design: Crossover"]),
    ],
)
def test_design_words(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


@pytest.mark.parametrize(
    ("question", "expected", "rest"),
    [
        (
            "Which studies keep both the participants and the investigators in the dark?",
            ["masking: Double or Triple or Quadruple"],
            "Which studies keep ?",
        ),
        (
            "studies where the participants and the investigators are kept in the dark about who gets the cells",
            ["masking: Double or Triple or Quadruple"],
            "studies where",
        ),
        (
            "trials where neither the patients nor the investigators know who gets what",
            ["masking: Double or Triple or Quadruple"],
            "trials where",
        ),
        (
            "studies where patients and doctors don't know which arm",
            ["masking: Double or Triple or Quadruple"],
            "studies where",
        ),
        (
            "trials where everyone, doctors and patients alike, knows who gets the real infusion",
            ["masking: None (Open Label)"],
            "trials where",
        ),
        (
            "trials where both patients and doctors know which treatment is given",
            ["masking: None (Open Label)"],
            "trials where",
        ),
        ("do the patients and doctors know the results?", [], "do the patients and doctors know the results?"),
        (
            "which study is the kind where neither me nor the doctor knows what im getting",
            ["masking: Double or Triple or Quadruple"],
            "which study is the kind where",
        ),
        ("you and I and the doctor", [], "you and I and the doctor"),  # the asker named: no masking
    ],
)
def test_masking_in_lay_words(question: str, expected: list[str], rest: str) -> None:
    """Who is kept from knowing which treatment a patient gets: the masking, with what they know."""
    assert labels(question) == expected
    assert parse(question)[1] == rest


def test_a_clause_that_explains_a_fact_is_claimed_with_it() -> None:
    assert parse("triple-masked trials, i.e. nobody knows the arm: which?")[1] == ": which?"
    assert parse("randomised trials (meaning by chance) of cord cells")[1] == "of cord cells"
    assert parse("open-label trials, with cord cells")[1] == "trials, with cord cells"


def test_a_design_filter() -> None:
    assert [c.label for c in parse_filters("model:single_group model:parallel")] == [
        "design: Single group",
        "design: Parallel",
    ]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a Child-Pugh score of 11 - which trials?", ["Child-Pugh score: 11"]),
        ("CTP 6 pts eligible where?", ["Child-Pugh score: 6"]),
        ("child pugh class 9 patient", ["Child-Pugh score: 9"]),
        ("score of 10 on the Child-Turcotte-Pugh", ["Child-Pugh score: 10"]),
        ("Child-Pugh 7-9 trials", []),  # a range: a criterion to search
        ("CTP score 30", []),  # no such score
    ],
)
def test_a_patients_child_pugh_score(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Child-Pugh score of 10 or more required - which trials?", ["Child-Pugh score >= 10"]),
        ("trials requiring a CTP of at least 8", ["Child-Pugh score >= 8"]),
        ("Child-Pugh score under 9 only", ["Child-Pugh score < 9"]),
        ("CTP 9 or lower", ["Child-Pugh score <= 9"]),
    ],
)
def test_a_child_pugh_bound_a_trial_requires(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("sham-controlled studies?", ["placebo: yes"]),
        ("which trials give a palcebo", ["placebo: yes"]),
        ("a dummy injection for the treated", ["placebo: yes"]),
        ("scared of getting a 'fake' treatment", ["placebo: yes"]),
        ("control arm with no placebo", ["control arm: yes", "placebo: no"]),
        ("trials without a sham procedure", ["placebo: no"]),
        ("non-placebo comparator", ["placebo: no", "control arm: yes"]),
    ],
)
def test_placebo_misspelt_lay_and_denied(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what do the control groups get?", ["control arm: yes"]),
        ("trials whose comparator is usual care", ["control arm: yes"]),
        ("trials with no control arm", ["control arm: no"]),  # rewritten to "uncontrolled" first
        ("Which studies lack a concurrent control?", ["control arm: no"]),
        ("uncontrolled designs, i.e. no comparator/control arm at all?", ["control arm: no"]),
    ],
)
def test_a_control_arm_asks_for_trials_that_have_one(question: str, expected: list[str]) -> None:
    assert labels(vocabulary().rewrite(question)) == expected


def test_trials_whose_criteria_state_a_child_pugh_range() -> None:
    assert labels("which protocols have a childpugh cut-off?") == ["Child-Pugh score: stated"]
    assert labels("CTP criteria - which trials?") == ["Child-Pugh score: stated"]


def _asked(q: str) -> list[tuple[str, str, object, str]]:
    """As `ask` reads a question: lay words and number words rewritten first."""
    from index.text.numbers import words_to_digits

    cs, rest = parse(words_to_digits(vocabulary().rewrite(q)))
    return [(c.key, c.op, c.value, c.label) for c in cs] + [("rest", "", None, rest)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("f/u longer than 1 yr?", [("follow_up", ">", 365.25, "follow-up > 1 yr"), ("rest", "", None, "?")]),
        (
            "follow up >= 12 months, list",
            [("follow_up", ">=", 365.25, "follow-up >= 12 months"), ("rest", "", None, ", list")],
        ),
        (
            "which trials follow patients for at least two years?",
            [("follow_up", ">=", 730.5, "follow-up >= 2 years"), ("rest", "", None, "which trials ?")],
        ),
        ("104-week follow up", [("follow_up", "=", 728.0, "follow-up: 104 week"), ("rest", "", None, "")]),
        ("FU ≥ 12 mo", [("follow_up", ">=", 365.25, "follow-up >= 12 mo"), ("rest", "", None, "")]),
        (
            "long-term follow-up (>= 5 years)?",
            [("follow_up", ">=", 1826.25, "follow-up >= 5 years"), ("rest", "", None, "long-term ?")],
        ),
        (
            "studies with follow-up beyond 6 months",
            [("follow_up", ">", 182.625, "follow-up > 6 months"), ("rest", "", None, "studies with")],
        ),
        (
            "long term f/u 52+ wks",
            [("follow_up", ">=", 364.0, "follow-up >= 52 wks"), ("rest", "", None, "long term")],
        ),
        (
            "older than 65 with follow-up over 2 years",
            [
                ("age", ">", 65.0, "age > 65"),
                ("follow_up", ">", 730.5, "follow-up > 2 years"),
                ("rest", "", None, "with"),
            ],
        ),
    ],
)
def test_a_follow_up_length(question: str, expected: list[tuple[str, str, object, str]]) -> None:
    assert _asked(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which give cells more than once", [("dose_count", ">", 1, "number of doses > 1")]),
        ("repeat infusions (>1 dose) studies", [("dose_count", ">", 1, "number of doses > 1")]),
        ("Which protocols specify a multiple-dose regimen?", [("dose_count", ">", 1, "number of doses > 1")]),
        ("single infusion only", [("dose_count", "=", 1, "number of doses: 1")]),
        ("3 infusions", [("dose_count", "=", 3, "number of doses: 3")]),
        ("which trials infuse the cells twice", [("dose_count", "=", 2, "number of doses: 2")]),
        (
            "in which studies do you get the cells several times, not just a single shot",
            [("dose_count", ">", 1, "number of doses > 1")],
        ),
        (
            "which ones give repeat doses, not just a one-time shot?",
            [("dose_count", ">", 1, "number of doses > 1")],
        ),
        ("two or three MSC infusions", [("dose_count", "in", (2, 3), "number of doses: 2 or 3")]),
        ("fixed dose of 100 million cells per infusion?", []),
        ("which trials exclude people who got albumin in the last three weeks", []),
    ],
)
def test_a_number_of_doses(question: str, expected: list[tuple[str, str, object, str]]) -> None:
    assert _asked(question)[:-1] == expected


def test_follow_up_and_doses_filters() -> None:
    got = parse_filters(["follow_up>=12months doses>1", "followup<400"])
    assert [(c.key, c.op, c.value, c.label) for c in got] == [
        ("follow_up", ">=", 365.25, "follow-up >= 12months"),
        ("dose_count", ">", 1, "number of doses > 1"),
        ("follow_up", "<", 400.0, "follow-up < 400 days"),
    ]
    with pytest.raises(ValueError, match="cannot read filter 'doses>many'"):
        parse_filters("doses>many")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("single grp / no comparator study?", [("model", "=", "Single group"), ("control", "has", False)]),
        ("trials without a control group", [("control", "has", False)]),
        ("one where everyone gets the cells, no control arm", [("control", "has", False)]),
        ("which trials have a control arm", [("control", "has", True)]),  # a trial that has one
        ("single group assignment, no control", [("model", "=", "Single group"), ("control", "has", False)]),
    ],
)
def test_a_single_group_and_no_control_arm_are_two_facts(question: str, expected: list[tuple]) -> None:
    """A single group has no control arm; a trial of two experimental arms has none either."""
    assert [(c.key, c.op, c.value) for c in parse(question)[0]] == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which designs are at least single-blinded?", ["masking: Single or Double or Triple or Quadruple"]),
        ("double-blind or higher", ["masking: Double or Triple or Quadruple"]),
        ("In which trials are all pts aged 65 or under?", ["maximum age <= 65"]),
        ("only patients 60 or younger", ["maximum age <= 60"]),
    ],
)
def test_a_level_or_above_and_an_age_or_under(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Can you pull the trials that are still actively enrolling patients.", ["status: Recruiting"]),
        ("n over one hundred", ["enrollment > 100"]),
    ],
)
def test_lay_and_number_words_before_facts(question: str, expected: list[str]) -> None:
    assert [label for *_, label in _asked(question)[:-1]] == expected


@pytest.mark.parametrize(
    ("question", "expected", "rest"),
    [
        ("mum just turned 68, which trials is she not too old for", ["age: 68"], "mum , which trials is she for"),
        ("he'll be 70 next month, any trial for him?", ["age: 70"], "next month, any trial for him?"),
    ],
)
def test_an_age_someone_turned_and_not_too_old(question: str, expected: list[str], rest: str) -> None:
    found, left = parse(question)
    assert ([c.label for c in found], left) == (expected, rest)


def test_a_follow_up_of_about_a_length_is_near_that_length() -> None:
    assert labels("trials with follow-up of about 6 months") == ["follow-up: about 6 months"]
    assert labels("f/u ~26 wks") == ["follow-up: about 26 wks"]
    assert labels("Which only follow up to about 26 wks?") == ["follow-up <= 26 wks"]  # the bound
    assert labels("follow up to 6 months") == ["follow-up <= 6 months"]


@pytest.mark.parametrize(
    ("question", "expected", "value"),
    [
        ("Which trials enrol compensated cirrhosis, Child-Pugh class A?", ["Child-Pugh score: class A"], (5.0, 6.0)),
        ("which trials take Child-Pugh B patients?", ["Child-Pugh score: class B"], (7.0, 9.0)),
        ("CP-C pts?", ["Child-Pugh score: class C"], (10.0, 15.0)),
        ("which trials take Child-Pugh B or C", ["Child-Pugh score: class B or C"], (7.0, 15.0)),
        ("Child-Pugh grades b-c", ["Child-Pugh score: class B-C"], (7.0, 15.0)),
        ("Child-Pugh B with a score of 8, which trials?", ["Child-Pugh score: 8"], 8.0),  # the score, not the class
        ("a Child-Pugh a patient", [], None),  # a lower-case letter without "class" is a word
        ("Member is Child-Pugh B8. Which studies?", ["Child-Pugh score: 8"], 8.0),  # class and score run together
        ("child pugh class b, score 8 - which trials?", ["Child-Pugh score: 8"], 8.0),
        ("a Child B pt - which trials?", ["Child-Pugh score: class B"], (7.0, 9.0)),  # "Child B" alone is the class
        ("With a Child Pugh of 8 (class B), which studies?", ["Child-Pugh score: 8"], 8.0),  # the class of the score
        ("Which trials accept Child-Pugh class B patients scoring 7 or 8?", ["Child-Pugh score: 7"], 7.0),
    ],
)
def test_a_patients_child_pugh_class(question: str, expected: list[str], value: object) -> None:
    found = parse(question)[0]
    assert [c.label for c in found] == expected
    assert [c.value for c in found] == ([value] if expected else [])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which protocols cap the age at 65 or lower?", ["maximum age <= 65"]),
        ("which trials cap age at 65?", ["maximum age: 65"]),
        ("which trials have an upper age limit of 70 or higher", ["maximum age >= 70"]),
        ("our site population skews elderly (>65 yrs) - which protocols?", ["age > 65"]),
        ("pts ≥70 years accepted?", ["age >= 70"]),
        ("follow-up >10 years", ["follow-up > 10 years"]),  # a duration, not an age
        ("Member is 67 - which trials is she within the age range for?", ["age: 67"]),
        ("A member's son is only 19. Which studies would let him in?", ["age: 19"]),
        ("pt 62, HBV cirrhosis, CP 8", ["age: 62", "Child-Pugh score: 8"]),  # chart shorthand
        ("patient 58 F with HBV", ["age: 58"]),
        ("patient 12 was excluded", []),  # a patient's number, not an age
    ],
)
def test_age_bounds_in_other_words(question: str, expected: list[str]) -> None:
    assert labels(question) == expected


def test_a_clause_explaining_a_condition_is_the_condition() -> None:
    from index.text.vocabulary.concepts import concepts

    found, rest = parse(
        "which ones are for decompensated cirrhosis, where the liver's not coping and you get complications",
        concepts=concepts(),
    )
    assert [c.label for c in found] == ["condition: liver cirrhosis"]
    assert "coping" not in rest
    found, rest = parse("her liver failure and has stopped doing its job. Any study for that?", concepts=concepts())
    assert [c.label for c in found] == ["condition: liver failure"]
    assert "job" not in rest


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a placebo on one side of "or", another kind of control on the other: a control arm of either kind
        ("which studies have a comparison group that gets normal care or a placebo", ["control arm: yes"]),
        ("a control arm on placebo or standard care", ["control arm: yes"]),
        # a sham on the other side is a placebo still
        ("Which trials use a placebo or sham infusion for the control arm?", ["placebo: yes", "control arm: yes"]),
        ("a control group given a sham or a placebo", ["control arm: yes", "placebo: yes"]),
        ("placebo-controlled trials", ["placebo: yes"]),
        ("could dad be put in a group that doesn't get any stem cells at all?", ["control arm: yes"]),
        ("trials with an arm without cells", ["control arm: yes"]),
    ],
)
def test_a_placebo_as_one_kind_of_control(question: str, expected: list[str]) -> None:
    assert [c.label for c in parse(question)[0]] == expected
