"""`TrialIndex`: the library's entry point.

from index import TrialIndex
answer = TrialIndex.load("data/index").ask("which trials use the hepatic artery?")
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.build.pipeline import Progress, build_index
from index.corpus.loader import Corpus, iter_files
from index.corpus.readers import read
from index.errors import CorpusError, EmptyCorpus, IndexCorrupt, IndexStale, TrialQAError
from index.model import Trial
from index.qa.ask import Identity, ask, without_surrogates
from index.qa.support import SentenceScorer
from index.results import Answer, Hit
from index.retrieval.embed import Encoder, OnnxEncoder, SentenceTransformerEncoder
from index.retrieval.fusion import FusionParams
from index.retrieval.search import hybrid
from index.store.backend import EXACT_SCAN_MAX, EmbeddedBackend, open_backend
from index.text.tokenize import TOKENIZER_VERSION, tokenize

log = logging.getLogger(__name__)

# The query encoder must give the index's own vector for the text of its first embedded chunk
# (the ONNX export is checked at 0.999 at build time; vectors are stored as float16).
ENCODER_MIN_COSINE = 0.995


class TrialIndex:
    def __init__(self, backend: EmbeddedBackend, corpus: Corpus | None = None) -> None:
        built_with = backend.manifest.get("tokenizer", 1)
        if built_with != TOKENIZER_VERSION:
            raise IndexStale(
                f"the index was built with tokenizer version {built_with}, this trialqa uses {TOKENIZER_VERSION}; "
                "rebuild it with `trialqa index`"
            )
        self.backend = backend
        self.corpus = corpus
        # Fusion is query-time: the current defaults apply to any index (the manifest only
        # records what they were when it was built).
        self.fusion = FusionParams()
        # One index serves many threads (the Slack bot, servers): what is loaded lazily is
        # loaded once, under this lock.
        self._lock = threading.RLock()
        self._encoder: Encoder | None = None
        self._scorer: tuple[Encoder, SentenceScorer] | None = None  # sentence vectors of that encoder
        self._identity: Identity | None = None
        self._unloadable: str | None = None  # a newer generation that failed to load (not retried)

    @classmethod
    def build(
        cls,
        paths: Sequence[str | Path],
        index_dir: str | Path | None = None,
        model: str | None = None,
        progress: Progress | None = None,
    ) -> TrialIndex:
        from index.config import Settings

        s = Settings.from_env()
        require_trials(paths)
        backend, corpus = build_index(
            list(paths),
            Path(index_dir) if index_dir else s.index_dir,
            model or s.model,
            progress=progress,
            cache_dir=s.data_dir / "cache" / "embeddings",
        )
        return cls(backend, corpus)

    @classmethod
    def load(cls, index_dir: str | Path | None = None) -> TrialIndex:
        from index.config import Settings

        d = Path(index_dir) if index_dir else Settings.from_env().index_dir
        try:
            return cls(open_backend(d))
        except TrialQAError:
            raise
        except (OSError, ValueError, LookupError, TypeError, AttributeError) as exc:  # damaged or foreign files
            raise IndexCorrupt(
                f"{d}: not a readable trialqa index ({type(exc).__name__}: {str(exc)[:200]}); "
                f"rebuild with `trialqa index PATH... --index {d}`"
            ) from None

    @property
    def manifest(self) -> dict:
        return self.backend.manifest

    @property
    def trials(self) -> dict[str, Trial]:
        return self.backend.trials()

    @property
    def encoder(self) -> Encoder:
        """The query encoder (the index's ONNX export, else the model), loaded once."""
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = self._load_encoder()
        return self._encoder

    @property
    def identity(self) -> Identity:
        if self._identity is None:
            with self._lock:
                if self._identity is None:
                    self._identity = Identity.of(self.backend)
                    if len(self.backend.vectors) > EXACT_SCAN_MAX:
                        self.backend.scanner  # noqa: B018 - set up once here, not raced by the first queries
        return self._identity

    def _load_encoder(self) -> Encoder:
        """The ONNX export when it reproduces the index's vectors; else the model itself, which
        must (a model that no longer gives the index's vectors makes it stale)."""
        if not self.backend.dir.is_dir():  # removed by a rebuild: the caller moves to the live generation
            raise FileNotFoundError(f"{self.backend.dir} no longer exists")
        qdir = self.backend.query_encoder_dir
        model = self.backend.manifest["model"]
        if qdir is not None:
            try:
                onnx: Encoder | None = OnnxEncoder(qdir)
            except Exception:  # fall back to the real model
                log.warning("ONNX query encoder unusable; loading %s", model, exc_info=True)
                onnx = None
            if onnx is not None and onnx.model_id == model:
                cos = self._fidelity(onnx)
                if cos is None or cos >= ENCODER_MIN_COSINE:
                    return onnx
                log.warning(
                    "the query encoder in %s does not reproduce the index's vectors (cosine %.3f): it is damaged; "
                    "loading %s instead. Rebuild with `trialqa index` to repair it.",
                    qdir,
                    cos,
                    model,
                )
        enc = SentenceTransformerEncoder(model)
        cos = self._fidelity(enc)
        if cos is not None and cos < ENCODER_MIN_COSINE:
            raise IndexStale(
                f"{self.backend.dir}: the model {model!r} no longer gives this index's vectors (cosine {cos:.3f}); "
                "rebuild with `trialqa index`"
            )
        return enc

    def _fidelity(self, enc: Encoder) -> float | None:
        """Cosine of the encoder's vector for the first embedded chunk and the stored one (None: no vectors)."""
        b = self.backend
        live = np.flatnonzero(np.asarray(b.vector_rows) >= 0)  # a slot's row is -1 once its chunk is dropped
        if len(live) == 0:
            return None
        slot = int(live[0])
        mine = np.asarray(enc.encode([b.chunk(int(b.vector_rows[slot])).embed_text])[0], dtype=np.float32)
        stored = np.asarray(b.vectors[slot], dtype=np.float32)
        denom = float(np.linalg.norm(mine) * np.linalg.norm(stored))
        return float(mine @ stored) / denom if denom > 0 else 0.0

    def warm(self) -> TrialIndex:
        """Load everything a first question would (query encoder, trial facts) now, so a
        long-running front end answers its first question as fast as the rest."""
        self.embed_query("warm up")
        facts = self.identity.facts
        for nct in self.trials:
            facts[nct]
        return self

    def embed_query(self, text: str) -> np.ndarray:
        return self.encoder.encode([without_surrogates(text)])[0]

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """The k best chunks for a query, with BM25 and dense contributions."""
        k = max(0, int(k))
        backend, _, encoder = self._view()
        qvec = encoder.encode([without_surrogates(query)])[0]
        return hybrid(backend, tokenize(query), qvec, k, self.fusion, pool=max(100, k))

    def ask(self, question: str, k: int = 10, filters: Sequence[str] | str | None = None) -> Answer:
        """A cited answer: the trials that support the question, best first.

        ``filters`` are explicit constraints (``["status:recruiting", "age>65"]``), the same
        syntax a question may contain; an unreadable one raises `BadQuestion`."""
        backend, identity, encoder = self._view()

        def encode(text: str) -> np.ndarray:
            return encoder.encode([without_surrogates(text)])[0]

        return ask(
            backend, encode, identity, question, k=k, fusion=self.fusion, filters=filters, scorer=self.scorer(encoder)
        )

    def scorer(self, encoder: Encoder) -> SentenceScorer:
        """Sentence vectors for the decision by meaning, kept per encoder (`index.qa.support`)."""
        with self._lock:
            if self._scorer is None or self._scorer[0] is not encoder:
                self._scorer = (encoder, SentenceScorer(lambda texts: encoder.encode(list(texts))))
            return self._scorer[1]

    def _view(self) -> tuple[EmbeddedBackend, Identity, Encoder]:
        """The live generation with its identity and encoder, taken together (another thread
        may move the index to a newer generation meanwhile)."""
        self._follow_rebuilds()
        with self._lock:
            return self.backend, self.identity, self.encoder

    def _follow_rebuilds(self) -> None:
        """Move to the generation CURRENT names when a build has replaced ours. A front end
        keeps its index for days; builds keep only the newest two generations, so ours is
        eventually deleted (and its lazily read files with it)."""
        seen = self.backend
        try:
            name = (seen.dir.parent / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, ValueError):  # not an index directory of ours, or being replaced: keep ours
            return
        if not name or name == seen.dir.name:
            return
        with self._lock:
            if self.backend is not seen or name == self._unloadable:
                return
            try:
                new = TrialIndex.load(seen.dir.parent).backend
            except TrialQAError as exc:
                if not seen.dir.is_dir():
                    raise
                self._unloadable = name
                log.warning(
                    "the index at %s was rebuilt but %s cannot be loaded (%s); still answering from %s",
                    seen.dir.parent,
                    name,
                    exc,
                    seen.dir.name,
                )
                return
            log.warning(
                "the index at %s was rebuilt; answering from %s (was %s)", seen.dir.parent, new.dir.name, seen.dir.name
            )
            if new.manifest.get("model") != seen.manifest.get("model"):
                self._encoder = None  # an ONNX session, once created, no longer needs its files
            self.backend = new
            self._identity = None
            self._unloadable = None


def require_trials(paths: Sequence[str | Path]) -> None:
    """Raise `EmptyCorpus` unless some file under the paths reads as a trial record: a build
    from nothing would replace a good index with an empty one. Reads files until one does
    (usually the first)."""
    files, errors = iter_files(paths)
    first_error: str | None = errors[0].reason if errors else None
    for f in files:
        try:
            if read(f):
                return
        except CorpusError as exc:
            first_error = first_error or f"{exc.source}: {exc.reason}"
    where = ", ".join(str(p) for p in paths) or "(no paths)"
    found = (
        f"none of its {len(files)} files is a trial record (first problem: {first_error})"
        if files
        else "no files found" + (f" ({first_error})" if first_error else "")
    )
    raise EmptyCorpus(f"nothing to index in {where}: {found}; no index was written or changed")
