"""The field's vocabulary, kept as reviewed data (`terms.tsv` beside this module).

Groups of terms that mean the same here (lay and clinical words, spelling variants and the
misspellings records really contain, the field's abbreviations), one-way "is a" links (a
record's "MSC" answers a question about "stem cells"), and the question verbs that carry no
content ("which trials *receive* X?" asks for X).

Terms match as runs of whole words compared by stem, stopwords kept ("under the skin",
"patient's own"); an abbreviation of at most three capitals ("IV", "SC", "BM") matches only
as written, so "iv" in "phase iv" or "sc" in other words does not; one of two or three small
letters ("pt", "bx", "rn") not in capitals, so "pt" (a patient) is not "PT" (prothrombin time). Uses:

- `Vocabulary.sentence_tokens(text)`: the index tokens of every term of every group the
  text names, so a sentence saying "renal" also covers a question saying "kidney";
- `Vocabulary.narrower_tokens(text)`: the tokens of the kinds one step narrower than the
  terms it names (what an exclusion of "severe problems" also excludes: "failure");
- `Vocabulary.rewrite(question)`: a question's lay phrases whose words the tokenizer would
  drop ("own cells", "under the skin") replaced by their group's first term;
- `Vocabulary.query_tokens(text)`: tokens to add to a retrieval query;
- `Vocabulary.drop_frames(question)`: the question without its content-less verbs;
- `Vocabulary.whole(term)`: whether a term of several words counts only whole in a sentence
  (a sentence about stem cell transplantation in the liver says no "liver transplantation").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from index.text.tokenize import ENGLISH_STOPWORDS, _norm, _stem, tokenize

KINDS = ("same", "abbr", "isa", "lay", "frame", "whole")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)  # a frame may be written with a hyphen ("cut-off")
_EXACT = re.compile(r"[A-Z]{2,3}")  # an abbreviation that matches only in capitals
_SMALL = re.compile(r"[a-z]{2,3}")  # an abbreviation in small letters: never its capitals ("pt" is no "PT")


@dataclass(frozen=True)
class Term:
    text: str
    key: tuple[str, ...]  # stems of its words, stopwords kept
    exact: bool  # matches only as written (short capitals)
    group: int  # its merged group
    lay: bool = False  # a question's wording only: rewritten in questions, never read into records
    dotted: bool = False  # letters joined by dots ("i.m."): matches only so written, not "I'm" or "i m"
    small: bool = False  # an abbreviation in small letters ("pt"): not when written in capitals ("PT")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    term: Term


def _key_words(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, stem, surface) of each word; stems of stopwords kept."""
    out = []
    for m in _WORD.finditer(text):
        w = _norm(m.group(0))
        out.append((m.start(), m.end(), _stem(w) if w.isalpha() else w, m.group(0)))
    return out


_DOTTED = re.compile(r"(?:[^\W\d_]\.\s?)+[^\W\d_]\.?")


K = TypeVar("K", bound=Hashable)


def upward(start: K, broader: Mapping[K, Iterable[K]]) -> frozenset[K]:
    """``start`` and everything ``broader`` leads to from it, transitively (cycles are safe)."""
    done: set[K] = set()
    todo = [start]
    while todo:
        x = todo.pop()
        if x not in done:
            done.add(x)
            todo.extend(broader.get(x, ()))
    return frozenset(done)


def _is_dotted(term: str) -> bool:
    """A term of single letters each followed by a dot: "i.m.", "s.c.", "p.o."."""
    return bool(_DOTTED.fullmatch(term))


def _small(kind: str, i: int, term: str) -> bool:
    """Whether a term of a vocabulary line is an abbreviation in small letters ("pt", "bx"):
    an abbreviation line's first term or a lay line's wording."""
    return bool(_SMALL.fullmatch(term)) and ((kind == "abbr" and i == 0) or (kind == "lay" and i > 0))


def _as_written(term: Term, text: str, start: int, end: int, first: str) -> bool:
    """Whether the words of ``text`` from ``start`` to ``end`` that match ``term`` by stem write
    it as it must be written: an exact abbreviation in its capitals, a dotted one with its dots
    ("i.m." or "i. m.", never "I'm")."""
    if term.exact:
        return first == term.text
    if term.dotted:
        return "".join(text[start:end].split()).lower() == term.text.lower().rstrip(".")
    return not (term.small and len(first) > 1 and first.isupper())


class Vocabulary:
    """Groups of equivalent terms, "is a" links between groups, and frame verbs."""

    def __init__(self, rows: Iterable[tuple[str, list[str]]]) -> None:
        lines: list[tuple[str, list[str]]] = []
        frames: set[str] = set()
        wholes: list[str] = []
        for kind, terms in rows:
            if kind not in KINDS:
                raise ValueError(f"unknown vocabulary kind {kind!r} (one of {', '.join(KINDS)})")
            if kind == "frame":
                frames.update(t.lower() for t in terms)
            elif kind == "whole":
                wholes.extend(terms)
            elif len(terms) < 2:
                raise ValueError(f"a {kind} line needs two terms or more: {terms!r}")
            else:
                lines.append((kind, terms))
        self.frames = frozenset(frames)
        self._build(lines)
        keys = {tuple(w[2] for w in _key_words(t)) for t in wholes}
        unknown = [t for t in wholes if tuple(w[2] for w in _key_words(t)) not in {x.key for x in self.terms}]
        if unknown:
            raise ValueError(f"a whole line names terms no other line has: {unknown!r}")
        self._whole = frozenset(t.group for t in self.terms if t.key in keys)

    def whole(self, term: Term) -> bool:
        """Whether ``term`` counts only whole (a "whole" line names its group): its words that
        are terms of their own do not count apart."""
        return term.group in self._whole

    def _build(self, lines: list[tuple[str, list[str]]]) -> None:
        # Merge "same", "abbr" and "lay" lines that share a term (by key; "pt" in small letters apart): one group each.
        parent: dict[tuple[str, ...], tuple[str, ...]] = {}

        def find(k: tuple[str, ...]) -> tuple[str, ...]:
            while parent.setdefault(k, k) != k:
                k = parent[k]
            return k

        def key(t: str) -> tuple[str, ...]:
            return tuple(w[2] for w in _key_words(t))

        def mkey(kind: str, i: int, t: str) -> tuple[str, ...]:  # a small "pt" is no "PT": two terms
            return (*key(t), "\0") if _small(kind, i, t) else key(t)

        heads: dict[tuple[str, ...], str] = {}  # a group's first long term
        for kind, terms in lines:
            keys = [mkey(kind, i, t) for i, t in enumerate(terms)]
            if kind == "isa":
                for k in keys:
                    find(k)
                continue
            for k in keys[1:]:
                a, b = find(keys[0]), find(k)
                if a != b:
                    parent[b] = a
            head_term = terms[1] if kind == "abbr" else terms[0]
            heads.setdefault(find(keys[0]), head_term)
        roots: dict[tuple[str, ...], int] = {}
        self.terms: list[Term] = []
        self.members: list[list[Term]] = []
        seen: set[tuple[tuple[str, ...], bool]] = set()
        self.abbr: dict[str, str] = {t[0]: t[1] for kind, t in lines if kind == "abbr"}
        for kind, terms in lines:
            for i, t in enumerate(terms):
                k = key(t)
                exact = bool(_EXACT.fullmatch(t))
                if not k or (k, exact) in seen:
                    continue
                seen.add((k, exact))
                g = roots.setdefault(find(mkey(kind, i, t)), len(roots))
                if g == len(self.members):
                    self.members.append([])
                small = _small(kind, i, t)
                term = Term(t, k, exact, g, lay=kind == "lay" and i > 0, dotted=_is_dotted(t), small=small)
                self.terms.append(term)
                self.members[g].append(term)
        self.head = {roots[r]: heads.get(r, self.members[roots[r]][0].text) for r in roots}
        self.broader: dict[int, set[int]] = {}
        for kind, terms in lines:
            if kind == "isa":
                g0 = roots[find(key(terms[0]))]
                self.broader.setdefault(g0, set()).update(roots[find(key(t))] for t in terms[1:])
        self.narrower: dict[int, set[int]] = {}
        for narrow, wide in self.broader.items():
            for w in wide:
                self.narrower.setdefault(w, set()).add(narrow)
        self._by_first: dict[str, list[Term]] = {}
        for term in sorted(self.terms, key=lambda x: -len(x.key)):
            self._by_first.setdefault(term.key[0], []).append(term)
        self._tokens: dict[int, frozenset[str]] = {}
        self._kinds: dict[int, frozenset[int]] = {}
        # the words the vocabulary knows as terms of their own ("intrathecal"; not "positive" of "CD133 positive")
        self.term_tokens = frozenset(t for term in self.terms if len(toks := tokenize(term.text)) == 1 for t in toks)
        self._same: dict[str, set[str]] = {}
        for term in self.terms:
            if len(toks := tokenize(term.text)) == 1:
                self._same.setdefault(toks[0], set()).update(
                    t for other in self.members[term.group] if not other.lay for t in tokenize(other.text)
                )

    @classmethod
    def parse(cls, text: str) -> Vocabulary:
        """A vocabulary from the text of a terms file (see `terms.tsv`)."""
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            terms = [f for f in fields[1:] if f]
            if not terms:
                raise ValueError(f"vocabulary line {n}: no terms: {line!r}")
            rows.append((fields[0], terms))
        return cls(rows)

    def find(self, text: str, max_words: int | None = None) -> list[Match]:
        """Terms named in ``text``: the longest at each word, left to right, not overlapping
        (with ``max_words``, terms of at most that many words)."""
        ws = _key_words(text)
        out: list[Match] = []
        i = 0
        while i < len(ws):
            best: Term | None = None
            for term in self._by_first.get(ws[i][2], ()):
                n = len(term.key)
                if i + n > len(ws) or (best is not None and n <= len(best.key)) or (max_words and n > max_words):
                    continue
                if all(ws[i + j][2] == term.key[j] for j in range(n)) and _as_written(
                    term, text, ws[i][0], ws[i + n - 1][1], ws[i][3]
                ):
                    best = term
            if best is None:
                i += 1
                continue
            n = len(best.key)
            end = ws[i + n - 1][1]
            end += int(best.dotted and text[end : end + 1] == ".")  # "i.m." with its last dot
            out.append(Match(ws[i][0], end, best))
            i += n
        return out

    def equivalents(self, token: str) -> frozenset[str]:
        """The tokens of the terms that mean the same as a one-word term's token ("pts":
        "patient", "pts"); empty for a token that is no term of its own."""
        return frozenset(self._same.get(token, ()))

    def with_broader(self, group: int) -> frozenset[int]:
        """The group and every group it is a kind of ("is a" links followed all the way up)."""
        found = self._kinds.get(group)
        if found is None:
            found = self._kinds[group] = upward(group, self.broader)
        return found

    def group_tokens(self, group: int) -> frozenset[str]:
        """Index tokens of every term of a group and of the groups it is a kind of."""
        found = self._tokens.get(group)
        if found is None:
            toks = {
                t
                for g in self.with_broader(group)
                for term in self.members[g]
                if not term.lay
                for t in tokenize(term.text)
            }
            found = self._tokens[group] = frozenset(toks)
        return found

    def sentence_tokens(self, text: str) -> set[str]:
        """Tokens a sentence covers through the vocabulary (its own tokens not included); a
        longer term keeps what its head says ("liver cirrhosis" says "cirrhosis" too)."""
        out: set[str] = set()
        for m in self.find(text):
            if m.term.lay:
                continue
            out |= self.group_tokens(m.term.group)
            if len(m.term.key) > 1:
                span = text[m.start : m.end]
                for part in self.find(span, max_words=len(m.term.key) - 1):
                    # its head, the last words: "liver cirrhosis" is cirrhosis; "bleeding tendency" is no
                    # bleeding; "IV" of "phase IV" is no route
                    if part.end == len(span) and not part.term.lay and not part.term.exact:
                        out |= self.group_tokens(part.term.group)
        return out

    def narrower_tokens(self, text: str) -> set[str]:
        """Tokens of the groups one "is a" step narrower than those the text names: an
        exclusion of a kind ("severe problems", "malignancies") excludes its kinds ("failure",
        "carcinoma"). Not transitive, so an exclusion does not reach far below what it says."""
        out: set[str] = set()
        for m in self.find(text):
            if m.term.lay:
                continue
            for g in self.narrower.get(m.term.group, ()):
                for term in self.members[g]:
                    if not term.lay:
                        out.update(tokenize(term.text))
        return out

    def query_tokens(self, text: str, known: Callable[[str], bool] | None = None) -> list[str]:
        """Tokens to add to a retrieval query for the terms it names, in order, without repeats;
        with ``known`` (is a token in the corpus?), only for terms the corpus does not contain."""
        have = set(tokenize(text))
        out: list[str] = []
        for m in self.find(text):
            if known is not None and any(known(t) for t in tokenize(m.term.text)):
                continue
            for t in sorted(self.group_tokens(m.term.group)):
                if t not in have:
                    have.add(t)
                    out.append(t)
        return out

    def rewrite(self, question: str) -> str:
        """The question with each lay phrase whose words the tokenizer would drop ("own cells",
        "under the skin": stopwords, possessives) replaced by its group's first term."""
        parts: list[str] = []
        at = 0
        for m in self.find(question):
            words = [_norm(w) for w in _WORD.findall(m.term.text)]
            if not m.term.lay and not any(w in ENGLISH_STOPWORDS or len(w) == 1 for w in words):
                continue
            head = self.head[m.term.group]
            if head == m.term.text:
                continue
            parts.append(question[at : m.start])
            parts.append(head)
            at = m.end
        parts.append(question[at:])
        return "".join(parts)

    def drop_frames(self, question: str) -> str:
        """The question without its content-less verbs (each replaced by a space)."""
        return _HYPHENATED.sub(lambda m: " " if m.group(0).lower() in self.frames else m.group(0), question)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The packaged vocabulary (`terms.tsv`), read once."""
    text = resources.files(__package__).joinpath("terms.tsv").read_text(encoding="utf-8")
    return Vocabulary.parse(text)
