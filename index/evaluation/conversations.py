"""Evaluation of conversation files (`dev_conversations.jsonl`): each line a conversation whose
``turns`` are questions in the dev-question format, asked in order in one conversation and
graded like questions. A list turn with ``min_recall``/``min_precision`` (conversations over a
large corpus, asked with k 100) is graded by recall and precision instead of "every gold
trial, no forbidden one"; trials in ``unsure`` do not count against precision."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from index.errors import TrialQAError
from index.evaluation.evaluate import KINDS, expected_in, json_lines

SCALE_K = 100  # a conversation marked "corpus": "scale" is asked with k 100 (`:k 100`)


@dataclass(frozen=True)
class TurnResult:
    conversation: str
    turn: int  # from 1
    kind: str
    question: str
    passed: bool
    scope: str | None  # how the conversation read the turn ("all", "previous", "trial")
    listed: tuple[str, ...]
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """The result as `trialqa eval --json` lists it (the conversation as ``id``)."""
        d = asdict(self)
        return {"id": d.pop("conversation"), **d, "listed": list(self.listed)}


@dataclass(frozen=True)
class ConversationReport:
    results: tuple[TurnResult, ...]
    skipped: tuple[str, ...] = ()  # conversations for another corpus

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def conversations_passed(self) -> int:
        ids = dict.fromkeys(r.conversation for r in self.results)
        return sum(all(r.passed for r in self.results if r.conversation == c) for c in ids)

    @property
    def conversations(self) -> int:
        return len({r.conversation for r in self.results})

    def by_turn(self) -> dict[int, tuple[int, int]]:
        """Passed and total per turn number: how well follow-ups (turn 2 on) do."""
        out: dict[int, tuple[int, int]] = {}
        for r in self.results:
            p, n = out.get(r.turn, (0, 0))
            out[r.turn] = (p + r.passed, n + 1)
        return dict(sorted(out.items()))


def is_conversation_file(path: Path) -> bool:
    """True when the file's first JSON line has ``turns``."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                try:
                    first = json.loads(line)
                except ValueError:
                    return False
                return isinstance(first, dict) and "turns" in first
    return False


def load_conversations(path: Path) -> list[dict[str, Any]]:
    out = []
    for n, c in json_lines(path):
        turns = c.get("turns") if isinstance(c, dict) else None
        if not isinstance(turns, list) or not turns:
            raise TrialQAError(f'{path}:{n}: a conversation needs "turns" (a list of questions)')
        for j, t in enumerate(turns, 1):
            if not isinstance(t, dict) or not isinstance(t.get("q"), str) or t.get("kind") not in KINDS:
                raise TrialQAError(f'{path}:{n} turn {j}: needs "q" and "kind" (list, lookup or none)')
        out.append(c)
    return out


def grade_turn(turn: dict[str, Any], answer: dict[str, Any]) -> tuple[bool, str]:
    """(passed, what went wrong) for one turn's `ask --json` object."""
    listed = [t["nct_id"] for t in answer.get("trials", [])]
    kind = turn["kind"]
    if kind == "list":
        return _grade_list(turn, listed)
    if kind == "lookup":
        first = answer["trials"][0] if answer.get("trials") else None
        snippet = first["citations"][0]["snippet"] if first and first.get("citations") else ""
        ok = bool(first and first["nct_id"] == turn["trial"] and expected_in(turn, snippet))
        return ok, "" if ok else f"first trial {first['nct_id'] if first else 'none'}, first snippet {snippet[:80]!r}"
    ok = bool(answer.get("no_answer"))
    return ok, "" if ok else f"listed {', '.join(listed)}"


def by_position(turn: dict[str, Any], shown: Sequence[str]) -> dict[str, Any]:
    """A lookup about "the first one" names its trial as ``"#1"`` (the first trial the latest
    list answer showed) with ``expect_by_trial``: the turn with that trial and its expectations."""
    trial = turn.get("trial")
    if not (isinstance(trial, str) and trial.startswith("#") and trial[1:].isdigit()):
        return turn
    n = int(trial[1:])
    resolved = shown[n - 1] if 0 < n <= len(shown) else f"(no trial {n} was shown)"
    return dict(turn, trial=resolved, expect=turn.get("expect_by_trial", {}).get(resolved, []))


def _grade_list(turn: dict[str, Any], listed: list[str]) -> tuple[bool, str]:
    gold, forbidden = set(turn.get("gold", [])), set(turn.get("forbidden", []))
    wrong = [x for x in listed if x in forbidden]
    wrong_part = f"forbidden {', '.join(wrong[:5])}{' ...' if len(wrong) > 5 else ''}" if wrong else ""
    if "min_recall" in turn:
        judged = [x for x in listed if x not in set(turn.get("unsure", []))]
        hit = len(gold & set(listed))
        recall = hit / len(gold) if gold else 1.0
        precision = hit / len(judged) if judged else (1.0 if not gold else 0.0)
        ok = recall >= turn["min_recall"] and precision >= turn.get("min_precision", 0.0) and not wrong
        detail = f"recall {recall:.2f} precision {precision:.2f} listed {len(listed)}"
        return ok, "; ".join(x for x in (detail, wrong_part) if x)
    missing = sorted(gold - set(listed))
    ok = not missing and not wrong
    return ok, "; ".join(x for x in (f"missing {', '.join(missing)}" if missing else "", wrong_part) if x)


def run_conversations(
    start: Callable[[], Callable[[str, int], dict[str, Any]]],
    conversations: Iterable[dict[str, Any]],
    corpus: str = "seeds",
) -> ConversationReport:
    """Ask each conversation of ``corpus`` ("seeds": those without a ``corpus`` key; "scale":
    those marked so, at k `SCALE_K`) through ``start()``, a fresh conversation's
    ``ask(question, k) -> ask --json object``; the others are listed as skipped."""
    results: list[TurnResult] = []
    skipped: list[str] = []
    for i, c in enumerate(conversations, 1):
        cid = str(c.get("id", i))
        if c.get("corpus", "seeds") != corpus:
            skipped.append(cid)
            continue
        ask = start()
        k = SCALE_K if corpus == "scale" else 10
        shown: tuple[str, ...] = ()  # the trials of the latest list answer, in order ("the first one")
        for j, turn in enumerate(c["turns"], 1):
            a = ask(turn["q"], k)
            ok, detail = grade_turn(by_position(turn, shown), a)
            listed = tuple(t["nct_id"] for t in a.get("trials", []))
            if turn["kind"] == "list":
                shown = listed
            scope = (a.get("context") or {}).get("scope")
            results.append(TurnResult(cid, j, turn["kind"], turn["q"], ok, scope, listed, detail))
    return ConversationReport(tuple(results), tuple(skipped))
