"""Term weights and trial ranking on the seed index."""

import math

from index import TrialIndex
from index.qa.rank import GENERIC_WEIGHT, weight


def test_term_weights(seed_index: TrialIndex) -> None:
    b = seed_index.backend
    n = b.n_chunks
    assert weight(b, ("hepat",), n) == b.idf("hepat") > 0
    assert weight(b, ("zzzunknown",), n) == math.log(n + 1)  # unknown terms weigh the most
    assert weight(b, ("hepat", "zzzunknown"), n) == b.idf("hepat")
    assert weight(b, ("patient",), n) == b.idf("patient") * GENERIC_WEIGHT
    assert weight(b, ("problem",), n) == b.idf("problem") * GENERIC_WEIGHT > 0  # "bleeding problems"
    assert weight(b, ("candid",), n) == b.idf("candid") * GENERIC_WEIGHT > 0  # "splenectomy candidates"


def test_an_abbreviation_no_record_writes_weighs_as_its_long_form(seed_index: TrialIndex) -> None:
    backend = seed_index._view()[0]
    n = backend.n_chunks
    assert weight(backend, ("pts",), n) == weight(backend, ("patient",), n)
