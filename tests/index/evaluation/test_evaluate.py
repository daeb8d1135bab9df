"""index.evaluation.evaluate: reading dev-question files and the `eval --json` row of a result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import TrialQAError
from index.evaluation.evaluate import QuestionResult, expected_in, json_lines, load_questions


def test_json_lines_skips_blank_lines_and_names_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"a": 1}\n\n  \n[2]\nnot json\n', encoding="utf-8")
    lines = json_lines(path)
    assert [next(lines), next(lines)] == [(1, {"a": 1}), (4, [2])]
    with pytest.raises(TrialQAError, match=r"q\.jsonl:5: not JSON \(Expecting value"):
        next(lines)


def test_load_questions_needs_a_question_and_a_known_kind(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    good = {"id": "x", "q": "which trials use the hepatic artery?", "kind": "list", "gold": ["NCT01724697"]}
    path.write_text(json.dumps(good) + "\n" + json.dumps({"q": "?", "kind": "yes/no"}) + "\n", encoding="utf-8")
    with pytest.raises(TrialQAError, match=r'q\.jsonl:2: needs "q" and "kind" \(list, lookup or none\)$'):
        load_questions(path)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert load_questions(path) == [good]


def test_a_question_result_as_eval_json_lists_it() -> None:
    r = QuestionResult("7", "list", "q?", False, ("NCT01724697",), "missing NCT00000001")
    assert json.dumps(r.to_dict()) == (
        '{"id": "7", "kind": "list", "question": "q?", "passed": false, '
        '"listed": ["NCT01724697"], "detail": "missing NCT00000001"}'
    )


def test_a_lookup_passes_on_its_expect_strings_or_on_one_list_of_expect_any() -> None:
    q = {"expect": ["followed until 2 years"], "expect_any": [["2-year", "follow up"]]}
    assert expected_in(q, "patients will be followed until 2 years study visit")
    assert expected_in(q, "During the 2-year follow up, the evaluation")
    assert not expected_in(q, "During the 2-year period")
    assert not expected_in({"expect": ["Recruiting"]}, "RECRUITING")
