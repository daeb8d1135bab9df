"""Grade a question file through `trialqa ask --json -k K [--index DIR] -`, or validate a file.

    python3 eval/grade.py eval/scale_test.jsonl --index /work/scale/index -k 100
    python3 eval/grade.py eval/seeds_test.jsonl                 # default index, k 10
    python3 eval/grade.py --validate --strict eval/*.jsonl      # check the JSON only

Grading (the rules of `trialqa eval`, plus recall/precision for scale questions):
- list: every gold trial listed and no forbidden one; when the question has `min_recall` /
  `min_precision`, instead recall = |gold & listed| / |gold| >= min_recall, precision =
  |gold & listed| / |listed - unsure| >= min_precision, and no forbidden trial listed.
- lookup: the first trial listed is `trial` and its first citation contains every `expect`.
- none: the answer is `no_answer`.
All questions go to one `trialqa ask -` process (one index load). Exit status 1 if any fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

NCT = re.compile(r"^NCT\d{8}$")
KINDS = {"list", "lookup", "none"}


def load(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def check_question(q: dict, where: str, strict: bool, in_conversation: bool = False) -> list[str]:
    errs = []
    kind = q.get("kind")
    if kind not in KINDS:
        errs.append(f"{where}: kind {kind!r}")
    if not isinstance(q.get("q"), str) or not q["q"].strip() or "\n" in q["q"]:
        errs.append(f"{where}: q must be a one-line string")
    if strict and not in_conversation:
        for key in ("id", "need", "type"):
            if not q.get(key):
                errs.append(f"{where}: no {key}")
    ids = []
    if kind == "list":
        ids = q.get("gold", []) + q.get("forbidden", []) + q.get("unsure", [])
        if set(q.get("gold", [])) & set(q.get("forbidden", [])):
            errs.append(f"{where}: a trial is both gold and forbidden")
        if ("min_recall" in q) != ("min_precision" in q):
            errs.append(f"{where}: min_recall and min_precision go together")
    elif kind == "lookup":
        trial = q.get("trial", "")
        if re.match(r"^#\d+$", trial):
            by = q.get("expect_by_trial")
            if not isinstance(by, dict) or not by:
                errs.append(f"{where}: a ranked lookup needs expect_by_trial")
            else:
                ids = list(by)
        else:
            ids = [trial]
            if not isinstance(q.get("expect"), list) or not q["expect"]:
                errs.append(f"{where}: lookup needs expect strings")
    errs += [f"{where}: bad NCT ID {x!r}" for x in ids if not NCT.match(str(x))]
    return errs


def validate(path: Path, strict: bool) -> list[str]:
    errs = []
    seen = set()
    for i, d in enumerate(load(path), 1):
        where = f"{path.name}:{i}"
        if d.get("id") in seen:
            errs.append(f"{where}: duplicate id {d.get('id')}")
        seen.add(d.get("id"))
        if "turns" in d:
            if not d.get("id") or not (2 <= len(d["turns"]) <= 4) or (strict and not d.get("need")):
                errs.append(f"{where}: a conversation needs an id{', a need' if strict else ''} and 2-4 turns")
            for j, t in enumerate(d["turns"], 1):
                errs += check_question(t, f"{where} turn {j}", strict, in_conversation=True)
        else:
            errs += check_question(d, where, strict)
    return errs


def grade(q: dict, a: dict) -> tuple[bool, str]:
    """(passed, what went wrong): the rules `trialqa eval` applies (`index.evaluation.conversations`)."""
    from index.evaluation.conversations import grade_turn

    return grade_turn(q, a)


def ask_all(questions: list[str], trialqa: str, index: str | None, k: int) -> list[dict]:
    cmd = [trialqa, "ask", "--json", "-k", str(k)] + (["--index", index] if index else []) + ["-"]
    proc = subprocess.run(cmd, input="\n".join(questions) + "\n", capture_output=True, text=True, env=os.environ)
    if proc.returncode not in (0,):
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    answers = [json.loads(ln) for ln in proc.stdout.splitlines() if ln.strip()]
    if len(answers) != len(questions):
        raise SystemExit(f"asked {len(questions)} questions, got {len(answers)} answers")
    return answers


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--index")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--trialqa", default=str(Path(__file__).resolve().parent.parent / ".venv/bin/trialqa"))
    p.add_argument("--validate", action="store_true", help="only check the files' JSON")
    p.add_argument("--strict", action="store_true", help="with --validate: every line needs need and type")
    p.add_argument("--json", action="store_true", help="one result object per question")
    args = p.parse_args()
    if args.validate:
        errs = [e for f in args.files for e in validate(f, args.strict)]
        print("\n".join(errs) if errs else f"ok: {', '.join(str(f) for f in args.files)}")
        return 1 if errs else 0
    failed = 0
    for f in args.files:
        qs = [q for q in load(f) if "turns" not in q]
        answers = ask_all([q["q"] for q in qs], args.trialqa, args.index, args.k)
        by_kind: dict[str, list[int]] = {}
        for q, a in zip(qs, answers, strict=True):
            ok, detail = grade(q, a)
            failed += not ok
            by_kind.setdefault(q["kind"], [0, 0])
            by_kind[q["kind"]][0] += ok
            by_kind[q["kind"]][1] += 1
            if args.json:
                print(
                    json.dumps(
                        {
                            "id": q["id"],
                            "kind": q["kind"],
                            "type": q.get("type"),
                            "need": q.get("need"),
                            "passed": ok,
                            "detail": detail,
                        }
                    )
                )
            else:
                print(
                    f"{'PASS' if ok else 'FAIL'} {q['id']:<5} {q['kind']:<7} {q['q']}"
                    + (f"\n      {detail}" if detail and (not ok or "recall" in detail) else "")
                )
        if not args.json:
            total = sum(v[1] for v in by_kind.values())
            passed = sum(v[0] for v in by_kind.values())
            kinds = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in by_kind.items())
            print(f"{f}: {passed}/{total} passed ({kinds})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
