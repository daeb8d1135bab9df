"""`TrialIndex`: the library's entry point.

from index import TrialIndex
answer = TrialIndex.load("data/index").ask("which trials use the hepatic artery?")
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from index.answer import Answer
from index.build import Progress, build_index
from index.corpus import Corpus
from index.embed import Encoder, OnnxEncoder, SentenceTransformerEncoder
from index.fusion import FusionParams
from index.model import Trial
from index.qa import Identity, ask
from index.search import Hit, hybrid
from index.store import EmbeddedBackend, open_backend
from index.tokenize import tokenize

log = logging.getLogger(__name__)


class TrialIndex:
    def __init__(self, backend: EmbeddedBackend, corpus: Corpus | None = None) -> None:
        self.backend = backend
        self.corpus = corpus
        # Fusion is query-time: the current defaults apply to any index (the manifest only
        # records what they were when it was built).
        self.fusion = FusionParams()

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

        return cls(open_backend(Path(index_dir) if index_dir else Settings.from_env().index_dir))

    @property
    def manifest(self) -> dict:
        return self.backend.manifest

    @property
    def trials(self) -> dict[str, Trial]:
        return self.backend.trials()

    @cached_property
    def encoder(self) -> Encoder:
        qdir = self.backend.query_encoder_dir
        model = self.backend.manifest["model"]
        if qdir is not None:
            try:
                enc = OnnxEncoder(qdir)
                if enc.model_id == model:
                    return enc
            except Exception:  # fall back to the real model
                log.warning("ONNX query encoder unusable; loading %s", model, exc_info=True)
        return SentenceTransformerEncoder(model)

    @cached_property
    def identity(self) -> Identity:
        return Identity(self.trials)

    def warm(self) -> TrialIndex:
        """Load everything a first question would (query encoder, trial facts) now, so a
        long-running front end answers its first question as fast as the rest."""
        self.embed_query("warm up")
        facts = self.identity.facts
        for nct in self.trials:
            facts[nct]
        return self

    def embed_query(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """The k best chunks for a query, with BM25 and dense contributions."""
        k = max(0, int(k))
        return hybrid(self.backend, tokenize(query), self.embed_query(query), k, self.fusion, pool=max(100, k))

    def ask(self, question: str, k: int = 10, filters: Sequence[str] | str | None = None) -> Answer:
        """A cited answer: the trials that support the question, best first.

        ``filters`` are explicit constraints (``["status:recruiting", "age>65"]``), the same
        syntax a question may contain; an unreadable one raises `BadQuestion`."""
        return ask(self.backend, self.embed_query, self.identity, question, k=k, fusion=self.fusion, filters=filters)
