"""`TrialIndex`: the library's entry point.

from index import TrialIndex
answer = TrialIndex.load("data/index").ask("which trials use the hepatic artery?")
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import IndexCorrupt, IndexStale, TrialQAError
from index.facts.constraints import Filters
from index.model import Trial
from index.qa import Identity, ask
from index.qa.support import SentenceScorer
from index.results import Answer, Hit
from index.retrieval.embed import Encoder, OnnxEncoder, SentenceTransformerEncoder
from index.retrieval.fusion import FusionParams
from index.retrieval.search import hybrid
from index.store.reader import EmbeddedBackend, open_backend
from index.store.vectors import EXACT_SCAN_MAX
from index.text.chunk import Chunk
from index.text.clean import without_surrogates
from index.text.tokenize import TOKENIZER_VERSION, tokenize

if TYPE_CHECKING:  # building and Milvus are imported where used: asking needs neither
    from index.build.engine import Engine
    from index.build.pipeline import Progress
    from index.config import Settings
    from index.corpus.loader import Corpus
    from index.milvus.backend import MilvusBackend
    from index.qa.conversation import Conversation

    Backend = EmbeddedBackend | MilvusBackend

log = logging.getLogger(__name__)

# The query encoder must give the index's own vector for the text of its first embedded chunk
# (the ONNX export is checked at 0.999 at build time; vectors are stored as float16).
ENCODER_MIN_COSINE = 0.995


class TrialIndex:
    def __init__(self, backend: Backend, corpus: Corpus | None = None, encoder_dir: Path | None = None) -> None:
        """``encoder_dir``: the ONNX export queries use for an index in Milvus (an embedded
        index keeps its own)."""
        built_with = backend.manifest.get("tokenizer", 1)
        if built_with != TOKENIZER_VERSION:
            raise IndexStale(
                f"the index was built with tokenizer version {built_with}, this trialqa uses {TOKENIZER_VERSION}; "
                "rebuild it with `trialqa index`"
            )
        self.backend: Backend = backend
        self.corpus = corpus
        self._encoder_dir = encoder_dir
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
        backend: str | None = None,
        engine: Engine | None = None,
    ) -> TrialIndex:
        """Build an index from the corpus files: a directory (``backend="embedded"``) or a
        Milvus index named ``index_dir`` (``"milvus"``; default: TRIALQA_BACKEND). ``engine``
        reads and embeds: in this process by default, or on Ray
        (`index.build.ray_pipeline.RayEngine`)."""
        from index.build.engine import LocalEngine
        from index.build.pipeline import build_index
        from index.config import Settings, backend_name
        from index.corpus.loader import require_trials

        s = Settings.from_env()
        require_trials(paths)
        if backend_name(backend or s.backend) == "milvus":
            return cls._build_milvus(
                paths, s, s.milvus_index(index_dir), model or s.model, progress, engine or LocalEngine(s.device)
            )
        backend_, corpus = build_index(
            list(paths),
            Path(index_dir) if index_dir else s.index_dir,
            model or s.model,
            progress=progress,
            cache_dir=s.data_dir / "cache" / "embeddings",
            engine=engine or LocalEngine(s.device),
        )
        return cls(backend_, corpus)

    @classmethod
    def _build_milvus(
        cls,
        paths: Sequence[str | Path],
        s: Settings,
        name: str,
        model: str,
        progress: Progress | None,
        engine: Engine | None = None,
    ) -> TrialIndex:
        from index.build.milvus import build_milvus, encoder_dir_for
        from index.milvus.client import connect

        encoder_dir = encoder_dir_for(s.data_dir / "cache", model)
        client = connect(s.milvus_uri, s.milvus_token)
        backend, corpus = build_milvus(
            list(paths),
            client,
            name,
            model,
            uri=s.milvus_uri,
            progress=progress,
            cache_dir=s.data_dir / "cache" / "embeddings",
            encoder_dir=encoder_dir,
            engine=engine,
            dense_index=s.milvus_dense_index,
        )
        return cls(backend, corpus, encoder_dir=encoder_dir)

    @classmethod
    def load(cls, index_dir: str | Path | None = None, backend: str | None = None) -> TrialIndex:
        """The index at ``index_dir`` (a directory, or with ``backend="milvus"`` the name of
        a Milvus index; default: TRIALQA_BACKEND)."""
        from index.config import Settings, backend_name

        s = Settings.from_env()
        if backend_name(backend or s.backend) == "milvus":
            return cls._load_milvus(s, s.milvus_index(index_dir))
        d = Path(index_dir) if index_dir else s.index_dir
        try:
            return cls(open_backend(d))
        except TrialQAError:
            raise
        except (OSError, ValueError, LookupError) as exc:  # damaged or foreign files
            raise IndexCorrupt(
                f"{d}: not a readable trialqa index ({type(exc).__name__}: {str(exc)[:200]}); "
                f"rebuild with `trialqa index PATH... --index {d}`"
            ) from None

    @classmethod
    def _load_milvus(cls, s: Settings, name: str) -> TrialIndex:
        from index.build.milvus import encoder_dir_for
        from index.milvus.backend import MilvusBackend
        from index.milvus.client import connect

        backend = MilvusBackend(connect(s.milvus_uri, s.milvus_token), name, s.milvus_uri)
        return cls(backend, encoder_dir=encoder_dir_for(s.data_dir / "cache", backend.manifest["model"]))

    @property
    def manifest(self) -> dict:
        return self.backend.manifest

    @property
    def trials(self) -> Mapping[str, Trial]:
        """The live generation's trials (follows rebuilds, as `ask` does)."""
        self._follow_rebuilds()
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
                    if isinstance(self.backend, EmbeddedBackend) and len(self.backend.vectors) > EXACT_SCAN_MAX:
                        self.backend.scanner  # noqa: B018 - set up once here, not raced by the first queries
        return self._identity

    def _load_encoder(self) -> Encoder:
        """The ONNX export when it reproduces the index's vectors; else the model itself, which
        must (a model that no longer gives the index's vectors makes it stale)."""
        b = self.backend
        if isinstance(b, EmbeddedBackend) and not b.dir.is_dir():  # removed by a rebuild: move to the live one
            raise FileNotFoundError(f"{b.dir} no longer exists")
        qdir = b.query_encoder_dir if isinstance(b, EmbeddedBackend) else self._milvus_encoder_dir()
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
                f"{self.where}: the model {model!r} no longer gives this index's vectors (cosine {cos:.3f}); "
                "rebuild with `trialqa index`"
            )
        return enc

    @property
    def generation(self) -> str:
        """What the index answers from: its generation's name, or ``milvus:NAME``."""
        b = self.backend
        return b.dir.name if isinstance(b, EmbeddedBackend) else f"milvus:{b.name}"

    def available(self) -> bool:
        """Whether what it answers from is still there (a generation a rebuild removed is not)."""
        b = self.backend
        return b.dir.is_dir() if isinstance(b, EmbeddedBackend) else True

    def _milvus_encoder_dir(self) -> Path | None:
        d = self._encoder_dir
        return d if d is not None and (d / "model.onnx").is_file() else None

    @property
    def where(self) -> str:
        """The index in words: its generation directory, or its Milvus name and URI."""
        b = self.backend
        return str(b.dir) if isinstance(b, EmbeddedBackend) else f"Milvus index {b.name!r} at {b.uri}"

    def _fidelity(self, enc: Encoder) -> float | None:
        """Cosine of the encoder's vector for the first embedded chunk and the stored one (None: no vectors)."""
        sample = _first_vector(self.backend)
        if sample is None:
            return None
        chunk, stored = sample
        mine = np.asarray(enc.encode([chunk.embed_text])[0], dtype=np.float32)
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

    def ask(self, question: str, k: int = 10, filters: Filters = None, within: Collection[str] | None = None) -> Answer:
        """A cited answer: the trials that support the question, best first.

        ``filters`` are explicit constraints (``["status:recruiting", "age>65"]``), the same
        syntax a question may contain; an unreadable one raises `BadQuestion`. ``within``
        limits the answer to those NCT IDs (what a conversation's follow-up uses)."""
        backend, identity, encoder = self._view()

        def encode(text: str) -> np.ndarray:
            return encoder.encode([without_surrogates(text)])[0]

        return ask(
            backend,
            encode,
            identity,
            question,
            k=k,
            fusion=self.fusion,
            filters=filters,
            within=within,
            scorer=self.scorer(encoder),
            words=getattr(encoder, "words", frozenset()),
        )

    def scorer(self, encoder: Encoder) -> SentenceScorer:
        """Sentence vectors for the decision by meaning, kept per encoder (`index.qa.support`)."""
        with self._lock:
            if self._scorer is None or self._scorer[0] is not encoder:
                self._scorer = (encoder, SentenceScorer(lambda texts: encoder.encode(list(texts))))
            return self._scorer[1]

    def conversation(self, state: dict[str, Any] | None = None) -> Conversation:
        """A conversation over this index: `Conversation.ask` reads follow-up questions ("which
        of them are recruiting?", "what dose does it give?") in the light of the earlier
        answers. ``state`` is a `Conversation.to_dict()` to carry on from (`ValueError` if it
        is not one)."""
        from index.qa.conversation import Conversation

        return Conversation(self, state)

    def _view(self) -> tuple[Backend, Identity, Encoder]:
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
        if not isinstance(seen, EmbeddedBackend):  # Milvus: rebuilt or updated in place
            if seen.current_digest() != seen.meta_digest:
                from index.milvus.backend import MilvusBackend

                with self._lock:
                    if self.backend is seen:
                        log.warning("the Milvus index %r was rebuilt or updated; reading it anew", seen.name)
                        self.backend, self._identity = MilvusBackend(seen.client, seen.name, seen.uri), None
            return
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
                new = TrialIndex.load(seen.dir.parent, backend="embedded").backend
                if not isinstance(new, EmbeddedBackend):  # pragma: no cover - loaded as embedded
                    return
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


def _first_vector(b: Backend) -> tuple[Chunk, np.ndarray] | None:
    """The first embedded chunk and its stored float32 vector."""
    if not isinstance(b, EmbeddedBackend):
        return b.first_vector()
    live = np.flatnonzero(np.asarray(b.vector_rows) >= 0)  # a slot's row is -1 once its chunk is dropped
    if len(live) == 0:
        return None
    slot = int(live[0])
    return b.chunk(int(b.vector_rows[slot])), np.asarray(b.vectors[slot], dtype=np.float32)
