"""A progress reporter for long work: a rich bar on a terminal, log lines otherwise."""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

log = logging.getLogger("trialqa")

_LABELS = {
    "read": "Reading files",
    "tokenize": "Tokenizing",
    "facts": "Extracting facts",
    "embed": "Embedding",
    "write": "Writing index",
    "fetch": "Fetching studies",
    "check": "Checking studies",
}


class Reporter:
    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._last: dict[str, int] = {}

    def __enter__(self) -> Reporter:
        return self

    def _start(self) -> None:
        """The bar appears with the first stage (a context with no long work prints nothing)."""
        if self.enabled and self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description:<14}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        self._start()
        if self._progress is not None:
            if stage not in self._tasks:
                self._tasks[stage] = self._progress.add_task(_LABELS.get(stage, stage), total=total)
            self._progress.update(self._tasks[stage], completed=done, total=total)
            return
        pct = 100 * done // total if total else 100
        if pct // 25 != self._last.get(stage, -1) // 25 or done == total:
            self._last[stage] = pct
            log.info("%s: %d/%d", _LABELS.get(stage, stage), done, total)
