"""Which index a front end answers from, and when the default one is (re)built.

An index named by a flag or ``TRIALQA_INDEX`` is used as it is: never rebuilt from our corpus.
The default index (``$TRIALQA_DATA_DIR/index``) follows the configured corpus and model: it is
built on first use and rebuilt when either changed. A rebuild that fails leaves the existing
index in place and answers from it. The CLI, the REPL, the Slack bot and the servers all open
their index here; what happens is told through ``notify`` (one line each), never printed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index.build.files import corpus_fingerprint
from index.config import Settings
from index.errors import IndexMissing, TrialQAError
from index.trial_index import TrialIndex

if TYPE_CHECKING:
    from index.build.stages import Progress

log = logging.getLogger(__name__)

Notify = Callable[[str], None]


def open_index(
    settings: Settings,
    index_dir: str | Path | None = None,
    notify: Notify = log.warning,
    progress: Progress | None = None,
) -> TrialIndex:
    """The index at ``index_dir`` (or the one ``TRIALQA_INDEX`` names), loaded as it is;
    else the default index, built or rebuilt from ``settings.corpus`` when it is missing
    or the corpus or model changed."""
    if index_dir or settings.index_named:
        named = Path(index_dir) if index_dir else settings.index_dir
        ix = TrialIndex.load(named, backend=settings.backend)
        _warn_if_other_model(ix, named, settings, notify)
        return ix
    return _default_index(settings, notify, progress)


def _default_index(settings: Settings, notify: Notify, progress: Progress | None) -> TrialIndex:
    index_dir = settings.index_dir
    ix = None
    try:
        ix = TrialIndex.load(None if settings.backend == "milvus" else index_dir, backend=settings.backend)
        if is_current(ix, settings):
            return ix
        notify("the corpus or model changed; rebuilding the index…")
    except IndexMissing:
        notify(f"building the index from {settings.corpus} (first use)…")
    except TrialQAError as exc:
        notify(f"{exc}; rebuilding…")
    try:
        where = None if settings.backend == "milvus" else index_dir  # Milvus: the default index name
        return TrialIndex.build(
            [settings.corpus], where, model=settings.model, progress=progress, backend=settings.backend
        )
    except TrialQAError as exc:
        if ix is None:
            raise
        notify(
            f"could not rebuild the index ({' '.join(str(exc).split())}); answering from the existing one "
            f"at {index_dir} "
            f"(built {ix.manifest.get('created', '?')} with {ix.manifest.get('model')!r})"
        )
        return ix


def is_current(ix: TrialIndex, settings: Settings) -> bool:
    """Whether the index was built from the configured corpus (same files) with the configured model."""
    return bool(
        ix.manifest.get("corpus_fingerprint") == corpus_fingerprint([settings.corpus])
        and ix.manifest.get("model") == settings.model
    )


def _warn_if_other_model(ix: TrialIndex, where: Path, settings: Settings, notify: Notify) -> None:
    """The index's vectors come from the model that built it, so questions are embedded with
    that model; say so when it is not the configured one (stale embeddings for that model)."""
    built = ix.manifest.get("model")
    if built != settings.model:
        notify(
            f"warning: the index at {where} was built with the model {built!r}, not {settings.model!r} "
            f"(TRIALQA_MODEL / --model); questions are embedded with {built!r} to match its vectors. "
            f"To use {settings.model!r}, rebuild it: trialqa index PATH... --index {where}"
        )
