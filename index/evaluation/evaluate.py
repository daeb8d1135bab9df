"""Evaluation: dev-question files (list / lookup / none) and BEIR retrieval benchmarks."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import TrialQAError
from index.retrieval.bm25 import BM25, BM25Params
from index.retrieval.embed import SentenceTransformerEncoder
from index.retrieval.fusion import FusionParams, fuse
from index.text.tokenize import tokenize

KINDS = frozenset({"list", "lookup", "none"})  # the kinds of a dev question


@dataclass(frozen=True)
class QuestionResult:
    id: str
    kind: str
    question: str
    passed: bool
    listed: tuple[str, ...]
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """The result as `trialqa eval --json` lists it."""
        return {**asdict(self), "listed": list(self.listed)}


@dataclass(frozen=True)
class DevReport:
    results: tuple[QuestionResult, ...]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for r in self.results:
            p, n = out.get(r.kind, (0, 0))
            out[r.kind] = (p + r.passed, n + 1)
        return out


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, JSON value) for each non-blank line of a JSON Lines file; `TrialQAError`
    naming the line when one is not JSON."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except ValueError as exc:
            raise TrialQAError(f"{path}:{n}: not JSON ({exc})") from None


def load_questions(path: Path) -> list[dict[str, Any]]:
    out = []
    for n, q in json_lines(path):
        if not isinstance(q, dict) or "q" not in q or q.get("kind") not in KINDS:
            raise TrialQAError(f'{path}:{n}: needs "q" and "kind" (list, lookup or none)')
        out.append(q)
    return out


def expected_in(q: dict[str, Any], snippet: str) -> bool:
    """A lookup's first citation holds every ``expect`` string, or every string of one of the
    lists in ``expect_any`` (a page may state the value in two lines)."""
    ways = [q.get("expect", []), *q.get("expect_any", [])]
    return any(all(e in snippet for e in way) for way in ways)


def run_dev(ask: Callable[[str], Any], questions: list[dict[str, Any]]) -> DevReport:
    results = []
    for i, q in enumerate(questions):
        a = ask(q["q"])
        listed = tuple(t.nct_id for t in a.trials)
        kind = q["kind"]
        if kind == "list":
            missing = [g for g in q.get("gold", []) if g not in listed]
            wrong = [f for f in q.get("forbidden", []) if f in listed]
            ok = not missing and not wrong
            detail = "; ".join(
                x
                for x in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"forbidden {', '.join(wrong)}" if wrong else "",
                )
                if x
            )
        elif kind == "lookup":
            first = a.trials[0] if a.trials else None
            ok = bool(
                first and first.nct_id == q["trial"] and first.citations and expected_in(q, first.citations[0].snippet)
            )
            detail = (
                ""
                if ok
                else (
                    f"first trial {first.nct_id if first else 'none'}, first snippet "
                    f"{first.citations[0].snippet[:80] if first and first.citations else '-'!r}"
                )
            )
        else:
            ok = bool(a.no_answer)
            detail = "" if ok else f"listed {', '.join(listed)}"
        results.append(QuestionResult(str(q.get("id", i + 1)), kind, q["q"], ok, listed, detail))
    return DevReport(tuple(results))


# --- BEIR -----------------------------------------------------------------------------


@dataclass
class BeirData:
    ids: list[str]
    texts: list[str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)


def load_beir(folder: Path, split: str = "test") -> BeirData:
    ids, texts = [], []
    with (folder / "corpus.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            ids.append(str(d["_id"]))
            texts.append(f"{d.get('title', '')} {d.get('text', '')}".strip())
    queries = {}
    with (folder / "queries.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            queries[str(d["_id"])] = d["text"]
    qrels: dict[str, dict[str, int]] = {}
    for n, line in enumerate((folder / "qrels" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if n == 0 and not parts[-1].strip().lstrip("-").isdigit():
            continue
        qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return BeirData(ids, texts, queries, qrels)


def ndcg_at(ranked: list[str], rel: dict[str, int], k: int = 10) -> float:
    dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], rel: dict[str, int], k: int = 100) -> float:
    good = {d for d, r in rel.items() if r > 0}
    return len(good & set(ranked[:k])) / len(good) if good else 0.0


def beir_vectors(
    data: BeirData, model: str, cache_dir: Path, progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """Document vectors, cached on disk by (model, corpus content)."""
    h = hashlib.sha256(model.encode())
    for t in data.texts:
        h.update(t.encode("utf-8") + b"\0")
    path = cache_dir / f"beir-{h.hexdigest()[:16]}.npy"
    if path.is_file():
        return np.load(path)
    enc = SentenceTransformerEncoder(model)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], len(data.texts))

    vecs = enc.encode(data.texts, progress=step)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vecs)
    tmp.replace(path)
    return vecs


def run_beir(
    data: BeirData,
    model: str,
    cache_dir: Path,
    fusions: dict[str, FusionParams],
    bm25: BM25Params | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, dict[str, float]]:
    """nDCG@10 and recall@100 for BM25, dense and each fusion."""
    scorer = BM25.fit([tokenize(t) for t in data.texts], bm25 or BM25Params())
    vecs = beir_vectors(data, model, cache_dir, progress)
    enc = SentenceTransformerEncoder(model)
    qids = [q for q in data.qrels if q in data.queries]
    qvecs = enc.encode([data.queries[q] for q in qids])
    runs: dict[str, list[list[str]]] = {"bm25": [], "dense": [], **{name: [] for name in fusions}}
    pool = 100
    for qi, qid in enumerate(qids):
        toks = tokenize(data.queries[qid])
        lex_all = scorer.scores(toks)
        base = sum(c * scorer.const[t] for t, c in scorer.query_vector(toks))
        lex_all = lex_all - base
        den_all = vecs @ qvecs[qi]
        lex_top = np.argsort(-lex_all, kind="stable")[:pool]
        den_top = np.argsort(-den_all, kind="stable")[:pool]
        runs["bm25"].append([data.ids[i] for i in lex_top])
        runs["dense"].append([data.ids[i] for i in den_top])
        cand = np.unique(np.concatenate([lex_top, den_top]))
        for name, fp in fusions.items():
            fused, _, _ = fuse(lex_all[cand], den_all[cand], fp)
            order = cand[np.argsort(-fused, kind="stable")]
            runs[name].append([data.ids[i] for i in order])
    out = {}
    for name, ranked in runs.items():
        rels = [data.qrels[q] for q in qids]
        out[name] = {
            "ndcg@10": float(np.mean([ndcg_at(r, g) for r, g in zip(ranked, rels, strict=True)])),
            "recall@100": float(np.mean([recall_at(r, g) for r, g in zip(ranked, rels, strict=True)])),
        }
    return out
