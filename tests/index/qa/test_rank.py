"""Term weights and trial ranking on the seed index."""

import math

from index import TrialIndex
from index.qa.rank import GENERIC_WEIGHT, Ranked, kind_heads, unmet, weight
from index.results import TrialAnswer


def test_term_weights(seed_index: TrialIndex) -> None:
    b = seed_index.backend
    n = b.n_chunks
    assert weight(b, ("hepat",), n) == b.idf("hepat") > 0
    assert weight(b, ("zzzunknown",), n) == math.log(n + 1)  # unknown terms weigh the most
    assert weight(b, ("hepat", "zzzunknown"), n) == b.idf("hepat")
    assert weight(b, ("patient",), n) == b.idf("patient") * GENERIC_WEIGHT
    assert weight(b, ("problem",), n) == b.idf("problem") * GENERIC_WEIGHT > 0  # "bleeding problems"
    assert weight(b, ("candid",), n) == b.idf("candid") * GENERIC_WEIGHT > 0  # "splenectomy candidates"
    assert weight(b, ("activ",), n) == b.idf("activ") * GENERIC_WEIGHT > 0  # "exclude active malignancy"
    assert weight(b, ("alon",), n) == math.log(n + 1) * GENERIC_WEIGHT  # "cells vs SOC alone": no record says it


def test_a_therapy_after_a_word_leaves_the_kind_to_that_word() -> None:
    # "autologous cell therapy": every cell trial gives a therapy, the kind is in the two words before
    groups = [("autolog",), ("cell",), ("therapi",)]
    assert kind_heads([3.0, 1.5, 4.0], groups, {(0, 1), (1, 2)}) == [3.0, 1.5, 4.0 * GENERIC_WEIGHT]
    # "cell therapy plus standard care", "6 mo therapy": the therapy itself is the need
    assert kind_heads([1.5, 4.0, 2.0], [("cell",), ("therapi",), ("plus",)], {(0, 1), (1, 2)}) == [1.5, 4.0, 2.0]
    assert kind_heads([2.0, 1.5, 4.0], [("d182",), ("cell",), ("therapi",)], {(0, 1), (1, 2)}) == [2.0, 1.5, 4.0]
    assert kind_heads([4.0, 2.0, 2.0], [("therapi",), ("bm",), ("cell",)], {(0, 1), (1, 2)}) == [4.0, 2.0, 2.0]


def test_a_qualified_cell_therapy_lists_only_trials_of_that_kind(seed_index: TrialIndex) -> None:
    a = seed_index.ask("which trials give an autologous cell therapy?")
    assert sorted(t.nct_id for t in a.trials) == ["NCT00713934", "NCT01724697"]


def test_a_trial_that_enrols_x_does_not_exclude_x_through_an_other_line(seed_index: TrialIndex) -> None:
    # Xijing enrols HBV-related cirrhosis and excludes "HIV or other viral hepatitis": not hepatitis B
    a = seed_index.ask("Which trial would turn a pt away just because she's hep B positive?")
    assert [t.nct_id for t in a.trials] == ["NCT00713934"]
    c = seed_index.ask("which trials exclude hepatitis C?")  # Xijing's "other" still covers what it does not enrol
    assert sorted(t.nct_id for t in c.trials) == ["NCT00713934", "NCT03209986", "NCT05106972"]


def test_an_abbreviation_no_record_writes_weighs_as_its_long_form(seed_index: TrialIndex) -> None:
    backend = seed_index._view()[0]
    n = backend.n_chunks
    assert weight(backend, ("pts",), n) == weight(backend, ("patient",), n)


def test_unmet_groups_are_those_no_candidate_covers() -> None:
    def r(nct: str, covered: set[int]) -> Ranked:
        return Ranked(TrialAnswer(nct, "", "", 0.0, ()), 0.0, 0.0, covered=frozenset(covered))

    assert unmet([r("NCT1", {0}), r("NCT2", {0, 2})], 4) == {1, 3}
    assert unmet([], 2) == {0, 1}


def test_a_sentence_that_says_what_the_trials_own_condition_is_says_what_its_patients_have(
    seed_index: TrialIndex,
) -> None:
    # Beijing 302 studies Liver Failure: "Liver failure (LF) is a dramatic clinical syndrome with massive necrosis
    # of liver cells" says what its patients have; other background ("Previous study showed ...") still does not
    a = seed_index.ask("which trial takes patients with massive necrosis of hepatocytes?")
    assert [t.nct_id for t in a.trials] == ["NCT01218464"]
    assert seed_index.ask("which trials show that bone marrow MSCs replace hepatocytes in injured liver?").no_answer
