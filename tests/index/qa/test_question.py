"""Reading a question: its kind and mode, the value a lookup wants, its terms, and k."""

import pytest

from index.errors import BadQuestion
from index.qa.question import (
    MAX_K,
    answer_type,
    asks_a_value,
    check_k,
    drop,
    fact_search_terms,
    is_yes_no,
    naming_phrase,
    question_kind,
    question_mode,
    search_terms,
    type_words,
    unmarked,
)


@pytest.mark.parametrize(
    ("question", "kind", "mode"),
    [
        ("which trials use the hepatic artery?", "list", "list"),
        ("List trials in China", "list", "list"),
        ("are there trials of adipose cells?", "list", "list"),
        ("what trials enrol children?", "list", "list"),
        ("What dose does the Xijing trial give?", "lookup", "lookup"),
        ("how many patients did the Royan trial enroll?", "lookup", "lookup"),
        ("Where is the Haikou trial?", "lookup", "lookup"),
        ("confused/encephalopathic cirrhotics not eligible - where?", "list", "list"),  # in which trials
        ("bad clotting numbers = excluded where", "list", "list"),
        ("Royan trial - where?", "lookup", "lookup"),
        ("Where are hep C pts ineligible?", "list", "list"),  # in which trials a criterion holds
        ("Is HE an exclusion anywhere?", "list", "list"),
        ("can we still sign him up to any or are they all closed", "list", "list"),
        ("would dad keep taking his antivirals in any of these", "list", "list"),
        ("Where is the Royan trial excluding HIV?", "lookup", "lookup"),  # names one trial
        ("hepatic artery", "list", "list"),
        ("How many trials are recruiting?", "list", "count"),
        ("how many of the studies are randomized", "list", "count"),
        ("Compare the cell doses", "list", "compare"),
        ("tabulate the phases", "list", "compare"),
        ("the kidney transplant study - what dose?", "lookup", "lookup"),
        ("Oslo adipose trial, age limits?", "lookup", "lookup"),
        ("exclusion criteria of the knee cartilage one", "lookup", "lookup"),
        ("in the pediatric trial how long is follow-up", "lookup", "lookup"),
        ("which clinic runs the knee cartilage study", "lookup", "lookup"),
        ("which knee trials run in Oslo", "list", "list"),
        ("placebo-controlled trial?", "list", "list"),
        ("a trial with a placebo arm", "list", "list"),
        # asks which trials, however it starts
        ("can my mum get the cells through a vein, which trials do it that way", "list", "list"),
        ("I'm 68 - what studies would take me?", "list", "list"),
        ("can my mum join the Xijing trial?", "lookup", "lookup"),
        ("how is it given - which studies use a vein?", "list", "list"),
        # "anyone" / "anybody" after a yes-no verb asks which trials
        ("Is anyone measuring bilirubin?", "list", "list"),
        ("has anybody tried cord cells", "list", "list"),
        ("Is the Royan trial measuring bilirubin?", "lookup", "lookup"),
        ("Whose eligibility criteria rule out hepatitis C infection?", "list", "list"),
        ("who's tracking TBil as a study outcome?", "list", "list"),
        ("who is running the Royan trial?", "lookup", "lookup"),  # its sponsor
    ],
)
def test_kind_and_mode(question: str, kind: str, mode: str) -> None:
    assert question_kind(question) == kind
    assert question_mode(question) == mode


@pytest.mark.parametrize(
    ("question", "atype"),
    [
        ("What dose does the Xijing trial give?", "dose"),
        ("how many cells are infused", "dose"),
        ("How many patients did the Royan trial enroll?", "count"),
        ("what ages does it accept", "age"),
        ("where is it run", "where"),
        ("where is the marrow taken from", "source"),  # a place in the body, not where the trial runs
        ("from which bone do they harvest the cells", "source"),
        ("where are the cells injected", "route"),
        ("which sites take part", "where"),
        ("when did it start", "when"),
        ("who sponsors it", "sponsor"),
        ("who pays for the study", "sponsor"),
        ("who is running it", "sponsor"),
        ("how are the cells administered", "route"),
        ("by what route is it given", "route"),
        ("is it still recruiting?", "status"),
        ("what is its status", "status"),
        ("what is the primary outcome", "outcome"),
        ("how long are patients followed up", "followup"),
        ("follow-up length in months?", "followup"),
        ("how long is f/u", "followup"),  # the vocabulary's abbreviation
        ("f/u duration?", "followup"),
        ("what is the follow-up schedule", "followup"),
        ("when are the follow-up visits", "followup"),
        ("for how many weeks is the drug taken", "duration"),
        ("at which weeks are the injections", "schedule"),
        ("when are the doses given", "schedule"),
        ("when do the volunteers get their injections", "schedule"),
        ("when did enrolment begin", "when"),
        ("dosing interval?", "schedule"),
        ("what is the injection timetable", None),
        ("how frequently are cells injected", "schedule"),
        ("number of MSCs given", "dose"),
        ("email address of the study coordinator", "phone"),  # a name alone does not answer it
        ("phone number to refer a pt to the Beijing 302 trial?", "phone"),
        ("who is the contact for that trial?", "contact"),
        ("How many BMSCs per kilogram do they infuse?", "dose"),
        ("how long would my pt be committed to the 302 Hospital trial?", "followup"),
        ("who is the principal investigator", "investigator"),  # a person among the contacts, not a sponsor
        ("who is the PI of the Xijing trial?", "investigator"),
        ("Air Force study - which blood vessel is used for the transplant?", "route"),
        ("is there a doctor's name to get in tuch with?", "contact"),
        ("who do we call about the Haikou trial", "contact"),
        ("what clinic runs it", "where"),
        ("in which country do they run it", "place"),
        ("total N at the end?", "count"),
        ("what is the target sample", "count"),
        ("how many cases are in each arm", "split"),
        ("n per arm in the Beijing 302 study?", "split"),
        ("Royan n?", "count"),
        ("any trials in Iran?", None),  # an "n" only inside a word
        ("what will tell them whether the cells helped", "outcome"),
        ("what do they measure at the end", "outcome"),
        ("what is the sample size", "count"),
        ("what does the title say", None),
        ("N for NCT00713934?", "count"),
        ("how are the 70 participants split between MSC and placebo", "split"),
        ("tx vs ctrl numbers?", "split"),
        ("how long is f/u in the Beijing study", "followup"),
        ("how long is FU in the Beijing 302 UC-MSC trial", "followup"),
        ("302 hosp randomisation split (MSC:placebo n)", "split"),
        ("Haikou primary endpoint & timepoint - fibrosis?", "outcome"),  # when an outcome is measured
        ("what time points are the infusions given at", "schedule"),
        ("Royan BM-MNC vs CD133 trial, final N?", "count"),  # "vs" inside a trial's name
        ("what is the post-infusion follow-up schedule", "followup"),
        ("how often are patients reviewed after the infusion", "followup"),
        ("ph for NCT05106972?", "phase"),
        ("which phase is it in", "phase"),
        ("what development phase is the Haikou trial in?", "phase"),
        ("Xijing - blinded or not?", "masking"),
        ("is it open-label", "masking"),
        ("Did NCT00713934 show improvement in liver function after the cells?", "results"),
        ("what were the results of the Royan trial?", "results"),
        ("Has the Royan study published any results?", "results"),
        ("Did the patients in the Royan trial actually get better?", "results"),
        ("have the Haikou trial's findings been published yet?", "results"),
        ("does the Royan trial measure liver function?", None),
        ("Royan trial results - did MELD improve after the cells?", "results"),
        ("302 liver failure trial - what's the msc source", "source"),
        ("cell source for Royan?", "source"),
        ("When is the Ishak fibrosis score assessed in the Haikou study?", "outcome"),
        ("Asia Stem Cell UC-MSC study first posted / start", "when"),
        ("Does the Haikou trial assess fibrosis histologically, and at what time point?", "outcome"),  # not dosing
        ("PLA trial for hep b cirrhosis - where do they inject the stem cells", "route"),  # "where" after a dash
        ("xijing hospital stem cell trial, is it like a million cells per kg or what", "dose"),
        ("in the royan trial where on your body do they take the bone marrow from", "source"),
        ("how much marrow do they suck out of you in the royan study", "source"),
        ("NCT01218464 how many years of check ups is it", "followup"),
        ("Over what period are the Haikou participants assessed?", "followup"),
        ("where would i have to travel to for the royan institute trial", "place"),  # not the institute
        ("How many MSC infusions in the Xijing study and how far apart?", "doses"),  # "how far apart": no place
        ("The Royan study says completed - what did it find? Did the cells help?", "results"),
        ("what did they find in the CD133 bone marrow study", "results"),
        ("what side effects did people have in the Xijing trial", "results"),
        ("in the Xijing one how many people had bad reactions to the cells", "results"),
        ("For NCT01724697, where exactly do the stem cells go in?", "route"),
        ("How does the Air Force study get the marrow cells into the patient - IV or IA?", "route"),
        ("for the liver failure study in beijing, are the cells from umbilical cords or from marrow", "source"),
        ("beijing 302 liver failure study, how many years do they keep checkin on you", "followup"),
        ("After the Royan procedure, how often do they see you in the first weeks?", "followup"),
        ("How many times would dad get the cells in the Air Force trial - just once or several?", "doses"),
        ("how many times are patients seen in the Royan trial", None),  # the visits, not the doses
        ("What Child-Pugh score does the Haikou study require?", "child_pugh"),
        ("n= for NCT00713934?", "count"),
        ("What is the comparator in NCT03209986?", "control"),
        ("what does the control group get in the Beijing 302 trial?", "control"),
        ("How many in the control group of the Beijing trial?", None),  # a number, not what they get
        ("What accrual did the Royan Institute CD133 portal-vein trial reach?", "count"),
        ("At which wks are MSCs administered in NCT03209986?", "schedule"),
        ("in the Xijing hospital study when do patients get their stem cell infusions", "schedule"),
        ("until when are patients in NCT01218464 observed?", "followup"),
        ("NCT01218464 total observation period per participant?", "followup"),
        ("NCT03209986 source tissue of the MSCs?", "source"),
        ("NCT00713934 bone marrow volume collected", "source"),
        ("Royan study - how do they collect the marrow?", "source"),
        ("Which primary efficacy measure does the Air Force study use?", "outcome"),
        ("What was the allocation ratio between the CD133+ and BM-MNC arms?", "split"),
        ("could you tell me where exactly the cells are put in?", "route"),
        ("Which organisation runs the randomised study of BMSCs via the hepatic artery?", "sponsor"),
        ("Royan trial Child-Pugh cutoff?", "child_pugh"),
        ("NCT01724697: how many BMSCs are given to each patient?", "dose"),
        ("how do I call professor wang about the liver failure study whats his number", "phone"),
        ("how many patients, whats the number", "count"),
    ],
)
def test_answer_type(question: str, atype: str | None) -> None:
    assert answer_type(question) == atype


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("302 hosp randomisation split (MSC:placebo n)", True),
        ("tx vs ctrl numbers in NCT01218464?", True),
        ("chinese sites?", True),  # a lookup only when it names one trial (it names none: trials are listed)
        ("which trials use a placebo?", False),
        ("placebo trials - arm sizes", False),
        ("open label?", True),
    ],
)
def test_a_question_that_asks_a_value_without_a_list_word(question: str, expected: bool) -> None:
    assert asks_a_value(question) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Xijing Child Pugh cutoff", True),
        ("xijing child-pugh seven or more", True),
        ("trials in China", False),
        ("any trials in Beijing?", False),
        ("which study is double-blind?", False),
    ],
)
def test_search_box_words_no_wording_marks(question: str, expected: bool) -> None:
    assert unmarked(question) is expected


def test_check_k() -> None:
    assert MAX_K == 100
    assert check_k(1) == 1 and check_k(100) == 100
    for bad in (0, 101, -3, True, 2.5, "10", None):
        with pytest.raises(BadQuestion, match="k must be a whole number from 1 to 100"):
            check_k(bad)


def test_terms_without_the_framing_verb() -> None:
    assert search_terms("which trials test stem cells in liver failure?") == (
        [("stem",), ("cell",), ("liver",), ("failur",)],
        {(0, 1), (2, 3)},
    )
    assert search_terms("which trials count cirrhosis complications as an outcome") == (
        [("cirrhosi",), ("complic",), ("outcom",)],
        {(0, 1)},
    )
    assert search_terms("which trials report a cell count") == ([("cell",), ("count",)], {(0, 1)})  # a noun stays
    # "accept" and "patients" frame a fact question; "liver failure" is what to search
    assert fact_search_terms("Which trials accept patients with liver failure") == (
        [("liver",), ("failur",)],
        {(0, 1)},
    )


def test_drop_renumbers_phrase_links() -> None:
    groups = [("a",), ("b",), ("c",), ("d",)]
    assert drop(groups, {(0, 1), (2, 3)}, {0}) == ([("b",), ("c",), ("d",)], {(1, 2)})
    assert drop(groups, {(0, 1)}, set()) == (groups, {(0, 1)})


def test_type_words() -> None:
    assert type_words("route") >= {"rout", "deliv", "administ"}
    assert type_words("count") >= {"mani", "peopl", "plan", "sampl"}
    assert type_words("where") >= {"locat", "hospit", "site"}
    assert type_words("who") == frozenset() and type_words(None) == frozenset()


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("what dose does the knee cartilage study use?", "knee cartilage study"),
        ("exclusion criteria of the Oslo adipose one", "Oslo adipose one"),
        ("kidney transplant trial - how many patients?", "kidney transplant trial"),
        ("Oslo adipose trial, age limits?", "Oslo adipose trial"),
        ("contact for the Hospital of Rare Diseases MSC study?", "Hospital of Rare Diseases MSC study"),
        ("kidney transplant trial?", None),  # no break after it: "is there a kidney transplant trial?"
        ("is there a kidney trial", None),
        ("which trial uses the knee?", None),
        ("which trials use cartilage", None),
        ("what dose does each trial give", None),
        ("How many subjects were in the CD133 / BM-MNC portal vein study?", "CD133 / BM-MNC portal vein study"),
        ("what is the dose / route of the trial", None),  # a slash between two asks, not in a name
    ],
)
def test_naming_phrase(question: str, phrase: str | None) -> None:
    assert naming_phrase(question) == phrase


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("is the Oslo trial randomised?", True),
        ("Does the knee study use a placebo", True),
        ("Oslo trial placebo-controlled?", True),
        ("Oslo knee trial - dose per kg?", False),
        ("in the Oslo trial how many get the placebo", False),
        ("what weeks are the cells given in the Oslo trial", False),
    ],
)
def test_is_yes_no(question: str, yes_no: bool) -> None:
    assert is_yes_no(question) is yes_no


def test_only_a_question_is_read_again_without_its_idle_words() -> None:
    from index.qa.question import is_asked

    assert is_asked("which trials exclude HIV positive patients")
    assert is_asked("HIV positive excluded?")
    assert not is_asked("*hepatic* _artery_ click here")  # keywords, e.g. a Slack link's label
    # after a story, or dictated without a break or a question mark
    assert is_asked("he is foggy from his liver, it is encephalopathy. which trials won't take him")
    assert is_asked("my dad gets confused from his liver which trials would turn him down for that")


def test_w_slash_is_with() -> None:
    # "w/" says "with", a stopword; "w/o" still says "without"
    assert search_terms("trials w/ hepatic artery", listing=True)[0] == [("hepat",), ("arteri",)]
    assert search_terms("trials w/o placebo", listing=True)[0] == [("without",), ("placebo",)]
