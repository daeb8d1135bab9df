"""The cue words of follow-up questions (`followups.json`, reviewed data) as patterns, and
the small text steps a conversation reads a follow-up with: find a cue, cut it out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

CUES_FILE = Path(__file__).with_name("followups.json")
_WORD = r"[\w'’.-]+"


@dataclass(frozen=True)
class Cues:
    """Compiled cue patterns; `cues()` loads them once."""

    narrow: dict[str, str]  # phrase (lower case, single spaces) -> what it becomes in the searched question
    narrow_rx: re.Pattern[str]
    plural_rx: re.Pattern[str]
    single_strong_rx: re.Pattern[str]
    single_weak_rx: re.Pattern[str]
    ordinal_rx: re.Pattern[str]  # group 1: the ordinal word
    ordinals: dict[str, int]
    numbered_rx: re.Pattern[str]  # group 1: the number
    other_rx: re.Pattern[str]
    named_rx: re.Pattern[str]  # group 1: the naming words
    lead_rx: re.Pattern[str]
    subject_rx: re.Pattern[str]
    facts: tuple[tuple[str, re.Pattern[str]], ...]  # (fact field, the words that ask for it)


def _alternation(phrases: list[str]) -> str:
    """Phrases as a regex alternation, longest first, a space matching any run of spaces."""
    ordered = sorted({p.strip().lower() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


def _whole(phrases: list[str], after: str = "") -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alternation(phrases)})(?!\w){after}", re.I)


def _public(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def cues(path: Path = CUES_FILE) -> Cues:
    d = json.loads(path.read_text(encoding="utf-8"))
    narrow = {" ".join(k.lower().split()): v for k, v in _public(d["narrow"]).items()}
    nouns = _alternation(d["nouns"])
    ordinals = {k.lower(): int(v) for k, v in d["ordinals"]["words"].items()}
    not_before = _alternation(d["plural"]["not_before"])
    max_words = int(d["named"]["max_words"])
    return Cues(
        narrow=narrow,
        narrow_rx=_whole(list(narrow)),
        plural_rx=_whole(d["plural"]["words"], after=rf"(?!\s+(?:{not_before})(?!\w))"),
        single_strong_rx=_whole(d["single"]["strong"]),
        single_weak_rx=_whole(d["single"]["weak"]),
        ordinal_rx=re.compile(rf"(?<!\w)the\s+({_alternation(list(ordinals))})(?:\s+(?:{nouns}))?(?!\w)", re.I),
        ordinals=ordinals,
        numbered_rx=re.compile(rf"(?<!\w)(?:{_alternation(d['ordinals']['numbered'])})\s*(\d{{1,3}})(?!\w)", re.I),
        other_rx=_whole(d["other"]["phrases"]),
        named_rx=re.compile(rf"(?<!\w)the\s+((?:{_WORD}\s+){{0,{max_words - 1}}}{_WORD})\s+(?:{nouns})(?!\w)", re.I),
        lead_rx=re.compile(rf"^\s*(?:{_alternation(d['lead']['phrases'])})(?!\w)[\s,]*", re.I),
        subject_rx=_whole(d["subject"]["phrases"]),
        facts=tuple((name, _whole(words)) for name, words in _public(d["facts"]).items()),
    )


def cut(text: str, span: tuple[int, int], put: str = "") -> str:
    """``text`` with ``span`` replaced by ``put``, spaces tidied."""
    out = f"{text[: span[0]]} {put} {text[span[1] :]}"
    return re.sub(r"\s+([?.!,;:])", r"\1", " ".join(out.split())).strip()


def narrowed(text: str, c: Cues) -> tuple[str, list[str]]:
    """``text`` with every narrowing phrase replaced as `followups.json` says, and the
    phrases found (in order)."""
    found: list[str] = []

    def swap(m: re.Match[str]) -> str:
        phrase = " ".join(m.group(0).lower().split())
        found.append(phrase)
        return f" {c.narrow.get(phrase, '')} "

    out = c.narrow_rx.sub(swap, text)
    return re.sub(r"\s+([?.!,;:])", r"\1", " ".join(out.split())).strip(), found


def without(text: str, rx: re.Pattern[str]) -> str:
    """``text`` with every match of ``rx`` removed."""
    out = rx.sub(" ", text)
    return re.sub(r"\s+([?.!,;:])", r"\1", " ".join(out.split())).strip()


def quoted(text: str) -> str:
    return "“" + " ".join(text.split()) + "”"
