"""`ask --conversation FILE`: the state file read, replaced atomically, and refused when it is not one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.conversation_file import ConversationFileError, locked, read_state, write_state
from index import Conversation

NEW_STATE = {
    "version": 1,
    "turns": 0,
    "group": [],
    "shown": [],
    "about": None,
    "focus": "list",
    "words": {},
    "query": None,
}


def test_a_missing_file_is_a_new_conversation(tmp_path: Path) -> None:
    assert read_state(tmp_path / "c.json") is None


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    write_state(path, NEW_STATE)
    assert read_state(path) == NEW_STATE
    assert path.read_text(encoding="utf-8") == json.dumps(NEW_STATE) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json"]  # no temporary file left


def test_a_state_the_library_gives_is_accepted() -> None:
    Conversation.check_state(NEW_STATE)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"^not a trialqa conversation \(.*\); delete it to start a new conversation$"),
        ('{"turns": "many"}', r"^not a trialqa conversation \(.*\); delete it to start a new conversation$"),
        ("[]", r"^not a trialqa conversation"),
    ],
)
def test_a_file_that_is_not_a_conversation_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConversationFileError, match=message):
        read_state(path)


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConversationFileError, match=r"^cannot read it \("):
        read_state(path)
    with pytest.raises(ConversationFileError, match=r"^cannot read it \("):
        read_state(tmp_path)  # a directory


def test_locked_holds_a_lock_file_next_to_it(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    with locked(path):
        write_state(path, NEW_STATE)
    assert (tmp_path / "c.json.lock").exists()
    assert read_state(path) == NEW_STATE
