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

# Bumped whenever tokens change: an index built with another version is rebuilt.
TOKENIZER_VERSION = 2

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
    # Plurals of acronyms ("MSCs", "HSCs", "ADSCs") lose their "s": Snowball leaves them whole.
    if len(word) >= 4 and word.endswith("s") and not re.search(r"[aeiouy]", word[1:-1]):
        return word[:-1]
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


# Words that name who is studied rather than what is asked: they weigh little in a question.
GENERIC = frozenset(["patient", "particip", "subject", "peopl", "person", "individu", "volunt", "member", "ppl", "pts"])
# Head nouns that leave the meaning to the words before them: "bleeding problems", "heart
# trouble", "splenectomy candidates", "two kinds of cells", "an episode of HE" (stems).
VAGUE = frozenset(["problem", "issu", "troubl", "candid", "thing", "kind", "sort", "episod", "bout"])
# Words that place a treatment before entry: a criterion about treatment is about earlier
# treatment, said or not ("6 months of prior drug therapy" of "after 6 months of treatment").
EARLIER = frozenset(["prior", "previous", "earlier", "preced", "first", "beforehand"])
# Words that place a condition now: a trial that excludes a disease excludes it active or
# current ("exclude active malignancy" of "Hepatocellular carcinoma or other malignancies"), or
# present ("HE present = ineligible", "the presence of ascites", "existing HCC"), or long-standing
# ("chronic hep B patients": a record's HBV-related cirrhosis is chronic hepatitis B).
CURRENT = frozenset(["activ", "current", "ongo", "present", "presenc", "exist", "chronic"])
# A word that sets a treatment apart from the cells: "cells vs standard care alone" (the control arm
# gets standard care without the cells, as its record says "standard medical care").
ALONE = frozenset(["alon"])


def term_groups(text: str) -> list[tuple[str, ...]]:
    """The query's terms as groups: a plain word is a group of its stem; a compound is
    its whole form followed by its parts ("uc-msc", "uc", "msc"). A group is matched by
    its whole form or, part by part, by its parts. Duplicates are dropped."""
    return parse_terms(text)[0]


def parse_terms(text: str) -> tuple[list[tuple[str, ...]], set[tuple[int, int]]]:
    """Term groups (see `term_groups`) and phrase links: pairs of group indices whose
    words stand next to each other in the text ("liver failure", "hepatic artery")."""
    out: list[tuple[str, ...]] = []
    index: dict[tuple[str, ...], int] = {}
    links: set[tuple[int, int]] = set()
    prev: int | None = None
    for m in _TOKEN.finditer(text.replace("\\", "")):
        raw = _norm(m.group(0))
        parts = _PART.findall(raw)
        if len(parts) == 1 and not raw.endswith("+"):
            word = parts[0]
            group: tuple[str, ...] = () if word in STOPWORDS else ((_stem(word) if word.isalpha() else word),)
        else:
            whole = raw.rstrip(".")
            kept = [(_stem(p) if p.isalpha() else p) for p in parts if p not in STOPWORDS]
            group = (whole, *kept) if whole not in STOPWORDS else tuple(kept)
        if not group:
            prev = None
            continue
        if group not in index:
            index[group] = len(out)
            out.append(group)
        cur = index[group]
        if prev is not None and prev != cur:
            links.add((min(prev, cur), max(prev, cur)))
        prev = cur
    return out, links


# Prefixes that keep a word's meaning ("coinfection" is an infection); negating or
# opposite ones (non-, anti-, hypo-/hyper-) are deliberately absent.
_KEEP_PREFIXES = ("co", "re", "pre", "post", "sub", "multi", "semi", "inter")


def near(a: str, b: str) -> bool:
    """Stems that differ only in a short ending the stemmer left ("bacteri"/"bacteria") or
    a meaning-preserving prefix ("coinfect"/"infect")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 5 or not short.isalpha():
        return False
    if long_.startswith(short) and len(long_) - len(short) <= 2:
        return True
    return long_.endswith(short) and long_[: len(long_) - len(short)].rstrip("-") in _KEEP_PREFIXES


def joined_pairs(text: str) -> set[str]:
    """Stems of adjacent words written together ("mono nuclear" -> "mononuclear"), so a
    query word matches a record that splits it in two."""
    ws = [_norm(m.group(0)) for m in _PART.finditer(text)]
    return {_stem(a + b) for a, b in itertools.pairwise(ws) if a.isalpha() and b.isalpha()}
