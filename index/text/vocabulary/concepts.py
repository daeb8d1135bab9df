"""Conditions as concepts: MeSH headings, their entry terms and broader headings, kept as
reviewed data (`conditions.tsv` beside this module).

A concept is a MeSH heading, named in lower case ("diabetes mellitus, type 2"). `Concepts.find`
reads the concepts a text names ("T2DM", "type 2 diabetes", "Diabetes Mellitus, Type 2" all
name that one; "heart attacks" names "myocardial infarction"); `Concepts.named_in` gives the
concepts a condition line states with every broader one the table knows (how a record without
MeSH terms, such as a Veeva page listing "Liver Cirrhosis", reaches "liver diseases").
`Concepts.with_headings` adds the headings a corpus's records carry (the registry's MeSH terms
and ancestors), so a question may name any of them ("hepatic insufficiency") even when the
table does not list it. Terms match as runs of whole words compared by stem, stopwords kept
(see `index.text.vocabulary`); a term without lower-case letters of at most five characters
(ALS, T2DM) matches only as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.text.vocabulary import _key_words, upward

KINDS = ("mesh", "generic")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    concept: str  # the heading, lower-cased


@dataclass(frozen=True)
class _Term:
    key: tuple[str, ...]
    text: str
    exact: bool
    concept: str
    table: bool  # from the table (not only a corpus heading)


def _key(text: str) -> tuple[str, ...]:
    return tuple(w[2] for w in _key_words(text))


def heading_forms(heading: str) -> list[str]:
    """A heading as written and, for "A, B, C", as "C B A" (MeSH's inverted headings)."""
    parts = [p.strip() for p in heading.split(", ") if p.strip()]
    return [heading, " ".join(reversed(parts))] if len(parts) > 1 else [heading]


def _exact(term: str) -> bool:
    return len(term) <= 5 and not any(c.islower() for c in term) and any(c.isalpha() for c in term)


class Concepts:
    """MeSH headings with their entry terms and broader headings (see the module doc)."""

    def __init__(
        self,
        headings: Iterable[tuple[str, list[str], list[str]]],
        generic: Iterable[str] = (),
        extra: Iterable[str] = (),
        present: frozenset[str] | None = None,
    ) -> None:
        """``headings``: (heading, broader headings, entry terms); ``generic``: headings too
        general to name a condition; ``extra``: further heading names (a corpus's MeSH);
        ``present``: the concepts some trial of a corpus has (None: not known)."""
        self.rows = [(h, list(b), list(e)) for h, b, e in headings]
        self.generic = frozenset(g.lower() for g in generic)
        self.extra = frozenset(x.lower() for x in extra)
        self.present = present
        self.broader: dict[str, frozenset[str]] = {}
        terms: dict[tuple[tuple[str, ...], bool], _Term] = {}

        def add(text: str, concept: str, table: bool) -> None:
            k, exact = _key(text), _exact(text)
            if k and (k, exact) not in terms:
                terms[(k, exact)] = _Term(k, text, exact, concept, table)

        for heading, broader, entries in self.rows:
            c = heading.lower()
            self.broader[c] = frozenset(b.lower() for b in broader)
            for form in heading_forms(heading):
                add(form, c, True)
            for e in entries:
                add(e, c, True)
        for name in sorted(self.extra):
            for form in heading_forms(name):
                add(form, name, False)
        self._by_first: dict[str, list[_Term]] = {}
        for t in sorted(terms.values(), key=lambda t: -len(t.key)):
            self._by_first.setdefault(t.key[0], []).append(t)
        self._closure: dict[str, frozenset[str]] = {}
        self._named: dict[str, frozenset[str]] = {}

    @classmethod
    def parse(cls, text: str) -> Concepts:
        """Concepts from the text of a table (see `conditions.tsv`)."""
        rows: list[tuple[str, list[str], list[str]]] = []
        generic: list[str] = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            kind = fields[0]
            if kind not in KINDS:
                raise ValueError(f"conditions line {n}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
            if kind == "generic":
                generic.extend(f for f in fields[1:] if f)
                continue
            if len(fields) < 3 or not fields[1]:
                raise ValueError(f"conditions line {n}: a mesh line needs a heading and its broader headings")
            broader = [] if fields[2] == "-" else [b.strip() for b in fields[2].split(";") if b.strip()]
            rows.append((fields[1], broader, [f for f in fields[3:] if f]))
        return cls(rows, generic)

    def for_corpus(self, mesh: Iterable[str], conditions: Iterable[str] = ()) -> Concepts:
        """These concepts with a corpus's MeSH headings (its records' condition terms and
        ancestors) as further concepts, and `present` set to the concepts its trials have:
        those headings and the concepts its condition lines name (`named_in`)."""
        names = {n.lower() for n in mesh}
        present = set(names)
        for c in conditions:
            present |= self.named_in(c)
        return Concepts(self.rows, self.generic, self.extra | names, frozenset(present))

    def find(self, text: str, table_only: bool = False) -> list[Found]:
        """Concepts named in ``text``: the longest term at each word, left to right, not overlapping."""
        ws = _key_words(text)
        out: list[Found] = []
        i = 0
        while i < len(ws):
            best: _Term | None = None
            for t in self._by_first.get(ws[i][2], ()):
                n = len(t.key)
                if (table_only and not t.table) or i + n > len(ws) or (best is not None and n <= len(best.key)):
                    continue
                if all(ws[i + j][2] == t.key[j] for j in range(n)) and (not t.exact or ws[i][3] == t.text):
                    best = t
            if best is None:
                i += 1
                continue
            n = len(best.key)
            out.append(Found(ws[i][0], ws[i + n - 1][1], best.concept))
            i += n
        return out

    def closure(self, concept: str) -> frozenset[str]:
        """The concept and every broader heading the table gives it, transitively."""
        found = self._closure.get(concept)
        if found is None:
            found = self._closure[concept] = upward(concept, self.broader)
        return found

    def named_in(self, text: str) -> frozenset[str]:
        """The table's concepts a condition line names, with their broader headings (kept per
        line: the same lines come back question after question)."""
        found = self._named.get(text)
        if found is None:
            out: set[str] = set()
            for f in self.find(text, table_only=True):
                out |= self.closure(f.concept)
            found = frozenset(out)
            if len(self._named) < 100_000:
                self._named[text] = found
        return found


@lru_cache(maxsize=1)
def concepts() -> Concepts:
    """The packaged table (`conditions.tsv`), read once."""
    text = resources.files(__package__).joinpath("conditions.tsv").read_text(encoding="utf-8")
    return Concepts.parse(text)
