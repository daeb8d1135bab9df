"""Answers: evidence grouped by trial, verbatim snippets, a calibrated listing rule.

For each candidate trial the sentences of its retrieved chunks are scored by how much of
the question they cover: each query term weighs its idf, and a sentence covers a term
when the sentence or its section's heading and field words contain it. A trial's support
is the coverage of its best sentence plus what up to two more sentences add (at a
discount). "Which trials X?" lists the trials whose support clears `LIST_MIN_SUPPORT`
(and whose best single sentence clears `SENTENCE_MIN`); a lookup ("what dose does the
Xijing trial give?") answers from the trial it names, or the best supported one, citing
first the sentence that has the kind of value asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.qa.phrases import Phrase, covers, letters_of, loose_letters, whole_phrases
from index.qa.question import AnswerType, Groups, Links
from index.qa.support import context_tokens, excluded_kinds, meaning_tokens, sentence_role
from index.qa.value_kinds import typed as value_kind
from index.results import Citation, Hit
from index.text.chunk import FIELD_WORDS
from index.text.roles import EXCLUDE, Role
from index.text.sentences import spans, strip_bullet
from index.text.tokenize import joined_pairs, tokenize, words

LIST_MIN_SUPPORT = 0.75
SENTENCE_MIN = 0.5
EXTRA_SENTENCE_DISCOUNT = 0.7
MAX_SNIPPETS = 3


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved chunk with what it covers."""

    nct_id: str
    row: int  # the chunk it comes from
    covered: frozenset[int]  # indices of query term groups covered
    coverage: float
    typed: int  # how plainly it states the kind of value a lookup asks for: 0 not, 1, 2 plainly
    fused: float
    citation: Citation
    own: float = 0.0  # coverage by the sentence's own words, without its section heading
    role: Role | None = None  # criteria polarity, background or design (`index.text.roles`)


def sentence_candidates(
    hit: Hit,
    groups: Groups,
    weights: list[float],
    atype: AnswerType | None,
    expand: dict[str, set[str]] | None = None,
    links: Links | frozenset[tuple[int, int]] = frozenset(),
    phrases: Sequence[Phrase] = (),
) -> list[Candidate]:
    """Score every sentence of a hit's chunk against the query term groups.

    A sentence's words count with its section's heading and field words, words it writes
    in two ("mono nuclear"), and the long forms of abbreviations its trial defines. A
    question's single letter counts only beside a word it is linked to (`_letters`)."""
    c = hit.chunk
    context = set(tokenize(f"{c.heading} {FIELD_WORDS.get(c.section, '')}"))
    total = sum(weights) or 1.0
    letters = letters_of(groups, links)
    out: list[Candidate] = []
    for s, e in spans(c.text):
        s = strip_bullet(c.text, s, e)
        if s >= e:
            continue
        sent = c.text[s:e]
        own_toks = _sentence_tokens(sent, expand)
        if letters:
            own_toks -= loose_letters(sent, own_toks, letters, groups)
        r = sentence_role(sent, c.section)
        if r.polarity == EXCLUDE:  # excluding a kind excludes its kinds
            own_toks = own_toks | excluded_kinds(sent)
        toks = own_toks | context_tokens(r, context)
        covered = whole_phrases(frozenset(i for i, g in enumerate(groups) if covers(g, toks)), phrases)
        cov = sum(weights[i] for i in covered) / total
        own = sum(weights[i] for i, g in enumerate(groups) if i in covered and covers(g, own_toks)) / total
        kind = value_kind(atype, c.section, sent)
        cit = _citation(hit, s, e, groups)
        out.append(Candidate(c.nct_id, hit.row, covered, cov, kind, hit.score, cit, own, r))
    return out


def _sentence_tokens(sent: str, expand: dict[str, set[str]] | None) -> set[str]:
    """The sentence's tokens, the words it writes in two, and the long forms of its abbreviations."""
    toks = set(tokenize(sent)) | joined_pairs(sent) | meaning_tokens(sent)
    if expand:
        for t in [t for t in toks if t in expand]:
            toks |= expand[t]
    return toks


def _citation(hit: Hit, s: int, e: int, groups: Groups) -> Citation:
    """The sentence at [s, e) of the hit's chunk, its query words highlighted."""
    c = hit.chunk
    sent = c.text[s:e]
    stems = {t for g in groups for t in g}
    return Citation(
        section=c.heading,
        name=c.section,
        snippet=sent,
        source=c.source,
        field=c.field,
        start=c.start + s,
        end=c.start + e,
        highlights=tuple((a, b) for a, b, tok in words(sent) if tok in stems),
    )


# An arm's kind ("Active Comparator group") and the markers of its parts ("Description:").
_ARM_LABEL = re.compile(
    r"^(?:(?:experimental|active comparator|placebo comparator|sham comparator|no intervention|other)\s+group"
    r"|description:|treatment:|interventions?:)\.?$",
    re.I,
)


def arm_description(cand: Candidate, cands: list[Candidate]) -> Candidate | None:
    """For an arm's name or kind ("Active Comparator group"), the first sentence of its
    description ("conventional treatment & antiviral treatment."): what a lookup about the
    arm wants. None when ``cand`` is not an arm's label."""
    if cand.citation.name != "arms":
        return None
    same = sorted((c for c in cands if c.row == cand.row), key=lambda c: c.citation.start)
    at = next((i for i, c in enumerate(same) if c is cand), None)
    if at is None:
        return None
    label = bool(_ARM_LABEL.match(cand.citation.snippet.strip()))
    if not label and not (at + 1 < len(same) and _ARM_LABEL.match(same[at + 1].citation.snippet.strip())):
        return None
    rest = (c for c in same[at + 1 :] if not _ARM_LABEL.match(c.citation.snippet.strip()))
    return next(rest, None)


def support(
    cands: list[Candidate],
    weights: list[float],
    across_sections: bool,
    links: Links | frozenset[tuple[int, int]] = frozenset(),
) -> tuple[float, float, list[Candidate]]:
    """(support, best single coverage, chosen sentences) for one trial's candidates.

    Support starts from the best sentence; up to two more sentences add the terms it
    lacks, at a discount. For a list question they must come from the same chunk (the
    match is one statement of the record); for a lookup they may come from anywhere in the
    trial (its title says what the trial is, its arms say the dose). When the best sentence
    already covers everything, equally good sentences from other sections are cited too.
    A term linked as a phrase to one an earlier sentence covers ("liver" of "liver
    failure") counts only from a sentence that has its partner too.
    """
    ranked = sorted(cands, key=lambda x: (-x.coverage, -x.own, -x.fused))
    if not ranked:
        return 0.0, 0.0, []
    top = ranked[0]
    chosen, value = _add_sentences(ranked, weights, across_sections, _partners(links))
    _cite_other_sections(ranked, chosen)
    return value, top.coverage, chosen


def _partners(links: Links | frozenset[tuple[int, int]]) -> dict[int, set[int]]:
    partners: dict[int, set[int]] = {}
    for a, b in links:  # a phrase's words only count from a sentence that has both
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return partners


def _add_sentences(
    ranked: list[Candidate], weights: list[float], across_sections: bool, partners: dict[int, set[int]]
) -> tuple[list[Candidate], float]:
    """The best sentence and up to two more that add the most of what is still uncovered
    (from the same chunk unless ``across_sections``), with the support they give."""
    total = sum(weights) or 1.0
    top = ranked[0]
    chosen = [top]
    covered = set(top.covered)
    value = top.coverage

    def new_terms(cand: Candidate) -> set[int]:
        return {i for i in cand.covered - covered if not (partners.get(i, set()) & covered) - cand.covered}

    while len(chosen) < MAX_SNIPPETS:
        best, gain = None, 0.0
        for cand in ranked:
            if cand in chosen or (not across_sections and cand.row != top.row):
                continue
            g = sum(weights[i] for i in new_terms(cand)) / total
            if g > gain + 1e-9:
                best, gain = cand, g
        if best is None:
            break
        chosen.append(best)
        covered |= new_terms(best)
        value += gain * EXTRA_SENTENCE_DISCOUNT
    return chosen, value


def _cite_other_sections(ranked: list[Candidate], chosen: list[Candidate]) -> None:
    """Add to ``chosen`` sentences of other sections that cover as much as the best one in
    their own words."""
    top = ranked[0]
    sections = {top.citation.section}
    for cand in ranked[1:]:
        if len(chosen) >= MAX_SNIPPETS or cand.coverage < top.coverage - 1e-9:
            break
        if cand.own < top.coverage - 1e-9:  # it says the match only through its heading
            continue
        if (
            cand not in chosen
            and cand.citation.section not in sections
            and cand.citation.snippet != top.citation.snippet
        ):
            chosen.append(cand)
            sections.add(cand.citation.section)
