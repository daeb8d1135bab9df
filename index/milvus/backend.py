"""`MilvusBackend`: the `SearchBackend` over an index stored in Milvus (`index.milvus.writer`).

BM25 is scored by Milvus over the stored weights (sparse inner product with the query's term
counts) and then, for the chunks it returns, recomputed in float64 in the embedded backend's
order of terms, so scores are bit-identical to `EmbeddedBackend`'s. Dense candidates come
from Milvus's vector index and are rescored exactly from the stored vectors. Chunks, trials
and facts are fetched when first read and kept; structured filters run inside Milvus
(`filter_trials`), so a fact question fetches the facts of the matching trials only."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import IndexCorrupt
from index.facts.constraint import Constraint
from index.milvus.client import Collections, query_all, require
from index.milvus.filters import EVERY, both, clause
from index.milvus.records import CHUNK_FIELDS, RecordTrials, chunk_of
from index.retrieval.backend import FilteredTrials
from index.retrieval.dense import top
from index.text.chunk import Chunk

MAX_RESULTS = 16384  # Milvus's limit on one search's results (topk)
LEXICAL_LIMIT = 2000  # BM25 matches one search returns (the best; hybrid takes its 200 from them)
DENSE_OVERFETCH = 4  # a dense search fetches this many times k from HNSW, then rescores exactly
DENSE_EF = 256  # HNSW search breadth (at least k)
FETCH_BATCH = 1000  # trials whose records one query fetches
CHUNK_CACHE = 100_000  # chunks kept (then forgotten, and fetched again when read)


class MilvusBackend:
    """Search over one index in Milvus. ``client`` is a `MilvusClient`; ``uri`` is where it
    connects (for messages)."""

    def __init__(self, client: Any, name: str, uri: str = "") -> None:
        self.client = client
        self.uri = uri
        self.cols = Collections.of(name)
        require(client, self.cols, uri)
        self.meta_digest = self.current_digest()
        meta = self._record("meta", "")
        if meta is None:
            raise IndexCorrupt(f"Milvus index {name!r} at {uri} has no meta record; rebuild it")
        self.manifest: dict[str, Any] = meta["manifest"]
        self._n_chunks = int(meta["n_chunks"])
        self._n_trials = int(meta["n_trials"])
        self._sources: dict[str, Any] = meta.get("sources", {})
        self._places_fit = bool(meta.get("places_fit", False))
        self._exact_dense = meta.get("dense_index", "HNSW") == "FLAT"
        params = self.manifest.get("bm25", {})
        self._k1, self._b = float(params.get("k1", 1.5)), float(params.get("b", 0.75))
        n = max(self._n_chunks, 1)
        avgdl = float(meta.get("total_length", 0)) / n if self._n_chunks else 1.0
        self._avgdl = avgdl or 1.0
        self._facts: dict[str, dict[str, Any]] = {}  # fetched with a filter's candidates, until read
        self._chunks: dict[int, Chunk] = {}
        self._terms: dict[str, tuple[int, float] | None] = {}
        self._names: dict[str, Any] | None = None
        self._trials: RecordTrials | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.cols.name

    @property
    def n_chunks(self) -> int:
        return self._n_chunks

    @property
    def n_trials(self) -> int:
        return self._n_trials

    def sources(self) -> dict[str, Any]:
        return self._sources

    # chunks

    def chunk(self, row: int) -> Chunk:
        c = self._chunks.get(row)
        if c is None:
            self.prefetch([row])
            c = self._chunks.get(row)
            if c is None:
                raise IndexError(f"no chunk row {row} in Milvus index {self.name!r}")
        return c

    def prefetch(self, rows: Sequence[int] | np.ndarray) -> None:
        """Read the chunks of these rows in one query (kept for later `chunk` calls)."""
        want = sorted({int(r) for r in rows} - self._chunks.keys())
        for lo in range(0, len(want), MAX_RESULTS):
            got = self.client.query(
                self.cols.chunks, filter=f"row in {want[lo : lo + MAX_RESULTS]}", output_fields=CHUNK_FIELDS
            )
            for e in got:
                self._chunks[int(e["row"])] = chunk_of(e)

    # BM25

    def _term_ids(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """(term id, count) of the query's known terms, in the order the embedded BM25 sums them."""
        counts = Counter(tokens)
        unknown = [t for t in counts if t not in self._terms]
        if unknown:
            found = {
                e["term"]: (int(e["id"]), float(e["idf"]))
                for e in self.client.query(
                    self.cols.terms, filter=f"term in {json.dumps(unknown)}", output_fields=["term", "id", "idf"]
                )
            }
            for t in unknown:
                self._terms[t] = found.get(t)
        out = []
        for t, c in counts.items():
            known = self._terms[t]
            if known is not None:
                out.append((known[0], c))
        return out

    def idf(self, token: str) -> float:
        self._term_ids([token])
        known = self._terms.get(token)
        return known[1] if known is not None else 0.0

    def lexical_matches(self, tokens: Sequence[str], rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The best `LEXICAL_LIMIT` rows (of ``rows`` when given) that contain a query term, by
        Milvus's inner product over the stored weights, sorted, with their exact BM25 scores
        above the per-term constant; hybrid search gets the other candidates' scores from
        `lexical_scores`."""
        terms = self._term_ids(tokens)
        if not terms or (rows is not None and len(rows) == 0):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        query = {t: float(c) for t, c in terms}
        limit = min(LEXICAL_LIMIT, self.n_chunks if rows is None else len(rows))
        found = self.client.search(
            self.cols.chunks,
            data=[query],
            anns_field="bm25",
            limit=limit,
            filter=_row_filter(rows),
            output_fields=["tf", "length"],
            search_params={"metric_type": "IP"},
        )[0]
        docs = np.array([int(_pk(h)) for h in found], dtype=np.int64)
        idf = self._idf_of(tokens)
        scores = np.array([self._exact(h["entity"], terms, idf) for h in found], dtype=np.float64)
        order = np.argsort(docs, kind="stable")
        return docs[order], scores[order]

    def lexical_scores(self, tokens: Sequence[str], rows: np.ndarray) -> np.ndarray:
        """Each row's exact BM25 score above the per-term constant, from its term counts."""
        terms = self._term_ids(tokens)
        out = np.zeros(len(rows))
        if not terms or len(rows) == 0:
            return out
        idf = self._idf_of(tokens)
        got = {
            int(e["row"]): self._exact(e, terms, idf)
            for e in self.client.query(
                self.cols.chunks, filter=_row_filter(rows), output_fields=["row", "tf", "length"]
            )
        }
        for i, r in enumerate(rows):
            out[i] = got.get(int(r), 0.0)
        return out

    def _idf_of(self, tokens: Sequence[str]) -> dict[int, float]:
        out = {}
        for t in tokens:
            known = self._terms.get(t)
            if known is not None:
                out[known[0]] = known[1]
        return out

    def _exact(self, e: Mapping[str, Any], terms: Sequence[tuple[int, int]], idf: Mapping[int, float]) -> float:
        """A chunk's BM25Plus score over the query terms (above the per-term constant) from
        its term counts and the corpus's current statistics, each term's weight rounded to
        float32 and summed in float64 in the query's order, as the embedded backend does."""
        tf = {int(t): float(f) for t, f in e["tf"]["t"]}
        k1, b = self._k1, self._b
        norm = (1.0 - b) + (b / self._avgdl) * float(e["length"])
        total = 0.0
        for t, c in terms:
            f = tf.get(t)
            if f is not None:
                w = float(np.float32(f * (k1 + 1) / (k1 * norm + f) * idf[t]))
                total += w * c if c != 1 else w
        return total

    # dense

    def dense(self, vector: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and cosines of the k chunks nearest the unit vector, best first, rescored
        exactly from the stored vectors."""
        if k <= 0 or self.n_chunks == 0 or (rows is not None and len(rows) == 0):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        flt = "has_vector == true"
        if rows is not None:
            flt += f" and {_row_filter(rows)}"
        k = min(k, MAX_RESULTS)
        limit = k if self._exact_dense else min(MAX_RESULTS, max(DENSE_OVERFETCH * k, k + DENSE_EF))
        params = {} if self._exact_dense else {"ef": max(limit, DENSE_EF)}
        found = self.client.search(
            self.cols.chunks,
            data=[q.tolist()],
            anns_field="dense",
            limit=limit,
            filter=flt,
            output_fields=["dense"],
            search_params={"metric_type": "IP", "params": params},
        )[0]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cand = np.array([int(_pk(h)) for h in found], dtype=np.int64)
        order = np.argsort(cand)
        cand = cand[order]
        vecs = np.array([found[i]["entity"]["dense"] for i in order], dtype=np.float32)
        sims = vecs @ q
        best = top(sims, k)
        return cand[best], sims[best].astype(np.float64)

    def vectors_of(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Each row's float32 vector (zeros for chunks without one)."""
        rows = [int(r) for r in rows]
        dim = int(self.manifest["dim"])
        out = np.zeros((len(rows), dim), dtype=np.float32)
        if not rows:
            return out
        got: dict[int, Any] = {}
        if len(self._chunks) > CHUNK_CACHE:
            self._chunks.clear()
        fields = ["dense", *CHUNK_FIELDS]  # the candidates' chunks come along: the hits are read from them
        for lo in range(0, len(rows), MAX_RESULTS):
            part = sorted(set(rows[lo : lo + MAX_RESULTS]))
            for e in self.client.query(self.cols.chunks, filter=f"row in {part}", output_fields=fields):
                got[int(e["row"])] = e["dense"]
                self._chunks.setdefault(int(e["row"]), chunk_of(e))
        for i, r in enumerate(rows):
            if r in got:
                out[i] = np.asarray(got[r], dtype=np.float32)
        return out

    def first_vector(self) -> tuple[Chunk, np.ndarray] | None:
        """The first embedded chunk and its stored vector (to check a query encoder against)."""
        got = self.client.query(self.cols.chunks, filter="has_vector == true", output_fields=["row"], limit=1)
        if not got:
            return None
        row = int(got[0]["row"])
        return self.chunk(row), self.vectors_of([row])[0]

    def rows_of_trials(self, nct_ids: set[str] | Sequence[str]) -> np.ndarray:
        wanted = sorted(set(nct_ids))
        if not wanted:
            return np.zeros(0, dtype=np.int64)
        rows = [int(e["row"]) for e in self._query_all(self.cols.chunks, f"nct_id in {json.dumps(wanted)}", ["row"])]
        return np.array(sorted(rows), dtype=np.int64)

    # trials, facts, names

    def trials(self) -> RecordTrials:
        if self._trials is None:
            self._trials = RecordTrials(self.names()["trials"], self)
        return self._trials

    def names(self) -> dict[str, Any]:
        if self._names is None:
            order = sorted((int(e["trial"]), e["nct_id"]) for e in self._query_all(self.cols.trials, EVERY, ["trial"]))
            found: dict[str, dict[int, str]] = {}
            for e in self._query_all(self.cols.records, 'kind == "names"', ["nct_id", "part", "value"]):
                found.setdefault(e["nct_id"], {})[int(e["part"])] = e["value"]
            if len(order) != self.n_trials or len(found) != self.n_trials:
                raise IndexCorrupt(
                    f"Milvus index {self.name!r}: {len(order)} trials and {len(found)} name records for {self.n_trials}"
                )
            ids, names, conditions = [], [], []
            for _, nct in order:
                parts = found[nct]
                tokens, conds = json.loads("".join(parts[p] for p in sorted(parts)))
                ids.append(nct)
                names.append(tokens)
                conditions.append(conds)
            self._names = {"trials": ids, "names": names, "conditions": conditions}
        return self._names

    def filter_trials(self, constraints: Sequence[Constraint], within: Collection[str] | None) -> FilteredTrials:
        """The constraints as a filter expression over ``NAME_trials`` (`index.milvus.filters`).
        All exact: the matching trials, and the count of those left out, come from Milvus.
        Otherwise the trials that may match or leave a fact unstated are the candidates. The
        candidates' facts are fetched in one query."""
        clauses = [clause(c, self._places_fit) for c in constraints]
        scope = None if within is None else f"nct_id in {json.dumps(sorted(within))}"
        possible = both([scope, *(c.possible for c in clauses)])
        if all(c.exact for c in clauses):
            candidates = self._trial_ids(both([scope, *(c.true for c in clauses)]))
            left_out = len(self._trial_ids(possible)) - len(candidates)
        else:
            candidates, left_out = self._trial_ids(possible), 0
        self._fetch_facts(candidates)
        return FilteredTrials(candidates, left_out)

    def _trial_ids(self, flt: str) -> list[str]:
        """NCT IDs of the trials the expression selects, in index order."""
        found = sorted(
            (int(e["trial"]), e["nct_id"]) for e in self._query_all(self.cols.trials, flt, ["nct_id", "trial"])
        )
        return [nct for _, nct in found]

    def _fetch_facts(self, ncts: Sequence[str]) -> None:
        self._facts.update(self.records_of("facts", ncts))

    def records_of(self, kind: str, ncts: Sequence[str]) -> dict[str, Any]:
        """The records of one kind of these trials, fetched together."""
        parts: dict[str, dict[int, str]] = {}
        for lo in range(0, len(ncts), FETCH_BATCH):
            flt = f"kind == {json.dumps(kind)} and nct_id in {json.dumps(list(ncts[lo : lo + FETCH_BATCH]))}"
            for e in self._query_all(self.cols.records, flt, ["nct_id", "part", "value"]):
                parts.setdefault(e["nct_id"], {})[int(e["part"])] = e["value"]
        return {nct: json.loads("".join(p[i] for i in sorted(p))) for nct, p in parts.items()}

    def prefetch_trials(self, nct_ids: Collection[str]) -> None:
        """Fetch the records of these trials not read yet, together (a question's candidates)."""
        self.trials().prefetch(nct_ids)

    def fact_record(self, nct_id: str) -> dict[str, Any]:
        fetched = self._facts.pop(nct_id, None)  # the caller keeps what it reads (`FactIndex`)
        if fetched is not None:
            return dict(fetched)
        record = self._record("facts", nct_id)
        if record is None:
            raise KeyError(nct_id)
        return dict(record)

    def trial_record(self, nct_id: str) -> dict[str, Any] | None:
        return self._record("trial", nct_id)

    def current_digest(self) -> str | None:
        """The digest of the index's meta record as stored now: it changes with every build
        or update (a process holding the index compares it with `meta_digest`)."""
        got = self.client.query(self.cols.records, filter='key == "meta::0"', output_fields=["digest"])
        return str(got[0]["digest"]) if got else None

    def _record(self, kind: str, nct: str) -> Any:
        got = self.client.query(
            self.cols.records,
            filter=f"kind == {json.dumps(kind)} and nct_id == {json.dumps(nct)}",
            output_fields=["part", "value"],
        )
        if not got:
            return None
        return json.loads("".join(e["value"] for e in sorted(got, key=lambda e: int(e["part"]))))

    def _query_all(self, collection: str, flt: str, fields: list[str]) -> Iterator[dict[str, Any]]:
        return query_all(self.client, collection, flt, fields)


def _row_filter(rows: np.ndarray | None) -> str:
    return "" if rows is None else f"row in {[int(r) for r in rows]}"


if TYPE_CHECKING:
    from index.retrieval.backend import SearchBackend

    def _implements_the_protocol(backend: MilvusBackend) -> SearchBackend:  # checked by mypy
        return backend


def _pk(hit: Any) -> int:
    """A search hit's primary key (the chunk row)."""
    return int(hit["row"]) if "row" in hit else int(hit["id"])
