"""Check a question file over the seeds (default eval/fresh_questions.jsonl) against the seed pages in corpus/.

- every NCT ID named is one of the five seeds (found in a page of corpus/);
- a list question's gold and forbidden sets are disjoint;
- a lookup's `expect` strings all occur in one line of its trial's page (case-sensitive, as graded);
- every line has id, need, group, type; ids are unique.

    python3 eval/fresh_check.py [FILE]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {"listing", "criteria", "number", "lookup", "honest_lookup", "unsupported"}


def pages() -> dict[str, str]:
    out = {}
    for p in sorted((ROOT / "corpus").iterdir()):
        text = p.read_text(encoding="utf-8")
        for nct in set(re.findall(r"NCT\d{8}", text)):
            out[nct] = text
    return out


def main() -> int:
    by_nct = pages()
    errs = []
    seen = set()
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "eval/fresh_questions.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, ln in enumerate(lines, 1):
        d = json.loads(ln)
        where = f"line {i} ({d.get('id')})"
        for key in ("id", "need", "group", "type", "kind", "q"):
            if not d.get(key):
                errs.append(f"{where}: no {key}")
        if d.get("group") not in GROUPS:
            errs.append(f"{where}: group {d.get('group')!r}")
        if d["id"] in seen:
            errs.append(f"{where}: duplicate id")
        seen.add(d["id"])
        if d["kind"] == "list":
            gold, forb = set(d["gold"]), set(d["forbidden"])
            if not gold or gold & forb:
                errs.append(f"{where}: empty gold or gold & forbidden")
            errs += [f"{where}: {x} is not a seed" for x in gold | forb if x not in by_nct]
        elif d["kind"] == "lookup":
            page = by_nct.get(d["trial"])
            if page is None:
                errs.append(f"{where}: {d['trial']} is not a seed")
            else:
                for way in [d["expect"], *d.get("expect_any", [])]:
                    if not any(all(e in line for e in way) for line in page.splitlines()):
                        errs.append(f"{where}: {way} not in one line of {d['trial']}'s page")
        elif d["kind"] != "none":
            errs.append(f"{where}: kind {d['kind']!r}")
    needs = {json.loads(x)["need"] for x in lines}
    print("\n".join(errs) if errs else f"ok: {len(lines)} questions, {len(needs)} needs")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
