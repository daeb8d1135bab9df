"""Evidence scoring on hand-made sentences: which query terms a sentence covers, its
coverage, and a trial's support from up to three sentences."""

import pytest

from index.qa.evidence import Candidate, arm_description, sentence_candidates, support
from index.qa.phrases import Phrase
from index.qa.value_kinds import home_section
from index.results import Citation, Hit
from index.text.chunk import Chunk

TEXT = "The cells were infused through the hepatic artery. Patients were followed for 24 weeks."
CHUNK = Chunk("NCT00000001", "arms", "Arm: MSC", TEXT, "t.txt", None, 100, 100 + len(TEXT))
HIT = Hit(CHUNK, row=7, score=0.9, bm25=3.0, dense=0.6, bm25_part=0.5, dense_part=0.4)
GROUPS = [("hepat",), ("arteri",), ("infus",), ("week",)]
WEIGHTS = [2.0, 1.0, 1.0, 4.0]


def test_each_sentence_scored_against_the_terms() -> None:
    first, second = sentence_candidates(HIT, GROUPS, WEIGHTS, atype=None)
    assert (first.covered, first.coverage, first.own) == (frozenset({0, 1, 2}), 0.5, 0.5)
    assert (second.covered, second.coverage, second.own) == (frozenset({3}), 0.5, 0.5)
    c = first.citation
    assert (c.snippet, c.section, c.name, c.start, c.end) == (
        "The cells were infused through the hepatic artery.",
        "Arm: MSC",
        "arms",
        100,
        150,
    )
    assert [c.snippet[a:b] for a, b in c.highlights] == ["infused", "hepatic", "artery"]
    assert (first.nct_id, first.row, first.fused, first.typed) == ("NCT00000001", 7, 0.9, False)


@pytest.mark.parametrize(
    ("sentence", "covered"),
    [
        ("Liver biopsy showing histological cirrhosis, grade B or C.", frozenset({0, 1})),  # liver; a lone B
        ("Hepatitis B and C related liver cirrhosis.", frozenset({0, 1, 2})),
        ("HBV-related liver cirrhosis.", frozenset({0, 1, 2})),  # the vocabulary reads HBV
        ("Cirrhosis due to hepatitis, class B.", frozenset({0, 1})),  # B beside "class", not hepatitis
    ],
)
def test_a_single_letter_counts_only_beside_the_word_it_qualifies(sentence: str, covered: frozenset[int]) -> None:
    chunk = Chunk(
        "NCT00000001", "eligibility_inclusion", "Inclusion Criteria", sentence, "t.txt", None, 0, len(sentence)
    )
    groups, links = [("hepat",), ("cirrhosi",), ("b",)], {(0, 2), (1, 2)}  # "hepatitis B cirrhosis"
    (cand,) = sentence_candidates(Hit(chunk, 0, 0.5, 0, 0, 0, 0), groups, [1.0, 1.0, 1.0], None, None, links)
    assert cand.covered == covered


def test_heading_words_count_but_not_as_the_sentence_s_own() -> None:
    (cand, _) = sentence_candidates(HIT, [("hepat",), ("msc",)], [1.0, 1.0], atype=None)
    assert (cand.coverage, cand.own) == (1.0, 0.5)


def test_a_lookup_marks_sentences_with_the_value_asked_for() -> None:
    typed = [c.typed for c in sentence_candidates(HIT, GROUPS, WEIGHTS, atype="age")]
    assert typed == [False, False]
    dose = Chunk("NCT00000001", "arms", "Arm", "Each patient gets 1x10^6 cells/kg.", "t.txt", None, 0, 34)
    (cand,) = sentence_candidates(Hit(dose, 0, 0.5, 0, 0, 0, 0), [("dose",)], [1.0], atype="dose")
    assert cand.typed


def test_abbreviations_the_trial_defines_count_as_their_long_form() -> None:
    chunk = Chunk("NCT00000001", "arms", "Arm", "HA infusion of cells.", "t.txt", None, 0, 21)
    (cand,) = sentence_candidates(
        Hit(chunk, 0, 0.5, 0, 0, 0, 0), GROUPS[:3], [1.0, 1.0, 1.0], None, {"ha": {"hepat", "arteri"}}
    )
    assert cand.covered == frozenset({0, 1, 2})


def _cand(
    row: int, covered: set[int], weights: list[float], section: str = "Arms", own: float | None = None
) -> Candidate:
    cov = sum(weights[i] for i in covered) / sum(weights)
    cit = Citation(section, "arms", f"sentence {row} {sorted(covered)}", "t.txt", None, 0, 1)
    return Candidate("NCT00000001", row, frozenset(covered), cov, False, 0.5, cit, cov if own is None else own)


def test_support_adds_what_more_sentences_cover_at_a_discount() -> None:
    w = [2.0, 1.0, 1.0]
    best, other, far = _cand(1, {0}, w), _cand(1, {1}, w), _cand(2, {2}, w)
    value, top, chosen = support([other, far, best], w, across_sections=False)
    assert (value, top, chosen) == (pytest.approx(0.5 + 0.25 * 0.7), 0.5, [best, other])
    value, top, chosen = support([other, far, best], w, across_sections=True)
    assert (value, top, chosen) == (pytest.approx(0.5 + 0.25 * 0.7 + 0.25 * 0.7), 0.5, [best, other, far])


def test_a_phrase_word_counts_only_with_its_partner() -> None:
    w = [1.0, 1.0, 1.0]
    # term 1 ("liver") is linked to term 2 ("failure"), which the best sentence covers: a
    # sentence with "liver" alone adds nothing
    best, half = _cand(1, {0, 2}, w), _cand(1, {1}, w)
    value, _, chosen = support([best, half], w, False, links={(1, 2)})
    assert (value, chosen) == (pytest.approx(2 / 3), [best])
    lonely = _cand(1, {1}, w)
    value, _, chosen = support([_cand(1, {0}, w), lonely], w, False, links={(1, 2)})
    assert (value, chosen) == (pytest.approx(1 / 3 + 0.7 / 3), [_cand(1, {0}, w), lonely])


def test_equally_good_sentences_of_other_sections_are_cited_too() -> None:
    w = [1.0]
    a, b = _cand(1, {0}, w, "Arms"), _cand(2, {0}, w, "Description")
    c = _cand(3, {0}, w, "Title", own=0.0)  # only through its heading: not cited
    assert support([a, b, c], w, False) == (1.0, 1.0, [a, b])


def test_no_candidates_no_support() -> None:
    assert support([], [1.0], False) == (0.0, 0.0, [])


def _typed(atype: str, text: str, section: str = "arms") -> list[int]:
    chunk = Chunk("NCT00000001", section, "Heading", text, "t.txt", None, 0, len(text))
    return [c.typed for c in sentence_candidates(Hit(chunk, 0, 0.5, 0, 0, 0, 0), [("x",)], [1.0], atype=atype)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("atype", "text", "section", "tiers"),
    [
        # a dose is an amount of cells or drug, not a volume of marrow, nor "about 5 million" people
        (
            "dose",
            "Give 2x10^7 cells per kg. Marrow (50 ml) is drawn. About 5 million people have it.",
            "arms",
            [2, 0, 0],
        ),
        ("dose", "Patients get 40 mg daily. CD34+ cells are selected.", "arms", [2, 0]),
        # a schedule names the weeks or days; a number of times says less
        ("schedule", "Cells are given on day 1, 15 and 29. Cells are given twice. Cells are given.", "arms", [2, 1, 0]),
        ("schedule", "One injection every 4 weeks. Patients are followed up every week.", "arms", [2, 0]),
        ("schedule", "ALT over 3 times normal. Prednisone 10 mg daily.", "eligibility_exclusion", [0, 0]),  # criteria
        ("dose", "Prednisone over 10 mg daily.", "eligibility_exclusion", [0]),
        # follow-up against treatment time; an age is no duration
        ("followup", "Patients are followed for 12 months. Treatment lasts 6 weeks. Aged 20 years.", "arms", [2, 0, 0]),
        ("followup", "Change in bilirubin from baseline to 48 weeks", "outcomes_secondary", [1]),  # a time frame
        ("duration", "Patients are followed for 12 months. Treatment lasts 6 weeks.", "arms", [1, 2]),
        ("source", "Marrow is aspirated from the posterior iliac crest. Cells are thawed.", "description", [2, 0]),
        # a count: patients numbered anywhere, or the enrolment
        ("count", "Forty subjects are split: 30 patients get cells and 10 patients get saline.", "description", [2]),
        ("count", "90", "enrollment", [2]),
        ("count", "Patients get cells on day 0.", "arms", [0]),
        # how many each arm has: two counts of patients, or one in groups, before the enrolment's total
        (
            "split",
            "50 LF patients received MSCs as the treated group and other 20 LF patients got placebo.",
            "description",
            [2],
        ),
        ("split", "200 participants in 2 patient groups", "arms", [2]),
        ("split", "70 estimated patients", "enrollment", [1]),
        ("split", "All 70 patients received routine care.", "description", [0]),
        # a start date is a date, not the status
        ("when", "Recruiting", "status", [0]),
        ("when", "March 2021", "dates", [1]),
        ("contact", "Jane Roe, MD", "contacts", [1]),
        ("contact", "Loading...", "contacts", [0]),
        ("outcome", "Change in bilirubin at 6 months", "outcomes_primary", [2]),
        ("outcome", "Changes from baseline to 48 weeks", "outcomes_primary", [1]),  # its time frame
        ("outcome", "The primary endpoint is survival. Survival was poor.", "description", [1, 0]),
        # an age range where the trial takes people is plainer than where it turns them away
        ("age", "Aged between 20 and 60", "eligibility_inclusion", [2]),
        ("age", "Be less than 20 years old or more than 60 years old", "eligibility_exclusion", [1]),
        # a phase or a masking in its own field is plainer than in prose
        ("phase", "Not Applicable", "phase", [2]),
        ("phase", "This is a phase 2 study. It is safe.", "description", [1, 0]),
        ("masking", "Single Blind", "design", [2]),
        # a duration the criteria ask of patients is read only in the criteria
        ("entry_duration", "Cirrhosis with a course of more than 5 years", "eligibility_inclusion", [2]),
        ("entry_duration", "Changes from baseline to 72 weeks", "outcomes_primary", [0]),
        ("masking", "This study is an open-label randomized study.", "description", [1]),
    ],
)
def test_typed_sentences_by_how_plainly_they_state_the_value(
    atype: str, text: str, section: str, tiers: list[int]
) -> None:
    assert _typed(atype, text, section) == tiers


def test_an_enrolment_is_the_home_of_a_count() -> None:
    assert home_section("count", "enrollment") and not home_section("count", "design")
    assert not home_section(None, "enrollment")


def test_an_arm_label_answers_with_the_arm_description() -> None:
    text = "saline arm\nPlacebo Comparator group\nDescription:\nSaline infusion at week 0.\nTreatment:\nDrug: saline"
    chunk = Chunk("NCT00000001", "arms", "2 groups", text, "t.txt", None, 0, len(text))
    cands = sentence_candidates(Hit(chunk, 3, 0.5, 0, 0, 0, 0), [("salin",)], [1.0], atype=None)
    snippets = [c.citation.snippet for c in cands]
    title, kind = cands[snippets.index("saline arm")], cands[snippets.index("Placebo Comparator group")]
    for label in (title, kind):
        described = arm_description(label, cands)
        assert described is not None and described.citation.snippet == "Saline infusion at week 0."
    assert arm_description(cands[-1], cands) is None


@pytest.mark.parametrize(
    ("sentence", "covered"),
    [
        ("Cells are injected via portal vein under sonography monitoring.", frozenset({0, 1, 2})),
        ("stem cell transplantation via peripheral vein", frozenset({2})),  # a peripheral vein is no portal vein
        ("portal hypertension", frozenset()),
    ],
)
def test_a_phrase_counts_whole_or_by_its_words_that_are_terms(sentence: str, covered: frozenset[int]) -> None:
    chunk = Chunk("NCT00000001", "arms", "Arm", sentence, "t.txt", None, 0, len(sentence))
    groups = [("portal",), ("vein",), ("cell",)]
    phrases = [Phrase(frozenset({0, 1}))]
    (cand,) = sentence_candidates(Hit(chunk, 0, 0.5, 0, 0, 0, 0), groups, [1.0, 1.0, 1.0], None, None, (), phrases)
    assert cand.covered == covered
