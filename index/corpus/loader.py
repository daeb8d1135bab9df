"""Load a corpus: walk paths, read every file, keep going past bad ones, merge duplicates.

Duplicate rule: one NCT ID found in several files is listed once. The record with the
most section text wins (ties: the first path in sorted order); the other files are kept
in the winner's ``also_sources``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.errors import CorpusError, EmptyCorpus
from index.model import Trial

log = logging.getLogger(__name__)

SKIP_NAMES = {".git", ".hg", ".svn", "__pycache__", ".venv", "node_modules"}
NOT_REGULAR = "not a regular file (a FIFO, socket or device): not read"


@dataclass(frozen=True)
class LoadError:
    source: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    trials: tuple[Trial, ...]
    errors: tuple[LoadError, ...]
    files: tuple[str, ...]

    def get(self, nct_id: str) -> Trial | None:
        nct = nct_id.strip().upper()
        return next((t for t in self.trials if t.nct_id == nct), None)


def display_path(path: Path) -> str:
    """The path as given, made relative to the working directory when it lies under it."""
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return str(path)
    return str(rel)


def iter_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[LoadError]]:
    """Files under the given paths (directories walked in sorted order, hidden entries and
    symlink loops skipped)."""
    files: list[Path] = []
    errors: list[LoadError] = []
    seen_dirs: set[str] = set()
    for raw in paths:
        _visit(Path(raw), files, errors, seen_dirs, missing="no such file or directory")
    return files, errors


def _walk(root: Path, files: list[Path], errors: list[LoadError], seen: set[str]) -> None:
    try:
        real = os.path.realpath(root)
    except OSError as exc:
        errors.append(LoadError(str(root), f"cannot resolve path ({exc})"))
        return
    if real in seen:
        errors.append(LoadError(str(root), "directory already visited (symbolic link loop)"))
        return
    seen.add(real)
    try:
        entries = sorted(root.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        errors.append(LoadError(str(root), f"cannot list directory ({exc.strerror or exc})"))
        return
    for entry in entries:
        if not (entry.name.startswith(".") or entry.name in SKIP_NAMES):
            _visit(entry, files, errors, seen, missing="removed while the directory was read")


def _visit(p: Path, files: list[Path], errors: list[LoadError], seen: set[str], missing: str) -> None:
    """A directory is walked, a regular file listed, anything else is an error (a FIFO would
    block the reader for ever; sockets and devices are not records)."""
    if p.is_dir():
        _walk(p, files, errors, seen)
    elif p.is_file():
        files.append(p)
    elif p.is_symlink():
        errors.append(LoadError(str(p), "broken or looping symbolic link"))
    elif p.exists():
        errors.append(LoadError(str(p), NOT_REGULAR))
    else:
        errors.append(LoadError(str(p), missing))


def load_corpus(
    paths: Iterable[str | Path],
    progress: Callable[[int, int], None] | None = None,
) -> Corpus:
    files, errors = iter_files(paths)
    read_trials: list[list[Trial]] = []
    names: list[str] = []
    for i, f in enumerate(files):
        source = display_path(f)
        names.append(source)
        trials, error = read_file(f, source)
        read_trials.append(trials)
        if error is not None:
            errors.append(error)
        if progress:
            progress(i + 1, len(files))
    return Corpus(trials=merge_duplicates(read_trials), errors=tuple(errors), files=tuple(names))


def read_file(path: Path, source: str) -> tuple[list[Trial], LoadError | None]:
    """One file's trials, or none and the reason it could not be read (logged)."""
    from index.corpus.readers import read  # the readers only when reading (finding files needs none)

    try:
        return list(read(path, source)), None
    except CorpusError as exc:
        log.warning("skipped %s: %s", exc.source, exc.reason)
        return [], LoadError(exc.source, exc.reason)


def merge_duplicates(read_trials: Iterable[list[Trial]]) -> tuple[Trial, ...]:
    """Each file's trials (files in walk order) as the corpus lists them: one NCT ID once,
    in order of first appearance, duplicates merged by the rule above."""
    found: dict[str, list[Trial]] = {}
    for trials in read_trials:
        for trial in trials:
            found.setdefault(trial.nct_id, []).append(trial)
    return tuple(_merge(group) for group in found.values())


def richness(trial: Trial) -> int:
    return sum(len(s.text) for s in trial.sections)


def _merge(group: list[Trial]) -> Trial:
    if len(group) == 1:
        return group[0]
    best = max(group, key=richness)  # max keeps the first of equals
    others = tuple(t.source for t in group if t is not best)
    return replace(best, also_sources=best.also_sources + others)


def require_trials(paths: Sequence[str | Path]) -> None:
    """Raise `EmptyCorpus` unless some file under the paths reads as a trial record: a build
    from nothing would replace a good index with an empty one. Reads files until one does
    (usually the first)."""
    from index.corpus.readers import read

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
