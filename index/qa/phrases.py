"""How a question's words count in a sentence: a term group by its forms or parts, or a
long word by a near stem (`covers`); a single letter only beside the word it qualifies
(`letters_of`, `loose_letters`: the B of "hepatitis B"); a term of the vocabulary the question
names in several words only whole, or by those of its words that are terms of their own
(`question_phrases`, `whole_phrases`: "portal vein")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.facts.vocabulary import ROUTE_TERMS
from index.qa.question import Groups, Links
from index.qa.support import meaning_tokens
from index.text.tokenize import near, tokenize, words
from index.text.vocabulary import vocabulary


def covers(group: tuple[str, ...], toks: set[str]) -> bool:
    if group[0] in toks:
        return True
    parts = group[1:]
    if parts:
        return all(p in toks for p in parts)
    word = group[0]
    if len(word) < 5:
        return False
    # `near` needs a shared start or end of five letters: only such tokens are compared
    head, tail = word[:5], word[-5:]
    return any(near(word, t) for t in toks if t[:5] == head or t[-5:] == tail)


@dataclass(frozen=True)
class Phrase:
    """A term of the vocabulary a question names in several words ("portal vein"): the groups
    of its words, and of those of its words that are terms of their own ("alcoholic" and
    "liver" of "alcoholic liver disease"; none of "portal vein")."""

    groups: frozenset[int]
    terms: frozenset[int] = frozenset()


def question_phrases(text: str, groups: Groups) -> list[Phrase]:
    """The vocabulary's terms of several words in a question's terms text (`Phrase`). A route
    ("hepatic artery", "portal vein") counts only whole: a sentence about the liver says
    nothing of the hepatic artery."""
    v = vocabulary()
    out = []
    for m in v.find(text):
        if len(m.term.key) < 2:
            continue
        span = text[m.start : m.end]
        members = frozenset(i for i, g in enumerate(groups) if g[0] in set(tokenize(span)))
        sub = {t for p in v.find(span, max_words=len(m.term.key) - 1) for t in tokenize(span[p.start : p.end])}
        if any(r.pattern.search(span) for r in ROUTE_TERMS) or v.whole(m.term):
            sub = set()
        if len(members) > 1:
            out.append(Phrase(members, frozenset(i for i in members if groups[i][0] in sub)))
    return out


def whole_phrases(covered: frozenset[int], phrases: Sequence[Phrase]) -> frozenset[int]:
    """``covered`` without the words of a phrase the sentence has only in part that are no
    terms of their own: "via peripheral vein" says no "portal vein". A part that is a term
    keeps its credit ("alcohol abuse" says the "alcoholic" of "alcoholic liver disease")."""
    for p in phrases:
        part = covered & p.groups
        if part and part != p.groups:
            covered = covered - (part - p.terms)
    return covered


def letters_of(groups: Groups, links: Links | frozenset[tuple[int, int]]) -> dict[str, list[int]]:
    """The question's single-letter terms with the groups they stand next to in it: the B of
    "hepatitis B" qualifies "hepatitis", and alone ("grade B or C") it says nothing of it."""
    out: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if len(g) == 1 and len(g[0]) == 1 and g[0].isalpha():
            out[g[0]] = [b if a == i else a for a, b in links if i in (a, b)]
    return out


def loose_letters(sent: str, toks: set[str], letters: dict[str, list[int]], groups: Groups) -> set[str]:
    """The question's letters the sentence has only apart from the words they qualify: not
    read from a term of the vocabulary ("HBV" says hepatitis B) and, where the sentence writes
    the letter, never next to a word of a group it is linked to ("hepatitis B and C")."""
    present = [x for x in letters if x in toks and x not in vocabulary().sentence_tokens(sent)]
    if not present:
        return set()
    raw = [tok for _, _, tok in words(sent)]
    loose = set()
    for x in present:
        partners = [groups[j] for j in letters[x]]
        at = [k for k, tok in enumerate(raw) if tok == x]
        beside = [raw[k + d] for k in at for d in (-1, 1) if 0 <= k + d < len(raw)]
        if not any(covers(g, {tok} | meaning_tokens(tok)) for g in partners for tok in beside):
            loose.add(x)
    return loose
