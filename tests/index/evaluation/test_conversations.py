"""index.evaluation.conversations: reading conversation files and the `eval --json` row of a turn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import TrialQAError
from index.evaluation.conversations import TurnResult, load_conversations


def test_load_conversations_names_the_line_and_turn_at_fault(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    good = {"id": "c1", "turns": [{"q": "which trials use the hepatic artery?", "kind": "list"}]}
    path.write_text(json.dumps(good) + "\n\n" + json.dumps({"turns": [{"q": "x", "kind": "?"}]}) + "\n", "utf-8")
    with pytest.raises(TrialQAError, match=r'c\.jsonl:3 turn 1: needs "q" and "kind" \(list, lookup or none\)$'):
        load_conversations(path)
    path.write_text("{oops\n", encoding="utf-8")
    with pytest.raises(TrialQAError, match=r"c\.jsonl:1: not JSON"):
        load_conversations(path)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert load_conversations(path) == [good]


def test_a_turn_result_as_eval_json_lists_it() -> None:
    r = TurnResult("c1", 2, "lookup", "and it?", True, "trial", ("NCT01724697",), "")
    assert json.dumps(r.to_dict()) == (
        '{"id": "c1", "turn": 2, "kind": "lookup", "question": "and it?", "passed": true, '
        '"scope": "trial", "listed": ["NCT01724697"], "detail": ""}'
    )


def test_a_lookup_by_position_names_the_trial_the_latest_list_showed() -> None:
    from index.evaluation.conversations import by_position

    turn = {"kind": "lookup", "q": "and the second?", "trial": "#2", "expect_by_trial": {"NCT2": ["70"]}}
    assert by_position(turn, ("NCT1", "NCT2"))["trial"] == "NCT2"
    assert by_position(turn, ("NCT1", "NCT2"))["expect"] == ["70"]
    assert by_position(turn, ("NCT1",))["trial"] == "(no trial 2 was shown)"
    plain = {"kind": "lookup", "q": "q", "trial": "NCT9", "expect": ["x"]}
    assert by_position(plain, ("NCT1",)) is plain


def test_a_lookup_passes_with_any_of_the_ways_a_page_states_it() -> None:
    from index.evaluation.conversations import grade_turn

    turn = {"kind": "lookup", "trial": "NCT01218464", "expect": ["followed until 2 years"], "expect_any": [["2-year"]]}

    def answer(snippet: str) -> dict:
        return {"trials": [{"nct_id": "NCT01218464", "citations": [{"snippet": snippet}]}]}

    assert grade_turn(turn, answer("Participants will then be followed until 2 years study visit"))[0]
    assert grade_turn(turn, answer("During the 2-year follow up, the evaluation ..."))[0]
    assert grade_turn(turn, answer("a dose of MSC from day 0")) == (
        False,
        "first trial NCT01218464, first snippet 'a dose of MSC from day 0'",
    )
