"""index.results: the `ask --json` object is exactly the documented shape."""

from __future__ import annotations

import json

from index.results import Answer, Citation, CompareRow, TrialAnswer

CITE = Citation("Ages", "eligibility", "18 to 75 years old", "corpus/x.txt", None, 5, 23, ((0, 2),))
TRIAL = TrialAnswer("NCT00713934", "Title", "https://clinicaltrials.gov/study/NCT00713934", 0.123456, (CITE,), 0.9)


def test_a_text_answer_has_exactly_the_public_keys() -> None:
    a = Answer("q?", (TRIAL,), False)
    assert json.dumps(a.to_dict()) == json.dumps(
        {
            "question": "q?",
            "no_answer": False,
            "trials": [
                {
                    "nct_id": "NCT00713934",
                    "title": "Title",
                    "url": "https://clinicaltrials.gov/study/NCT00713934",
                    "score": 0.1235,
                    "citations": [
                        {
                            "section": "Ages",
                            "snippet": "18 to 75 years old",
                            "source": "corpus/x.txt",
                            "field": None,
                            "start": 5,
                            "end": 23,
                        }
                    ],
                }
            ],
        }
    )


def test_fact_fields_serialise_in_order_only_when_set() -> None:
    none = Answer("q?", (), True, message="No trial in the corpus supports this.")
    assert list(none.to_dict()) == ["question", "no_answer", "trials", "message"]
    count = Answer("q?", (TRIAL,), False, kind="count", constraints=("age > 65",), left_out=1, count=1)
    assert list(count.to_dict().items())[3:] == [("constraints", ["age > 65"]), ("left_out", 1), ("count", 1)]
    row = CompareRow("NCT00713934", "Title", "1x10E6 MSCs/kg", CITE)
    compare = Answer(
        "q?", (TRIAL,), False, kind="compare", constraints=(), left_out=0, table=(row,), compared="dose", not_stated=2
    )
    d = compare.to_dict()
    assert list(d)[3:] == ["constraints", "left_out", "table", "compared", "not_stated"]
    assert d["table"] == [
        {"nct_id": "NCT00713934", "title": "Title", "value": "1x10E6 MSCs/kg", "citation": CITE.to_dict()}
    ]
    assert CompareRow("N", "T", "v", None).to_dict()["citation"] is None
