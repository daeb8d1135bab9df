"""Misspelt question words read as the records write them, and only those."""

import pytest

from index import TrialIndex
from index.qa.spelling import correct, correction, joined
from index.text.tokenize import _stem

RECORDS = {
    _stem(w): 2.0
    for w in ["exclude", "pregnant", "marrow", "control", "encephalopathy", "trials", "trail", "peripheral", "phase"]
}
ENGLISH = frozenset(["older", "allows", "nothing", "qualify", "exclude", "pregnant"])


def idf(token: str) -> float:
    return RECORDS.get(token, 0.0)


@pytest.mark.parametrize(
    ("word", "fixed"),
    [
        ("exlude", "exclude"),  # a letter left out
        ("excldue", "exclude"),  # two swapped
        ("pregant", "pregnant"),
        ("Marow", "Marrow"),  # the capital stays
        ("contol", "control"),
        ("encephalopaty", "encephalopathy"),
        ("periferal", "peripheral"),  # spelt as it sounds: f for ph
        ("Periferal", "Peripheral"),
        ("fase", None),  # never the first letter
        ("older", None),  # an English word the records lack
        ("qualifies", None),  # ... of the same stem as one ("qualify")
        ("nothing", None),
        ("exl", None),  # too short to tell
        ("xclude", None),  # never the first letter
        ("diabetes", None),  # no record's word is near
        ("wich", "which"),  # one edit from the word a question asks with
        ("Whcih", "Which"),
        ("whch", "which"),
    ],
)
def test_correction(word: str, fixed: str | None) -> None:
    assert correction(word, idf, ENGLISH) == fixed


def test_a_question_is_corrected_word_by_word_and_never_without_english_words() -> None:
    q = "which trials exlude pregant women, HCV or ALT>2?"
    assert correct(q, idf, ENGLISH) == "which trials exclude pregnant women, HCV or ALT>2?"
    assert correct(q, idf) == q


def test_misspelt_questions_are_answered_as_asked(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trials exlude hepatic encephalopaty?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT05106972"]
    assert a.question == "which trials exlude hepatic encephalopaty?"  # shown as asked


def test_a_list_word_with_two_letters_swapped_is_the_list_word_though_english_knows_it() -> None:
    records = {_stem(w): 2.0 for w in ["marrow", "trials", "study"]}

    def rare(token: str) -> float:
        return records.get(token, 0.0)

    english = frozenset(["trails", "trail", "stuides"])
    assert correction("trails", rare, english) == "trials"
    assert correction("Trail", rare, english) == "Trial"
    assert correction("stuides", rare, english) == "studies"
    assert correction("trials", rare, english) is None
    assert correction("trail", lambda t: 2.0, english) is None  # the records write "trail"
    assert correct("which trails use bone marow?", rare, english) == ("which trials use bone marrow?")
    # spelt as it sounds ("studys"), though the records have the stem: the list word
    assert correction("studys", lambda t: 2.0, english) == "studies"
    assert correction("Studys", rare, english) == "Studies"


def test_a_question_with_a_swapped_list_word_lists_as_asked(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trails take cells from the bone marrow?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT01724697"]


def test_a_question_spelt_as_it_sounds_lists_as_asked(seed_index: TrialIndex) -> None:
    a = seed_index.ask("stem cell infusion thru periferal vein, which studys doing this")
    assert sorted(t.nct_id for t in a.trials) == ["NCT01218464", "NCT03209986", "NCT05106972"]


def test_a_word_dictation_split_in_two_is_joined() -> None:
    records = {_stem(w): 2.0 for w in ["autologous", "marrow", "hepatocellular", "stem", "cells"]}

    def rare(token: str) -> float:
        return records.get(token, 0.0)

    english = frozenset(["auto", "hepato", "cellular", "bone", "use", "which", "stem", "cells"])
    assert joined("which use auto logous bone marrow", rare, english) == "which use autologous bone marrow"
    assert joined("hepato cellular carcinoma", rare, english) == "hepato cellular carcinoma"  # both known
    assert joined("mesen kimal stem cells", rare, english) == "mesenkimal stem cells"  # the vocabulary's
    assert joined("stem cells", rare, english) == "stem cells"
    assert correct("um auto logous cells", rare, english) == "um autologous cells"


def test_a_dictated_question_lists_as_asked(seed_index: TrialIndex) -> None:
    a = seed_index.ask("okay so um which studies use auto logous bone marrow stem sells")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT01724697"]
