"""Abbreviations a record defines ("bone marrow (BM)", "Liver failure (LF)"), so a
sentence that says "BM" also covers a question that says "bone marrow". The field's usual
abbreviations, which records use without defining them, are data: `index.text.vocabulary`."""

from __future__ import annotations

import re

from index.model import Trial
from index.text.tokenize import tokenize

# "long form (ABBR)": the parenthesised abbreviation is found first, then the two to nine
# words right before it (scanning every word start for the whole pattern was the slow part
# of answering over a large corpus); the same matches as the single pattern
# r"((?:[\w'-]+\s+){1,8}?[\w'-]+)\s*\(\s*([A-Za-z][A-Za-z0-9-]{1,9})\s*\)" (a test checks).
_PAREN = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]{1,9})\s*\)")
_WORD_CHAR = re.compile(r"[\w'-]")
MAX_WORDS = 9


def _initials(words: list[str]) -> str:
    return "".join(p[0] for w in words for p in re.split(r"-", w) if p).lower()


def _words_before(text: str, end: int, floor: int) -> list[str]:
    """The last (up to `MAX_WORDS`) whitespace-separated words that end right before
    ``end`` (spaces allowed in between), not reaching back past ``floor``; in text order."""
    is_word = _WORD_CHAR.match
    i = end
    while i > floor and text[i - 1].isspace():
        i -= 1
    words: list[str] = []
    while len(words) < MAX_WORDS:
        j = i
        while j > floor and is_word(text[j - 1]):
            j -= 1
        if j == i:
            break
        words.append(text[j:i])
        k = j
        while k > floor and text[k - 1].isspace():
            k -= 1
        if k in (j, floor) or not is_word(text[k - 1]):
            break
        i = k
    return words[::-1]


def _long_forms(text: str) -> list[tuple[list[str], str]]:
    """(words before, abbreviation) of each "long form (ABBR)" with two words or more
    before the parenthesis, in order, not overlapping."""
    found = []
    prev = 0
    for m in _PAREN.finditer(text):
        words = _words_before(text, m.start(), prev)
        if len(words) < 2:
            continue
        found.append((words, m.group(1)))
        prev = m.end()
    return found


def definitions(text: str) -> dict[str, str]:
    """{abbreviation: long form} for every "long form (ABBR)" whose initials spell ABBR."""
    out: dict[str, str] = {}
    if "(" not in text:
        return out
    for words, abbr in _long_forms(text):
        if sum(c.isupper() for c in abbr) < 2:
            continue
        letters = "".join(c for c in abbr.lower() if c.isalpha())
        for target in (letters, letters[:-1] if letters.endswith("s") else None):
            if not target:
                continue
            for n in range(1, min(len(words), len(target)) + 1):
                if _initials(words[-n:]) == target:
                    out.setdefault(abbr, " ".join(words[-n:]))
                    break
            if abbr in out:
                break
    return out


def expansions(trial: Trial) -> dict[str, set[str]]:
    """{first token of the abbreviation: tokens of its long form} for the abbreviations one
    trial defines itself (the field's usual ones are in `index.text.vocabulary`)."""
    out: dict[str, set[str]] = {}
    for sec in trial.sections:
        for abbr, long_form in definitions(sec.text).items():
            toks = tokenize(abbr)
            if toks:
                out.setdefault(toks[0], set()).update(tokenize(long_form))
    return out
