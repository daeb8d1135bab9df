"""Tokenizer for trial text.

Compound tokens ("CD133+", "1x10E6", "Child-Pugh", "UC-MSC", "i.v.", "BM-MNC") are kept
whole and also split into their parts, so a query matches either form. Words are
lower-cased and stemmed with the Snowball English stemmer (PyStemmer); stopwords include
the question words users put around what they ask ("which", "trials", "studies", "use").
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import Stemmer

# Compound tokens: alphanumeric runs joined by - / . + ^ * × (as in 1x10^6, 1.0×10^6, i.v.).
_TOKEN = re.compile(r"[^\W_]+(?:[-/.+^*×][^\W_]+)*[+]?", re.UNICODE)
_PART = re.compile(r"[^\W_]+", re.UNICODE)

ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "here's",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "how's",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "let's",
        "me",
        "more",
        "most",
        "mustn't",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "shan't",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "wasn't",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "when's",
        "where",
        "where's",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "why",
        "why's",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)
# Words of the question frame rather than its content. "no" and "not" are kept: they carry
# meaning in criteria ("No Intervention", "not applicable").
QUESTION_WORDS = frozenset(
    [
        "which",
        "what",
        "whose",
        "trial",
        "trials",
        "study",
        "studies",
        "use",
        "uses",
        "used",
        "using",
        "list",
        "show",
        "tell",
        "give",
        "gives",
        "given",
        "find",
        "any",
        "anyone",
        "there",
        "is",
        "are",
        "does",
        "do",
        "did",
        "get",
        "gets",
        "got",
        "have",
        "has",
        "had",
        "s",
    ]
)
STOPWORDS = (ENGLISH_STOPWORDS | QUESTION_WORDS) - {"no", "not", "nor", "against", "without"}


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def _norm(token: str) -> str:
    return token.lower().replace("’", "'").replace("×", "x")


def tokenize(text: str) -> list[str]:
    """Index tokens: stems of words, compounds whole plus their parts, stopwords dropped."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.replace("\\", "")):
        raw = _norm(m.group(0))
        parts = _PART.findall(raw)
        if len(parts) == 1 and not raw.endswith("+"):
            word = parts[0]
            if word in STOPWORDS:
                continue
            out.append(_stem(word) if word.isalpha() else word)
            continue
        whole = raw.rstrip(".")
        if whole and whole not in STOPWORDS:
            out.append(whole)
        for part in parts:
            if part in STOPWORDS:
                continue
            out.append(_stem(part) if part.isalpha() else part)
    return out


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for every token occurrence, for highlighting matched words.

    One entry per surface word; its token is the stem used by `tokenize`."""
    out: list[tuple[int, int, str]] = []
    for m in _PART.finditer(text):
        w = _norm(m.group(0))
        if w in STOPWORDS:
            continue
        out.append((m.start(), m.end(), _stem(w) if w.isalpha() else w))
    return out


def term_groups(text: str) -> list[tuple[str, ...]]:
    """The query's terms as groups: a plain word is a group of its stem; a compound is
    its whole form followed by its parts ("uc-msc", "uc", "msc"). A group is matched by
    its whole form or, part by part, by its parts. Duplicates are dropped."""
    out: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for m in _TOKEN.finditer(text.replace("\\", "")):
        raw = _norm(m.group(0))
        parts = _PART.findall(raw)
        if len(parts) == 1 and not raw.endswith("+"):
            word = parts[0]
            if word in STOPWORDS:
                continue
            group: tuple[str, ...] = (_stem(word) if word.isalpha() else word,)
        else:
            whole = raw.rstrip(".")
            kept = [(_stem(p) if p.isalpha() else p) for p in parts if p not in STOPWORDS]
            group = (whole, *kept) if whole not in STOPWORDS else tuple(kept)
        if group and group not in seen:
            seen.add(group)
            out.append(group)
    return out


def joined_pairs(text: str) -> set[str]:
    """Stems of adjacent words written together ("mono nuclear" -> "mononuclear"), so a
    query word matches a record that splits it in two."""
    ws = [_norm(m.group(0)) for m in _PART.finditer(text)]
    return {_stem(a + b) for a, b in itertools.pairwise(ws) if a.isalpha() and b.isalpha()}
