"""What a question asks, read from its words: its kind (a list, a lookup, a count or a
comparison), the kind of value a lookup wants, the terms to search for, and the most trials
one answer lists (`MAX_K`, the one definition every front end uses)."""

from __future__ import annotations

import operator
import re
from typing import Literal

from index.errors import BadQuestion
from index.qa.support import question_terms_text
from index.text.tokenize import parse_terms, tokenize

MAX_K = 100  # the most trials one answer lists

Kind = Literal["list", "lookup"]
Mode = Literal["list", "lookup", "count", "compare"]
AnswerType = Literal["dose", "count", "age", "duration", "route", "outcome", "status", "where", "when", "who"]
Groups = list[tuple[str, ...]]  # query term groups: each a stem and its forms (`parse_terms`)
Links = set[tuple[int, int]]  # groups linked as a phrase

_LOOKUP = re.compile(r"^\s*(what|where|how|when|who|whom|whose|is|does|do|did|can)\b", re.I)
_LIST = re.compile(
    r"^\s*(which|list|show|find|are there|is there|any)\b|^\s*(?:do|does|did|are|is|can|will|would)\s+any\b"
    r"|^\s*(what|how many)\s+(?:\S+\s+){0,3}?(trials|studies|records)\b",
    re.I,
)
_COUNT = re.compile(r"^\s*how many\s+(?:\w+\s+){0,3}?(?:trials|studies)\b", re.I)
_COMPARE = re.compile(r"^\s*(?:compare|contrast|tabulate)\b", re.I)
# What a lookup asks for, in the order they are tried.
_ANSWER_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    ("dose", re.compile(r"\b(dose|doses|dosage|dosing|how much|how many cells)\b", re.I)),
    (
        "count",
        re.compile(
            r"\bhow many (?:patients|participants|subjects|people|persons|volunteers)\b|\benrol|\bsample size\b"
            r"|\b(?:recruitment|accrual) target\b|\btarget (?:recruitment|accrual|size)\b",
            re.I,
        ),
    ),
    ("age", re.compile(r"\bages?\b|\bhow old\b|\bage range\b", re.I)),
    ("duration", re.compile(r"\bhow long\b|\bduration\b|\blength of (?:follow|the study|treatment)", re.I)),
    (
        "route",
        re.compile(
            r"\broutes?\b|\bhow (?:are|is|were|was|do|does|did|will)\b.{0,60}?\b(?:given|give|deliver\w*|administ\w*"
            r"|inject\w*|infus\w*|introduc\w*|put in\w*|get into)\b|\bby what means\b|\bwhat way\b"
            r"|^\s*where\b.{0,60}?\b(?:inject\w*|infus\w*|deliver\w*|administ\w*|given|put|transplanted)\b",
            re.I,
        ),
    ),
    ("outcome", re.compile(r"\boutcomes?\b|\bend[- ]?points?\b", re.I)),
    (
        "status",
        re.compile(
            r"\bstatus\b|\bstill\b.{0,30}?\b(?:running|recruiting|open|going|active|ongoing|enrolling|under way)\b"
            r"|\b(?:finished|completed|over|ended|terminated|withdrawn)\s*\??\s*$",
            re.I,
        ),
    ),
    (  # "where is it run?"; not "where is the marrow taken from?" (a sentence of the record says)
        "where",
        re.compile(
            r"^\s*where\b(?!.*\b(?:from|taken|harvest\w*|collect\w*|obtain\w*|aspirat\w*)\b)|\blocat|\bsites?\b"
            r"|\bcountr|\bcity\b",
            re.I,
        ),
    ),
    ("when", re.compile(r"^\s*when\b|\bstart date\b|\bcompletion date\b", re.I)),
    ("who", re.compile(r"^\s*who\b|\bsponsor|\binvestigator|\bcontact", re.I)),
)
# "which trials test X": the verb after "trials" frames the question; X is what to find.
_FRAME_VERB = re.compile(
    r"\b(trials?|studies|study)\s+(?:that\s+|which\s+)?(?:test|tests|testing|evaluate|evaluates|evaluating|assess"
    r"|assesses|investigate|investigates|examine|examines|explore|explores|look at|looks at)\b",
    re.I,
)
# Words that frame a fact question rather than add text to search for.
_FACT_FRAME = frozenset(
    tokenize(
        "accept accepts accepting enroll enrolls enrolled enrolling enrol include includes including recruit "
        "recruits allow allows admit admits open take takes patients participants people subjects volunteers "
        "many number count compare contrast tabulate each all across currently still now small smaller large larger "
        "big bigger size sized join joins joining participate someone somebody anyone anybody person eligible "
        "site sites place places location locations located centre centres center centers"
    )
)
_PAPER_WORDS = frozenset(tokenize("reference references publication publications paper papers article articles cited"))


def check_k(k: object) -> int:
    """``k`` (the most trials an answer lists) as an int from 1 to `MAX_K`; `BadQuestion` otherwise."""
    try:
        n = operator.index(k)  # type: ignore[arg-type]
    except TypeError:
        raise BadQuestion(f"k must be a whole number from 1 to {MAX_K}, not {k!r}") from None
    if isinstance(k, bool) or not 1 <= n <= MAX_K:
        raise BadQuestion(f"k must be a whole number from 1 to {MAX_K} (the most trials to list), not {k!r}")
    return n


def question_kind(question: str) -> Kind:
    """The kind of question: "list" (which trials ...?) or "lookup" (what, where, how ...?)."""
    if _LIST.search(question):
        return "list"
    return "lookup" if _LOOKUP.search(question) else "list"


def question_mode(question: str) -> Mode:
    """The question's kind, or "count" (how many trials ...?) or "compare" (compare the doses)."""
    if _COUNT.search(question):
        return "count"
    return "compare" if _COMPARE.search(question) else question_kind(question)


def answer_type(question: str) -> AnswerType | None:
    """The kind of value a lookup asks for, if it says."""
    return next((name for name, rx in _ANSWER_TYPES if rx.search(question)), None)


# Words that only say which kind of value a lookup asks for: the typed sentence answers them.
_TYPE_WORDS: dict[AnswerType, str] = {
    "route": "route routes deliver delivered delivers given give gives administered administer way means",
    "status": "status still running run going ongoing open active finished over ended",
    "count": "many people patients participants subjects persons volunteers number sample size target enrol enroll "
    "enrolled enrollment enrolment recruit recruitment include included accrual take part",
    "dose": "dose doses dosage dosing much many per",
    "duration": "long duration length last lasts follow-up follow followed up period",
    "outcome": "outcome outcomes endpoint endpoints end point points measure measures measured main",
}
_LOOKUP_FRAME = "plan plans planned aim aims expect expects intend intends"  # "how many does it plan to enrol?"
_TYPE_STEMS: dict[AnswerType, frozenset[str]] = {
    name: frozenset(tokenize(f"{words} {_LOOKUP_FRAME}")) for name, words in _TYPE_WORDS.items()
}


def type_words(atype: AnswerType | None) -> frozenset[str]:
    """The stems that frame a lookup of this kind of value (dropped from its search terms)."""
    return _TYPE_STEMS.get(atype, frozenset()) if atype else frozenset()


def search_terms(text: str, listing: bool = True) -> tuple[Groups, Links]:
    """The term groups to search for and their phrase links, without the verb that frames
    "which trials test X" and the words the decision by meaning reads otherwise
    (`index.qa.support.question_terms_text`)."""
    return parse_terms(_FRAME_VERB.sub(r"\1", question_terms_text(text, listing=listing)))


def fact_search_terms(text: str) -> tuple[Groups, Links]:
    """The term groups left to search for in a fact question (what its constraints did not
    claim), without the words that only frame it ("accept", "patients", "how many")."""
    groups, links = search_terms(text)
    return drop(groups, links, {i for i, g in enumerate(groups) if g[0] in _FACT_FRAME})


def asks_for_papers(groups: Groups) -> bool:
    return any(g[0] in _PAPER_WORDS for g in groups)


def drop(groups: Groups, links: Links, dropped: set[int]) -> tuple[Groups, Links]:
    """Remove groups by index, renumbering the phrase links among the rest."""
    keep = [i for i in range(len(groups)) if i not in dropped]
    new = {old: n for n, old in enumerate(keep)}
    return [groups[i] for i in keep], {(new[a], new[b]) for a, b in links if a in new and b in new}
