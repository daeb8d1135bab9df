"""What a question asks, read from its words: its kind (a list, a lookup, a count or a
comparison), the kind of value a lookup wants, the terms to search for, and the most trials
one answer lists (`MAX_K`, the one definition every front end uses)."""

from __future__ import annotations

import operator
import re
from typing import Literal

from index.errors import BadQuestion
from index.qa.answer_types import AnswerType as AnswerType
from index.qa.answer_types import answer_type as answer_type
from index.qa.answer_types import type_words as type_words
from index.qa.support import question_terms_text
from index.text.tokenize import parse_terms, tokenize

MAX_K = 100  # the most trials one answer lists

Kind = Literal["list", "lookup"]
Mode = Literal["list", "lookup", "count", "compare"]
Groups = list[tuple[str, ...]]  # query term groups: each a stem and its forms (`parse_terms`)
Links = set[tuple[int, int]]  # groups linked as a phrase

_LOOKUP = re.compile(r"^\s*(what|where|how|when|who|whom|whose|is|does|do|did|can)\b", re.I)
_LIST = re.compile(
    r"^\s*(which|list|show|find|are there|is there|any)\b"
    r"|^\s*(?:do|does|did|are|is|can|will|would|has|have)\s+(?:any|anyone|anybody)\b"  # "is anyone measuring X?"
    r"|\bany\s+of\s+(?:them|these|those|the\s+(?:trials|studies))\b"  # "would that rule him out of any of these?"
    r"|\b(?:to|into|in|for|from|of)\s+any\s*(?:\?|$|\bor\b)"  # "can we still sign him up to any or ..."
    r"|^\s*(what|how many)\s+(?:\S+\s+){0,3}?(trials|studies|records)\b"
    r"|[,;:–—-]\s*(?:so\s+|and\s+)?(?:which|what)\s+(?:trials|studies|protocols|ones)\b"  # "..., which trials do it?"
    # after a story, or dictated without a break: "... it is encephalopathy. which trials won't take him"
    r"|\b(?:which|what)\s+(?:trials|studies|protocols|ones)\b"
    # "who's tracking bilirubin as an outcome?": which trials do it (not "who is running X": its sponsor)
    r"|^\s*who(?:'s|\s+is|\s+are)\s+(?:tracking|measuring|testing|using|giving|studying|looking\s+at|assessing"
    r"|evaluating|reading\s+out|recording|monitoring)\b"
    # "whose eligibility criteria rule out HCV?": which trials' criteria
    r"|^\s*whose\s+(?:\w+\s+){0,2}?(?:criteria|eligibility|inclusion|exclusion|protocols?|designs?|records?|arms?"
    r"|outcomes?|end-?points?|age\s+limits?|sample\s+sizes?|enrol+ment)\b",
    re.I,
)
_COUNT = re.compile(r"^\s*how many\s+(?:\w+\s+){0,3}?(?:trials|studies)\b", re.I)
_COMPARE = re.compile(r"^\s*(?:compare|contrast|tabulate)\b", re.I)
# "which trials test X", "which trials count X as an outcome": the verb after "trials" frames the
# question; X is what to find.
_FRAME_VERB = re.compile(
    r"\b(trials?|studies|study)\s+(?:that\s+|which\s+)?(?:test|tests|testing|evaluate|evaluates|evaluating|assess"
    r"|assesses|investigate|investigates|examine|examines|explore|explores|look at|looks at|count|counts|record|records"
    r"|report|reports|monitor|monitors|capture|captures|document|documents)\b",
    re.I,
)
# Words that frame a fact question rather than add text to search for.
_FACT_FRAME = frozenset(
    tokenize(
        "accept accepts accepting enroll enrolls enrolled enrolling enrol include includes including recruit "
        "recruits allow allows admit admits open take takes patients participants people subjects volunteers "
        "many number count compare contrast tabulate each all across currently still now small smaller large larger "
        "tiny big bigger size sized join joins joining participate someone somebody anyone anybody person eligible "
        "site sites place places location locations located centre centres center centers closed old young too "
        "aim aimed aims aiming focused focuses geared designed meant meet meets qualify qualifies criterion criteria "
        "requirement requirements member members higher"
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


# "which hospital runs the X study?" asks one trial's value, not which trials.
_WHICH_VALUE = re.compile(r"^\s*which\s+(?!(?:\S+\s+){0,3}?(?:trials?|studies|study|ones?|records?|of)\b)", re.I)
# A question word after the trial it names: "the X study - how many patients?", "X trial how long ...".
_LATE_WH = re.compile(r"(?:[:;,]|\s[-–—]|\b(?:study|trial|one))\s*(?:what|where|how|when|who|whom|whose)\b", re.I)
# "HE excluded where?", "confused cirrhotics not eligible - where?": in which trials a criterion holds.
_WHERE_SIDE = re.compile(
    r"\b(?:exclu\w*|(?:in)?eligib\w*|allowed|accepted|admitted|required|needed|enrol+ed|recruited|ruled\s+out)"
    r"\s*(?:[-–—:,]\s*)?where\s*\??\s*$",
    re.I,
)
# "where are hep C pts ineligible?", "is HE an exclusion anywhere?": in which trials a criterion holds.
_CRITERION_WHERE = re.compile(
    r"^\s*where\s+(?:are|is|do|does|would|will|can|could)\b.{0,80}?\b(?:exclu\w*|(?:in)?eligib\w*|allowed|accepted"
    r"|admitted|barred|disqualif\w*|ruled\s+out|turned\s+away|required|mandatory)\b"
    r"|\b(?:exclu\w*|(?:in)?eligib\w*|criteri\w*|allowed|accepted|required)\b.{0,40}\banywhere\b",
    re.I,
)
_SEVERAL = re.compile(r"\b(?:trials|studies|records|ones)\b", re.I)  # a question about several trials
# "can my mum get the cells through a vein ..., which trials do it that way?": a question that asks
# which trials anywhere in it asks for a list, however it starts.
_WHICH_TRIALS = re.compile(r"\b(?:which|what)\s+(?:of\s+(?:the|these|them)\s+)?(?:trials|studies|ones)\b", re.I)
_YES_NO = re.compile(r"^\s*(?:is|are|was|were|does|do|did|can|could|will|would|has|have|had|should|may|might)\b", re.I)
_WH = re.compile(r"\b(?:what|which|when|where|who|whom|whose|how)\b|\bwhat's\b", re.I)
# Naming one trial: "the hepatic artery bone marrow study", "the Xijing one", "Royan BM-MNC vs CD133 trial, ...".
_PHRASE_TOKEN = re.compile(r"\s[-–—]+\s|[?!:;,()]|[^\s?!:;,()]+")
_HEADS = frozenset({"study", "trial", "one", "protocol", "project"})
_DETERMINERS = frozenset({"the", "this", "that"})
_NOT_ONE = frozenset({"a", "an", "any", "each", "every", "which", "one", "other", "another", "some", "no", "same"})
_PHRASE_STOP = frozenset(
    re.findall(
        r"\S+",
        "the this that these those a an for in on at about from with by to into is are was were be been does do did "
        "what which when where who whom whose how why they it its their them he she we you i and or but if than "
        "there here any each every all my our your",
    )
)
MAX_PHRASE_WORDS = 8


def naming_phrase(question: str) -> str | None:
    """The words that describe the one trial a question asks about, up to its head noun
    ("study", "trial", "one"): "the hepatic artery bone marrow study - how many patients?" names
    it by "hepatic artery bone marrow study". Only a phrase the question sets off as a name: after
    "the", "this" or "that", or at the start and followed by a break (", what ...", " - dose?")."""
    toks = [(m.group(0).strip(), m.start()) for m in _PHRASE_TOKEN.finditer(question)]
    words = [t.lower() for t, _ in toks]
    for i, w in enumerate(words):
        if w not in _HEADS or i == 0 or words[i - 1] in _NOT_ONE:
            continue
        j, got = i - 1, list[str]()
        while j >= 0 and len(got) < MAX_PHRASE_WORDS and words[j] not in _PHRASE_STOP and _in_name(toks, j):
            got.append(toks[j][0])
            j -= 1
        if not got:
            continue
        set_off = j >= 0 and words[j] in _DETERMINERS
        broken = j < 0 and i + 2 < len(toks) and not toks[i + 1][0][:1].isalnum()
        if set_off or broken:
            return " ".join([*reversed(got), toks[i][0]])
    return None


def _in_name(toks: list[tuple[str, int]], j: int) -> bool:
    """Whether token ``j`` can be part of a name: a word, or a slash, "&" or "+" between two
    words ("the CD133 / BM-MNC study")."""
    t = toks[j][0]
    if t[:1].isalnum():
        return True
    return t in ("/", "&", "+") and 0 < j < len(toks) - 1 and toks[j - 1][0][:1].isalnum()


def is_asked(question: str) -> bool:
    """Whether the text is worded as a question ("which ...", "any ...", a "?"), not only
    keywords: only a question is read again without its idle words (`index.qa.rank.idle_words`)."""
    return "?" in question or bool(_LIST.search(question) or _LOOKUP.search(question))


def question_kind(question: str) -> Kind:
    """The kind of question: "list" (which trials ...?) or "lookup" (what, where, how ...?, or
    a value of one trial it names: "child pugh range for the hepatic-artery one")."""
    one = not _SEVERAL.search(question) and naming_phrase(question) is not None
    if _LIST.search(question) and not (one and _WHICH_VALUE.search(question)):
        return "list"
    if _WHICH_TRIALS.search(question) or (
        (_WHERE_SIDE.search(question) or _CRITERION_WHERE.search(question)) and not one
    ):
        return "list"
    return "lookup" if _LOOKUP.search(question) or _LATE_WH.search(question) or one else "list"


def asks_a_value(question: str) -> bool:
    """Whether a question that no wording marks as a list or a lookup asks for a kind of value
    (an answer type), not for trials: "302 hosp randomisation split (MSC:placebo n)"; when it
    names one trial, it is that trial's lookup."""
    return unmarked(question) and answer_type(question) is not None


def unmarked(question: str) -> bool:
    """Whether no wording marks a question as a list, nor as about several trials: a search
    box's words ("Xijing Child Pugh cutoff"); when they name one trial, they ask about it."""
    return not _LIST.search(question) and not _SEVERAL.search(question)


def is_yes_no(question: str) -> bool:
    """Whether a question about one trial asks yes or no ("is the Royan trial recruiting?",
    "Xijing trial placebo-controlled?"), not for a value ("Beijing trial - dose per kg?")."""
    if _YES_NO.search(question):
        return True
    return not _WH.search(question) and answer_type(question) is None


def question_mode(question: str) -> Mode:
    """The question's kind, or "count" (how many trials ...?) or "compare" (compare the doses)."""
    if _COUNT.search(question):
        return "count"
    return "compare" if _COMPARE.search(question) else question_kind(question)


def search_terms(text: str, listing: bool = True) -> tuple[Groups, Links]:
    """The term groups to search for and their phrase links, without the verb that frames
    "which trials test X" and the words the decision by meaning reads otherwise
    (`index.qa.support.question_terms_text`)."""
    return parse_terms(_FRAME_VERB.sub(r"\1", question_terms_text(text, listing=listing)))


def fact_search_terms(text: str) -> tuple[Groups, Links]:
    """The term groups left to search for in a fact question (what its constraints did not
    claim), without the words that only frame it ("accept", "patients", "how many")."""
    groups, links = search_terms(_EXAMPLE_NUMBER.sub(" ", text))
    return drop(groups, links, {i for i, g in enumerate(groups) if g[0] in _FACT_FRAME})


# A number given as an example of what a constraint says: "members over 70, e.g. 72".
_EXAMPLE_NUMBER = re.compile(r"(?:,\s*|\(\s*)?\b(?:e\.\s?g|i\.\s?e)\b\.?,?\s*\d+(?:\.\d+)?\b\s*\)?", re.I)


def asks_for_papers(groups: Groups) -> bool:
    return any(g[0] in _PAPER_WORDS for g in groups)


def drop(groups: Groups, links: Links, dropped: set[int]) -> tuple[Groups, Links]:
    """Remove groups by index, renumbering the phrase links among the rest."""
    keep = [i for i in range(len(groups)) if i not in dropped]
    new = {old: n for n, old in enumerate(keep)}
    return [groups[i] for i in keep], {(new[a], new[b]) for a, b in links if a in new and b in new}
