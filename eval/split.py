"""Split the question and conversation files into a tuning half and a test half, by need.

Every wording of one information need goes to the same half, so tuning on one wording cannot
leak into the test half through another. The half is the parity of the first byte of
sha256(need): even -> tune, odd -> test. Conversations are split by their own id (their
"need"). Deterministic: re-running gives the same files.

    python3 eval/split.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {
    "seeds_questions.jsonl": ("seeds_tune.jsonl", "seeds_test.jsonl"),
    "scale_questions.jsonl": ("scale_tune.jsonl", "scale_test.jsonl"),
    "conversations.jsonl": ("conversations_tune.jsonl", "conversations_test.jsonl"),
    "fresh_questions.jsonl": ("fresh_tune.jsonl", "fresh_test.jsonl"),
    "clinician_questions.jsonl": ("clinician_tune.jsonl", "clinician_test.jsonl"),
    "lay_questions.jsonl": ("lay_tune.jsonl", "lay_test.jsonl"),
    "coordinator_questions.jsonl": ("coordinator_tune.jsonl", "coordinator_test.jsonl"),
    "analyst_questions.jsonl": ("analyst_tune.jsonl", "analyst_test.jsonl"),
    "nurse_questions.jsonl": ("nurse_tune.jsonl", "nurse_test.jsonl"),
    "regulatory_questions.jsonl": ("regulatory_tune.jsonl", "regulatory_test.jsonl"),
    "pharmacist_questions.jsonl": ("pharmacist_tune.jsonl", "pharmacist_test.jsonl"),
    "searcher_questions.jsonl": ("searcher_tune.jsonl", "searcher_test.jsonl"),
    "fellow_questions.jsonl": ("fellow_tune.jsonl", "fellow_test.jsonl"),
    "journalist_questions.jsonl": ("journalist_tune.jsonl", "journalist_test.jsonl"),
    "esl_questions.jsonl": ("esl_tune.jsonl", "esl_test.jsonl"),
    "methodologist_questions.jsonl": ("methodologist_tune.jsonl", "methodologist_test.jsonl"),
    "caregiver_questions.jsonl": ("caregiver_tune.jsonl", "caregiver_test.jsonl"),
    "gp_questions.jsonl": ("gp_tune.jsonl", "gp_test.jsonl"),
    "student_questions.jsonl": ("student_tune.jsonl", "student_test.jsonl"),
    "cra_questions.jsonl": ("cra_tune.jsonl", "cra_test.jsonl"),
    "advocate_questions.jsonl": ("advocate_tune.jsonl", "advocate_test.jsonl"),
    "irb_questions.jsonl": ("irb_tune.jsonl", "irb_test.jsonl"),
    "payer_questions.jsonl": ("payer_tune.jsonl", "payer_test.jsonl"),
    "transplant_questions.jsonl": ("transplant_tune.jsonl", "transplant_test.jsonl"),
    "forum_questions.jsonl": ("forum_tune.jsonl", "forum_test.jsonl"),
    "safety_questions.jsonl": ("safety_tune.jsonl", "safety_test.jsonl"),
    "daughter_questions.jsonl": ("daughter_tune.jsonl", "daughter_test.jsonl"),
    "writer_questions.jsonl": ("writer_tune.jsonl", "writer_test.jsonl"),
    "voice_questions.jsonl": ("voice_tune.jsonl", "voice_test.jsonl"),
    "hta_questions.jsonl": ("hta_tune.jsonl", "hta_test.jsonl"),
    "volunteer_questions.jsonl": ("volunteer_tune.jsonl", "volunteer_test.jsonl"),
    "librarian_questions.jsonl": ("librarian_tune.jsonl", "librarian_test.jsonl"),
    "bizdev_questions.jsonl": ("bizdev_tune.jsonl", "bizdev_test.jsonl"),
    "retiree_questions.jsonl": ("retiree_tune.jsonl", "retiree_test.jsonl"),
    "statistician_questions.jsonl": ("statistician_tune.jsonl", "statistician_test.jsonl"),
    "msl_questions.jsonl": ("msl_tune.jsonl", "msl_test.jsonl"),
    "tester_questions.jsonl": ("tester_tune.jsonl", "tester_test.jsonl"),
    "radiologist_questions.jsonl": ("radiologist_tune.jsonl", "radiologist_test.jsonl"),
    "paraphrase_questions.jsonl": ("paraphrase_tune.jsonl", "paraphrase_test.jsonl"),
    "grandchild_questions.jsonl": ("grandchild_tune.jsonl", "grandchild_test.jsonl"),
}


def half(need: str) -> str:
    return "tune" if hashlib.sha256(need.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def main() -> None:
    for src, (tune_name, test_name) in FILES.items():
        lines = [ln for ln in (HERE / src).read_text(encoding="utf-8").splitlines() if ln.strip()]
        out: dict[str, list[str]] = {"tune": [], "test": []}
        for ln in lines:
            d = json.loads(ln)
            out[half(d.get("need") or d["id"])].append(ln)
        (HERE / tune_name).write_text("".join(x + "\n" for x in out["tune"]), encoding="utf-8")
        (HERE / test_name).write_text("".join(x + "\n" for x in out["test"]), encoding="utf-8")
        print(f"{src}: {len(out['tune'])} tune, {len(out['test'])} test")


if __name__ == "__main__":
    main()
