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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.facts.vocabulary import ROUTE_TERMS
from index.qa.phrases import Phrase, covers, letters_of, loose_letters, whole_phrases
from index.qa.question import AnswerType, Groups, Links
from index.qa.support import context_tokens, excluded_kinds, meaning_tokens, sentence_role
from index.results import Citation, Hit
from index.text.chunk import FIELD_WORDS
from index.text.roles import EXCLUDE, Role
from index.text.sentences import spans, strip_bullet
from index.text.tokenize import joined_pairs, tokenize, words

LIST_MIN_SUPPORT = 0.75
SENTENCE_MIN = 0.5
EXTRA_SENTENCE_DISCOUNT = 0.7
MAX_SNIPPETS = 3


# The sentences that hold the kind of value a lookup asks for.
_AGE_A = re.compile(
    r"\b\d+\s*(?:to|-|–|and)\s*\d+\s*(?:years|yrs)|\b\d+\s*\+?\s*years?(?:\s+old|\s+and\s+(?:older|over))"
    r"|\b(?:aged?|ages?)\b[^.]{0,30}\d",
    re.I,
)


_ROUTE_A = re.compile(
    "|".join(
        [t.pattern.pattern for t in ROUTE_TERMS] + [r"\bvia\b|\binject(?:ed|ion)\b|\binfus(?:ed|ion)\b|\broute\b"]
    ),
    re.I,
)
_DURATION_A = re.compile(r"\b\d+(?:\.\d+)?\s*-?\s*(?:weeks?|months?|years?|days?|wks?|mos?)\b|\bweeks?\s+\d+\b", re.I)
_AGED = re.compile(r"\bage[ds]?\b|\byears? old\b|\byears? of age\b", re.I)
_FOLLOW = re.compile(r"\bfollow", re.I)
_TIME_FRAME = re.compile(
    r"^\s*(?:time frame:?\s*)?(?:changes? )?(?:from baseline|baseline|up to|at|after|over|within|\d+)\b", re.I
)
_OUTCOME_A = re.compile(
    r"\b(?:primary|secondary|main)\s+(?:outcomes?|end[- ]?points?)\b[^.]{0,20}?(?:\bis\b|\bare\b|\bwill be\b|:)", re.I
)
# The amount of a dose: cells or a drug, not a volume ("BM (200 ml) will be harvested").
_AMOUNT_A = re.compile(
    r"(?:[x×*]\s*\\?\*?\s*10\s*(?:\\?\^|e|E)?\s*\d|\b10\s*(?:\\?\^|e|E)\s*\d"
    r"|(?<![A-Za-z\d])\d[\d.,]*\s*(?:(?:million|billion)\s+)?(?:[A-Za-z-]+\s+)?(?:cells?|MSCs?)\b"
    r"|(?<![A-Za-z\d])\d[\d.,]*\s*(?:mg|g|µg|mcg|ug|iu|IU|units?)\b|/\s*kg\b|\bper\s+(?:kg|kilo))",
)
# When the doses are given: "at week 0, 4, 8", "every 4 weeks", "from day 0 through week 12", "apart from 24 weeks".
_SCHEDULE_A = re.compile(
    r"\b(?:weeks?|days?|months?)\s*\d+\s*(?:,|and|&|-|–|to|through)\s*(?:(?:weeks?|days?|months?)\s*)?\d"
    r"|\b(?:at|on|from)\s+(?:weeks?|days?|months?)\s*\d|\bevery\s+(?:\d+\s*|other\s+)?(?:weeks?|days?|months?)\b"
    r"|\bapart\b|\bintervals?\b|\b(?:daily|weekly|monthly)\b",
    re.I,
)
_TIMES_A = re.compile(r"\b(?:once|twice|thrice|(?:\d+|two|three|four|five)\s+(?:times|doses|infusions))\b", re.I)
_SOURCE_A = re.compile(
    r"\b(?:harvest|aspirat|collect|obtain|taken|deriv|isolat|extract|drawn|punctur)\w*\b[^.;]{0,80}?\bfrom\b", re.I
)
_DATE_A = re.compile(r"\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.I)
_TYPE_SECTIONS: dict[AnswerType, set[str]] = {
    "results": {"results"},  # what a trial found: a registration's outcomes say what it measures, not this
    "count": {"enrollment", "design"},
    "split": {"enrollment", "design"},
    "status": {"status"},
    "where": {"locations", "contacts"},
    "when": {"dates", "status"},
    "who": {"sponsor", "contacts", "collaborators"},
    "contact": {"contacts"},
    "sponsor": {"sponsor", "collaborators"},
    "place": {"locations"},
}
_PLACE_NAME = re.compile(r"\b(?:hospital|universit|institut|cent(?:er|re)|clinic|infirmary)", re.I)
_NOT_CRITERIA: frozenset[AnswerType] = frozenset({"dose", "schedule", "source", "duration", "followup"})
_HOME_SECTIONS: dict[AnswerType, str] = {
    "count": "enrollment",
    "split": "enrollment",
    "when": "dates",
    "where": "locations",
    "sponsor": "sponsor",
    "outcome": "outcomes_primary",
}
_PEOPLE_COUNT = re.compile(
    r"\b\d+\s+(?:\S+\s+){0,3}?(?:patients|participants|subjects|cases|volunteers|people|persons|pts)\b", re.I
)


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
        typed = _typed(atype, c.section, sent)
        cit = _citation(hit, s, e, groups)
        out.append(Candidate(c.nct_id, hit.row, covered, cov, typed, hit.score, cit, own, r))
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


def _typed(atype: AnswerType | None, section: str, sentence: str) -> int:
    """How plainly the sentence states the kind of value asked for: 0 not at all, 1, or 2
    (a dose's amount of cells, the weeks of a schedule, an enrolment's number of patients)."""
    if atype is None:
        return 0
    if atype in _NOT_CRITERIA and section.startswith("eligibility"):
        return 0  # "more than 2 times the upper limit", "prednisone over 10 mg": whom it takes, not what it gives
    if atype in _SENTENCE_TYPES:
        return _SENTENCE_TYPES[atype](section, sentence)
    if atype == "count" and not re.search(r"\d", sentence):
        return 0  # an enrolment states a number
    if atype == "count" and (section == "enrollment" or _PEOPLE_COUNT.search(sentence)):
        return 2
    if atype == "when" and not _DATE_A.search(sentence):
        return 0  # a date, not "Recruiting"
    if atype == "where" and section == "sponsor":  # "which hospital runs it?": a sponsor that is one
        return 1 if _PLACE_NAME.search(sentence) else 0
    if atype == "contact" and (not re.search(r"[A-Za-z]{2}", sentence) or sentence.startswith("Loading")):
        return 0
    return 1 if section in _TYPE_SECTIONS.get(atype, set()) else 0


def _split(section: str, sentence: str) -> int:
    """How many each arm has: a sentence that counts patients twice ("50 LF patients ... as the
    treated group and other 20 LF patients ... as control group") or in groups ("200 participants
    in 2 patient groups") states it plainly; the enrolment only its total."""
    if len(_PEOPLE_COUNT.findall(sentence)) >= 2 or (_PEOPLE_COUNT.search(sentence) and _ARM_WORD.search(sentence)):
        return 2
    return 1 if section == "enrollment" else 0


_ARM_WORD = re.compile(r"\b(?:arms?|groups?|cohorts?)\b", re.I)


def _dose(section: str, sentence: str) -> int:
    return 2 if _AMOUNT_A.search(sentence) else 0


def _duration(section: str, sentence: str) -> int:
    """A duration, plainest when it is not said of the follow-up."""
    if not _DURATION_A.search(sentence) or _AGED.search(sentence):
        return 0
    return 1 if _FOLLOW.search(sentence) else 2


def _followup(section: str, sentence: str) -> int:
    """Follow-up: a duration said of following patients, or an outcome's time frame."""
    if not _DURATION_A.search(sentence) or _AGED.search(sentence):
        return 0
    return 2 if _FOLLOW.search(sentence) else 1 if section.startswith("outcomes") else 0


def _entry_duration(section: str, sentence: str) -> int:
    """A duration the criteria ask of patients ("a course of more than 5 years"), not an age
    ("less than 20 years old")."""
    if _AGED.search(sentence) or not section.startswith("eligibility") or not _DURATION_A.search(sentence):
        return 0
    return 1 if _WINDOW.search(sentence) else 2  # "within 3 weeks prior to registration": a window, less plainly


_WINDOW = re.compile(r"\bwithin\s+(?:the\s+)?(?:last\s+|past\s+|previous\s+)?\d", re.I)


def _schedule(section: str, sentence: str) -> int:
    """When doses are given; not the visits of the follow-up ("followed up every week")."""
    if _FOLLOW.search(sentence):
        return 0
    return 2 if _SCHEDULE_A.search(sentence) else 1 if _TIMES_A.search(sentence) else 0


def _outcome(section: str, sentence: str) -> int:
    """An outcome measure, plainer than its time frame ("Changes from baseline to 72 weeks")."""
    if section.startswith("outcomes"):
        return 1 if _TIME_FRAME.match(sentence) else 2
    return 1 if _OUTCOME_A.search(sentence) else 0


_PHASE_A = re.compile(r"\b(?:early\s+)?phase\s*(?:[1-4]|iv|i{1,3})\b|^\s*not applicable\b", re.I)
_MASK_A = re.compile(
    r"\b(?:single|double|triple|quadruple)[\s-]*(?:blind|mask)\w*|\bopen[\s-]label\b|\bnone\s*\(open label\)"
    r"|\b(?:masked|masking|blinded|blinding|unblinded)\b",
    re.I,
)


def _stated_in(home: set[str], rx: re.Pattern[str]) -> Callable[[str, str], int]:
    """A sentence states the value plainly (2) in the fields that hold it, else 1 when it names it."""
    return lambda section, sentence: 0 if not rx.search(sentence) else 2 if section in home else 1


def _age(section: str, sentence: str) -> int:
    """An age range, plainer where the trial takes people than where it turns them away."""
    return 0 if not _AGE_A.search(sentence) else 1 if section == "eligibility_exclusion" else 2


_SENTENCE_TYPES = {
    "dose": _dose,
    "split": _split,
    "age": _age,
    "phase": _stated_in({"phase", "status"}, _PHASE_A),
    "masking": _stated_in({"design"}, _MASK_A),
    "route": lambda section, sentence: int(bool(_ROUTE_A.search(sentence))),
    "duration": _duration,
    "entry_duration": lambda section, sentence: _entry_duration(section, sentence),
    "followup": lambda section, sentence: _followup(section, sentence),
    "schedule": _schedule,
    "source": lambda section, sentence: 2 if _SOURCE_A.search(sentence) else 0,
    "outcome": _outcome,
    "place": lambda section, sentence: 0 if section != "locations" else 2 if "," in sentence else 1,  # "Oslo, Norway"
}


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


def home_section(atype: AnswerType | None, section: str) -> bool:
    """Whether the section is where a record states this kind of value (an enrolment's)."""
    return atype is not None and _HOME_SECTIONS.get(atype) == section


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
