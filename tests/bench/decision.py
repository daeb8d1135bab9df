"""Calibrate the listing decision by meaning on the TUNING half of a question set.

For every list and "none" question the index answers with a trace of each candidate trial's
features (`index.qa.support.Features`: support, best sentence coverage, cosine of its best
sentences, and the question's best of both): a gold trial is a positive, a forbidden one (or
any trial of a "none" question) a negative, the rest are not judged. This sweeps the
decision's weights and threshold (`index.qa.support.Decision`), prints the precision/recall
curve of the best setting and the chosen point (most questions right, then precision, then
the simplest), and what the sentence embeddings cost::

    python -m tests.bench.decision eval/seeds_tune.jsonl eval/scale_tune.jsonl@/work/scale/index \
        [--keep ../shared/eval/dev_questions.jsonl]

``FILE@INDEX`` asks that file's questions of another index (the seeds plus the study-fields
records for the scale questions); a question with ``min_recall`` / ``min_precision`` is right
when its recall and precision reach them (a listed trial neither gold nor "unsure" is wrong),
as `eval/grade.py` grades it.

Only settings that keep every ``--keep`` question right (the dev questions) and the answers the
test suite asserts (`KEEP`) are chosen from.

Never run it on a test half: the test half is reported, not tuned on.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from index import TrialIndex
from index.qa.support import Decision, Features


@dataclass
class Traced:
    qid: str
    kind: str
    gold: set[str]
    forbidden: set[str]
    rows: list[tuple[str, Features]] = field(default_factory=list)
    unsure: set[str] = field(default_factory=set)
    min_recall: float | None = None  # graded by recall and precision (scale questions)
    min_precision: float | None = None


def collect(ix: TrialIndex, questions: list[dict]) -> tuple[list[Traced], dict[str, float]]:
    """Ask each list / none question once, recording every candidate's features."""
    out: list[Traced] = []
    scorer = ix.scorer(ix.encoder)
    ix.ask("warm up")
    t_total, enc0 = 0.0, scorer.encoded
    for q in questions:
        if q["kind"] not in ("list", "none"):
            continue
        tr = Traced(str(q["id"]), q["kind"], set(q.get("gold", [])), set(q.get("forbidden", [])))
        tr.unsure, tr.min_recall, tr.min_precision = (
            set(q.get("unsure", [])),
            q.get("min_recall"),
            q.get("min_precision"),
        )
        from index.qa.ask import ask as ask_fn

        t0 = time.perf_counter()
        backend, identity, encoder = ix._view()
        ask_fn(
            backend,
            lambda text, e=encoder: e.encode([text])[0],
            identity,
            q["q"],
            k=10,
            fusion=ix.fusion,
            scorer=scorer,
            trace=lambda nct, f, tr=tr: tr.rows.append((nct, f)),
        )
        t_total += time.perf_counter() - t0
        out.append(tr)
    cost = {"questions": len(out), "ms_per_question": 1000 * t_total / max(len(out), 1)}
    cost["sentences_encoded_per_question"] = (scorer.encoded - enc0) / max(len(out), 1)
    return out, cost


def evaluate(traced: list[Traced], d: Decision) -> tuple[float, float, int]:
    """(precision, recall, questions right) of decision ``d`` over the traced candidates."""
    tp = fp = fn = 0
    right = 0
    for t in traced:
        listed = {n for n, f in t.rows if d.lists(f)}
        neg = {n for n, _ in t.rows} if t.kind == "none" else set(t.forbidden)
        if t.min_precision is not None:  # a complete gold set: any other listed trial is wrong
            neg |= {n for n, _ in t.rows} - t.gold - t.unsure
        tp += len(listed & t.gold)
        fn += len(t.gold - listed)
        fp += len(listed & neg)
        if t.kind == "none":
            right += not listed
        elif t.min_recall is not None and t.min_precision is not None:
            hit = len(listed & t.gold)
            judged = len(listed - t.unsure)
            right += hit >= t.min_recall * len(t.gold) and hit >= t.min_precision * judged and not listed & t.forbidden
        else:
            right += t.gold <= listed and not listed & neg
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, right


# Answers the test suite asserts that a listing decision decides (tests/reliability/test_bad_input.py:
# a Slack mention whose link label is left as words).
KEEP = [{"id": "slack-link-label", "kind": "none", "q": "*hepatic* _artery_ click here"}]
THRESHOLDS = [round(0.3 + 0.025 * i, 3) for i in range(37)]  # 0.3 .. 1.2
SEMANTIC = [0.0, 0.25, 0.5, 1.0, 2.0]
RELATIVE = [0.0, 0.25, 0.5, 1.0]
MIN_BEST = [0.0, 0.25, 0.5]


def sweep(
    traced: list[Traced], keep: list[Traced] | None = None
) -> tuple[Decision, list[tuple[Decision, float, float, int]], int]:
    rows, kept = [], {}
    for w, rel, mb, th in itertools.product(SEMANTIC, RELATIVE, MIN_BEST, THRESHOLDS):
        d = Decision(relative=rel, semantic=w, threshold=th, min_best=mb)
        p, r, right = evaluate(traced, d)
        rows.append((d, p, r, right))
        kept[d] = evaluate(keep, d)[2] if keep else 0
    best = max(rows, key=lambda x: (kept[x[0]], x[3], x[1], x[2], -x[0].semantic, -x[0].relative))
    return best[0], rows, kept[best[0]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="question files, FILE or FILE@INDEX_DIR")
    ap.add_argument("--index", type=Path, default=None)
    ap.add_argument("--keep", type=Path, action="append", default=[], help="questions every setting must keep right")
    ap.add_argument("--json", type=Path, default=None, help="also write the curve and the choice here")
    a = ap.parse_args()
    if any("test" in Path(f.split("@")[0]).name for f in a.files):
        raise SystemExit("calibrate on the tuning half only (a file named *test* was given)")
    ix = TrialIndex.load(a.index)
    traced, cost = [], {}
    for spec in a.files:
        name, _, where = spec.partition("@")
        qs = [json.loads(x) for x in Path(name).read_text(encoding="utf-8").splitlines() if x.strip()]
        t, c = collect(TrialIndex.load(Path(where)) if where else ix, qs)
        traced += t
        cost = cost or c  # the cost on the first file's index
    kept = KEEP + [json.loads(x) for f in a.keep for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    keep, _ = collect(ix, kept)
    chosen, rows, n_kept = sweep(traced, keep)
    n = len(traced)
    print(
        f"{n} list/none questions; cost {cost['ms_per_question']:.0f} ms/question, "
        f"{cost['sentences_encoded_per_question']:.1f} sentences encoded/question (first pass, cold cache)"
    )
    for w in SEMANTIC:
        best_w = max((x for x in rows if x[0].semantic == w), key=lambda x: (x[3], x[1]))
        d, p, r, right = best_w
        print(
            f"semantic {w:<4}: best {right}/{n} right at threshold {d.threshold} relative {d.relative} "
            f"min_best {d.min_best} (precision {p:.3f}, recall {r:.3f})"
        )
    same = (chosen.semantic, chosen.relative, chosen.min_best)
    print(f"\ncurve (semantic, relative, min_best = {same}):  threshold  precision  recall  right")
    curve = [x for x in rows if (x[0].semantic, x[0].relative, x[0].min_best) == same]
    for d, p, r, right in curve:
        mark = "  <- chosen" if d == chosen else ""
        print(f"  {d.threshold:5.3f}  {p:.3f}  {r:.3f}  {right}/{n}{mark}")
    print(f"\nchosen: {chosen}  (keeps {n_kept}/{len(keep)} list/none --keep questions right, the most any does)")
    if a.json:
        a.json.write_text(
            json.dumps(
                {
                    "chosen": chosen.__dict__,
                    "cost": cost,
                    "curve": [
                        {"threshold": d.threshold, "precision": p, "recall": r, "right": right}
                        for d, p, r, right in curve
                    ],
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
