"""A question's misspelt words read as the corpus writes them: "exlude", "pregant",
"encephalopaty", "bone marow", "placebo contol" are one edit away from a word of the records.
A word is corrected only when nothing knows it (no record, no term of the vocabulary, no
stopword, and no English word the query encoder knows, nor one of the same stem: "older",
"allows", "qualifies" stay), it has at least `MIN_LETTERS` letters, and a word of the records
is one edit away (a letter left out, added, changed, or two swapped; never the first): the
most common such word. Abbreviations in capitals and words with digits are left as written.
Without the English words (an encoder that does not list them) nothing is corrected.
A word no record has that swaps two letters of a word naming what a list asks for ("which trails
...", "any stuides ...") is that word, though English knows it: such a swap makes another word."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from functools import lru_cache

from index.text.tokenize import ENGLISH_STOPWORDS, QUESTION_WORDS, _stem, tokenize
from index.text.vocabulary import vocabulary

MIN_LETTERS = 4  # shorter words have too many neighbours
_WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z]+(?![\w-])")
IdfFn = Callable[[str], float]


@lru_cache(maxsize=1)
def _vocabulary_tokens() -> frozenset[str]:
    return frozenset(t for term in vocabulary().terms for t in tokenize(term.text))


@lru_cache(maxsize=4)
def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_stem(w) for w in words)


def _known(word: str, idf: IdfFn, words: frozenset[str] = frozenset()) -> float | None:
    """How rare a known word is: its idf in the records, 0 for a stopword, a word of the
    vocabulary or of ``words`` (or of their stems) that no record has; None for a word nothing
    knows."""
    w = word.lower()
    stem = _stem(w)
    rarity = idf(stem)
    if rarity > 0:
        return rarity
    if w in ENGLISH_STOPWORDS or w in QUESTION_WORDS or w in vocabulary().frames or w in words:
        return 0.0
    if stem in _vocabulary_tokens() or (words and stem in _stems(words)):  # "qualifies": "qualify"
        return 0.0
    return None


# Spellings that sound alike, one of them written for the other ("periferal", "studys"): a
# word with one such swap is as near as one edit.
_SOUNDS = (("f", "ph"), ("ph", "f"), ("ys", "ies"))


def _sound_alikes(word: str) -> Iterator[str]:
    for a, b in _SOUNDS:
        at = word.find(a, 1)
        while at > 0:
            yield word[:at] + b + word[at + len(a) :]
            at = word.find(a, at + 1)


def _edits(word: str) -> Iterator[str]:
    """The words one edit (or one sound-alike spelling, `_SOUNDS`) from ``word`` that keep its
    first letter."""
    yield from _sound_alikes(word)
    head, rest = word[0], word[1:]
    letters = string.ascii_lowercase
    for i in range(len(rest) + 1):
        a, b = rest[:i], rest[i:]
        if b:
            yield head + a + b[1:]
            for c in letters:
                if c != b[0]:
                    yield head + a + c + b[1:]
        if len(b) > 1:
            yield head + a + b[1] + b[0] + b[2:]
        for c in letters:
            yield head + a + c + b


# The words a question asks with: a word nothing knows one edit from one of them is that word.
_ASKING = ("which", "where")
# What a list question asks for: a swap of two letters in one of them reads as the word.
_HEADS = ("trials", "trial", "studies", "study")


def _swaps(word: str) -> Iterator[str]:
    """The words that swap two neighbouring letters of ``word``."""
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _swapped_head(word: str, idf: IdfFn) -> str | None:
    """The head word (`_HEADS`) that ``word`` spells as it sounds ("studys"), or swaps two
    letters of when no record has ``word``."""
    w = word.lower()
    if w in _HEADS:
        return None
    alike = set(_sound_alikes(w))  # "which studys": the stem is the head's, so no idf guard
    if found := next((h for h in _HEADS if h in alike), None):
        return found
    if idf(_stem(w)) > 0:
        return None
    return next((h for h in _HEADS if w in set(_swaps(h))), None)


def correction(word: str, idf: IdfFn, words: frozenset[str] = frozenset()) -> str | None:
    """The word of the records or the vocabulary one edit from a ``word`` nothing knows (not
    the records, the vocabulary nor the English ``words``): the most common (ties: the first
    alphabetically); None when ``word`` is known, short, or has no such neighbour."""
    if len(word) < MIN_LETTERS:
        return None
    if (head := _swapped_head(word, idf)) is not None:  # "which trails ..."
        return head.capitalize() if word[0].isupper() else head
    if _known(word, idf, words) is not None:
        return None
    edits = set(_edits(word.lower()))
    if asking := next((w for w in _ASKING if w in edits), None):  # "wich", "whch", "whcih": "which"
        return asking.capitalize() if word[0].isupper() else asking
    found = {c: r for c in edits if (r := _known(c, idf)) is not None and r > 0}
    if not found:
        return None
    best = min(found, key=lambda c: (found[c], c))
    return best.capitalize() if word[0].isupper() else best


def joined(question: str, idf: IdfFn, words: frozenset[str] = frozenset()) -> str:
    """The question with a word split in two by dictation ("auto logous") written whole: two
    words one space apart, the second in lower case and one of them known to nothing (`_known`:
    "hepato cellular" stays, English knows both), whose concatenation is a word of the records or
    of the vocabulary ("mesen kimal": a misspelling the vocabulary reads)."""
    found = list(_WORD.finditer(question))
    out, at, i = [], 0, 0
    while i < len(found) - 1:
        m, n = found[i], found[i + 1]
        a, b = m.group(0), n.group(0)
        if (
            n.start() == m.end() + 1
            and question[m.end()] == " "
            and b.islower()
            and (_known(a, idf, words) is None or _known(b, idf, words) is None)
            and (idf(stem := _stem((a + b).lower())) > 0 or stem in _vocabulary_tokens())
        ):
            out += [question[at : m.end()], b]
            at, i = n.end(), i + 2
        else:
            i += 1
    return "".join([*out, question[at:]])


def correct(question: str, idf: IdfFn, words: frozenset[str] = frozenset()) -> str:
    """The question with each word split in two joined (`joined`) and each misspelt word
    (`correction`) replaced; ``words``: English words (the query encoder's whole word
    pieces), never corrected; without them nothing is."""
    if not words:
        return question
    whole = joined(question, idf, words)
    return _WORD.sub(lambda m: correction(m.group(0), idf, words) or m.group(0), whole)
