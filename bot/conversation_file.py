"""`trialqa ask --conversation FILE`: a conversation's state kept in a JSON file between
one-shot calls, read and replaced atomically under a lock (two calls at once take turns)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock

from index import Conversation


class ConversationFileError(ValueError):
    """The file is not a conversation state trialqa wrote."""


def read_state(path: Path) -> dict[str, Any] | None:
    """The state in ``path``; None when it does not exist (a new conversation)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConversationFileError(f"cannot read it ({exc})") from None
    try:
        state = json.loads(text)
        Conversation.check_state(state)
    except ValueError as exc:  # JSONDecodeError too
        raise ConversationFileError(
            f"not a trialqa conversation ({exc}); delete it to start a new conversation"
        ) from None
    return state


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Replace ``path`` with ``state`` atomically (a reader sees the old file or the new one)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(state, f, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``FILE.lock`` while a call reads, answers and writes the conversation."""
    with FileLock(str(path.with_name(path.name + ".lock"))):
        yield
