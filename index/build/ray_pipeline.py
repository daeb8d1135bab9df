"""Building on Ray: the heavy stages of a build as Ray Data pipelines (`RayEngine`).

1. **read + chunk**: the corpus files (walked here, as the plain build walks them) go out as
   `ray.data.from_items`; `map_batches` tasks read each file (`index.corpus.loader.read_file`)
   and chunk its trials (`index.text.chunk.chunk_trial`) in parallel. Here, duplicates are
   merged by the corpus rule (`merge_duplicates`) and the chunks put in corpus order.
2. the build's own stages run here as in the plain build (tokenize, BM25, facts), and the
   vector cache is consulted: only the distinct texts it lacks are sent on.
3. **embed**: those texts, in the plain build's batches of `embedding.EMBED_BATCH`, go through
   `map_batches` over an actor pool, each actor holding the model (one GPU each with
   ``device="cuda"``); each batch's vectors are added to the cache as they come back, so an
   interrupted build resumes and an incremental one embeds only what is new.
4. the usual writer (a generation directory, or Milvus) writes the index.

Ray is imported only here, and only when a `RayEngine` is made (`pip install trialqa[ray]`).
Without an address a local Ray is started (and stopped by `close`); with one, the engine
connects to that cluster, whose workers must have trialqa installed and see the corpus
files at the same paths.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.build import embedding
from index.build.embedding import cached_vectors, missing_keys
from index.build.engine import ReadCorpus
from index.build.stages import Progress
from index.config import DEVICES
from index.corpus.loader import Corpus, LoadError, display_path, iter_files, merge_duplicates, read_file
from index.errors import ConfigError
from index.model import Trial
from index.retrieval.embed import SentenceTransformerEncoder
from index.store.vcache import VectorCache
from index.text.chunk import Chunk, chunk_trial

log = logging.getLogger(__name__)

READ_BATCH = 32  # files read by one task


@dataclass(frozen=True)
class RayOptions:
    """Where and how to run: ``address`` of a Ray cluster ("" or None: start a local Ray with
    ``cpus`` CPUs, default all), ``actors`` embedding actors (default: one per CPU, or per
    GPU with ``device="cuda"``)."""

    address: str | None = None
    cpus: int | None = None
    actors: int | None = None
    device: str = "cpu"

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise ConfigError(f"--device must be one of {', '.join(DEVICES)}, got {self.device!r}")
        for name in ("cpus", "actors"):
            n = getattr(self, name)
            if n is not None and n < 1:
                raise ConfigError(f"Ray {name} must be at least 1, got {n}")


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("`--ray` needs Ray: pip install 'trialqa[ray]' (or 'ray[data]')") from None
    return ray


class RayEngine:
    """`index.build.engine.Engine` on Ray. A context manager: leaving it stops the local Ray it
    started (a Ray already running in this process, or a cluster, is left as it is)."""

    def __init__(self, options: RayOptions | None = None) -> None:
        self.options = options or RayOptions()
        ray = _ray()
        self._started = False
        if not ray.is_initialized():
            _quiet(local=not self.options.address)
            try:
                ray.init(**_init_args(self.options))
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = self.options.address or "a local Ray"
                raise ConfigError(f"cannot start or reach {where}: {exc}") from None
            self._started = True
        import ray.data

        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        self._ray = ray

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False

    def actors(self) -> int:
        """How many embedding actors: as asked, else one per CPU (per GPU on cuda) of the cluster."""
        if self.options.actors:
            return self.options.actors
        res = self._ray.cluster_resources()
        n = int(res.get("GPU" if self.options.device == "cuda" else "CPU", 0))
        if n < 1:
            raise ConfigError("--device cuda: the Ray cluster has no GPU")
        return n

    def read(self, paths: Sequence[str | Path], progress: Progress | None) -> ReadCorpus:
        files, errors = iter_files(paths)
        names = [display_path(f) for f in files]
        got: dict[int, tuple[list[Trial], list[list[Chunk]], LoadError | None]] = {}
        if files:
            items = [{"i": i, "path": str(f.resolve()), "source": names[i]} for i, f in enumerate(files)]
            ds = self._ray.data.from_items(items).map_batches(
                read_and_chunk, batch_size=READ_BATCH, batch_format="numpy"
            )
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
                for i, payload in zip(batch["i"].tolist(), batch["payload"], strict=True):
                    got[int(i)] = pickle.loads(payload)
                if progress:
                    progress("read", len(got), len(files))
        ordered = [got[i] for i in range(len(files))]
        for _, _, e in ordered:
            if e is not None:  # logged here too: the workers' logs stay with Ray
                log.warning("skipped %s: %s", e.source, e.reason)
                errors.append(e)
        trials = merge_duplicates(t for t, _, _ in ordered)
        corpus = Corpus(trials=trials, errors=tuple(errors), files=tuple(names))
        chunks, owner = _corpus_chunks(trials, ordered)
        return ReadCorpus(corpus, chunks, owner)

    def embed(
        self,
        keys: Sequence[str],
        texts: dict[str, str],
        cache: VectorCache,
        model: str,
        progress: Progress | None,
        onnx_dir: Path | None,
        dim: int | None = None,
    ) -> tuple[np.ndarray, int, int]:
        """As `embedding.embed_keys`, the new texts embedded by an actor pool (``onnx_dir`` is
        not used: every new text goes to the actors)."""
        todo = missing_keys(keys, cache)
        done = 0
        for batch_keys, vectors in self._embedded(todo, texts, model):
            cache.add(batch_keys, vectors)
            done += len(batch_keys)
            if progress:
                progress("embed", done, len(todo))
        vectors, dim = cached_vectors(keys, cache, dim, lambda: SentenceTransformerEncoder(model).dim)
        return vectors, len(todo), dim

    def _embedded(self, todo: list[str], texts: dict[str, str], model: str) -> Iterator[tuple[list[str], np.ndarray]]:
        """(keys, vectors) of each batch of ``todo``, in the order they finish."""
        if not todo:
            return
        step = embedding.EMBED_BATCH
        items = [{"keys": todo[lo : lo + step], "texts": [texts[k] for k in todo[lo : lo + step]]}
                 for lo in range(0, len(todo), step)]  # fmt: skip
        gpu = self.options.device == "cuda"
        ds = self._ray.data.from_items(items).map_batches(
            Embedder,
            fn_constructor_kwargs={"model": model, "device": self.options.device},
            batch_size=1,  # one of the plain build's batches per call: the same vectors
            batch_format="numpy",
            compute=self._ray.data.ActorPoolStrategy(size=min(self.actors(), len(items))),
            num_gpus=1 if gpu else 0,
        )
        for out in ds.iter_batches(batch_size=None, batch_format="numpy"):
            yield [str(k) for k in out["key"].tolist()], np.asarray(out["vector"], dtype=np.float32)


def read_and_chunk(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A Ray task: each file's trials, their chunks and its read error, pickled."""
    payloads = []
    for path, source in zip(batch["path"].tolist(), batch["source"].tolist(), strict=True):
        trials, error = read_file(Path(path), str(source))
        payloads.append(pickle.dumps((trials, [chunk_trial(t) for t in trials], error)))
    return {"i": batch["i"], "payload": np.array(payloads, dtype=object)}


class Embedder:
    """A Ray actor holding the model: vectors for one batch of texts per call."""

    def __init__(self, model: str, device: str) -> None:
        self.encoder = SentenceTransformerEncoder(model, device=device)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        keys: list[str] = []
        vectors = []
        for ks, ts in zip(batch["keys"], batch["texts"], strict=True):
            keys.extend(str(k) for k in ks)
            vectors.append(self.encoder.encode([str(t) for t in ts]))
        return {"key": np.array(keys, dtype=object), "vector": np.concatenate(vectors).astype(np.float32)}


def _corpus_chunks(
    trials: Sequence[Trial], ordered: list[tuple[list[Trial], list[list[Chunk]], LoadError | None]]
) -> tuple[list[Chunk], np.ndarray]:
    """The chunks of the corpus's trials in order, as `stages.chunk_trials` gives them: those
    the workers made, and for a merged duplicate (a new record) its chunks made here."""
    made = {id(t): cs for got, cs_of, _ in ordered for t, cs in zip(got, cs_of, strict=True)}
    chunks: list[Chunk] = []
    owner: list[int] = []
    for i, t in enumerate(trials):
        cs = made.get(id(t))
        if cs is None:
            cs = chunk_trial(t)
        chunks.extend(cs)
        owner.extend([i] * len(cs))
    return chunks, np.asarray(owner, dtype=np.int64)


def _init_args(options: RayOptions) -> dict[str, Any]:
    args: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.WARNING,
    }
    if options.address:
        args["address"] = options.address
    else:  # "local": a new Ray of our own, never one that `ray start` left running on this machine
        args.update(address="local", num_cpus=options.cpus or os.cpu_count() or 1)
    return args


def _quiet(local: bool) -> None:
    """Ray's logs down to what is wrong (each variable, when set, is left as it is): its core's
    to fatal errors (failures reach us as exceptions), Ray Data's to errors; and a local Ray
    keeps Ray's default token authentication without a warning that it is on."""
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
    if local:
        logging.getLogger("ray._private.authentication.authentication_token_setup").setLevel(logging.ERROR)
