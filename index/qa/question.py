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
AnswerType = Literal[
    "results",
    "schedule",
    "source",
    "dose",
    "split",
    "count",
    "age",
    "followup",
    "duration",
    "route",
    "outcome",
    "status",
    "contact",
    "place",
    "where",
    "when",
    "sponsor",
    "who",
    "phase",
    "masking",
    "entry_duration",  # a duration the criteria ask of patients (`index.qa.text_answer`), not read from a question
]
Groups = list[tuple[str, ...]]  # query term groups: each a stem and its forms (`parse_terms`)
Links = set[tuple[int, int]]  # groups linked as a phrase

_LOOKUP = re.compile(r"^\s*(what|where|how|when|who|whom|whose|is|does|do|did|can)\b", re.I)
_LIST = re.compile(
    r"^\s*(which|list|show|find|are there|is there|any)\b|^\s*(?:do|does|did|are|is|can|will|would)\s+any\b"
    r"|^\s*(what|how many)\s+(?:\S+\s+){0,3}?(trials|studies|records)\b"
    r"|[,;:–—-]\s*(?:so\s+|and\s+)?(?:which|what)\s+(?:trials|studies|protocols|ones)\b",  # "..., which trials do it?"
    re.I,
)
_COUNT = re.compile(r"^\s*how many\s+(?:\w+\s+){0,3}?(?:trials|studies)\b", re.I)
_COMPARE = re.compile(r"^\s*(?:compare|contrast|tabulate)\b", re.I)
# What a lookup asks for, in the order they are tried.
_ANSWER_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (  # what a trial found: "did NCT... show improvement in liver function?", "what were the results?"
        "results",
        re.compile(
            r"^\s*(?:did|has|have)\b.{0,80}\b(?:show(?:ed|n)?|improve[sd]?|reduce[sd]?|lower(?:ed)?|work(?:ed)?"
            r"|help(?:ed)?|succeed(?:ed)?|benefit(?:ed)?|prove[dn]?|achieve[sd]?)\b"
            r"|\b(?:what|which)\s+(?:were|are|was)\s+(?:the\s+|its\s+)?(?:\w+\s+)?(?:results?|findings?)\b"
            r"|\b(?:results?|findings?)\s+(?:of|from)\s+(?:the\s+|this\s+)?(?:\w+\s+){0,4}?(?:trial|study)\b",
            re.I,
        ),
    ),
    (  # when the doses are given: "infusion schedule", "what weeks", "when do they get the cells"
        "schedule",
        re.compile(
            r"^(?!.*\b(?:follow|f/u\b|review\w*|visits?\b|seen\b|outcomes?\b|end[\s-]?points?\b"
            r"|assess\w*|measur\w*|evaluat\w*))"  # not the visits
            # of the follow-up, nor when an outcome is measured
            r".*(?:\bschedul|\btime ?points?\b|\bhow often\b|\bfrequen)"
            r"|\b(?:which|what) (?:weeks?|days?|months?)\b"
            r"|\bintervals?\b|\bspac(?:ed|ing)\b|\btiming\b"
            r"|\b(?:injection|infusion|dosing|treatment|transplant\w*)\s+(?:weeks|days|dates|times)\b"
            r"|^\s*(?:when|at what (?:point|time))\b"
            r"(?!.*\b(?:start|begin|began|begun|end|ended|finish|complet|recruit|enrol)\w*).{0,60}?\b(?:give|given|gets?|getting|receiv\w*|infus\w*|inject\w*|administ\w*|dos(?:e|es|ed|ing)"
            r"|drips?|transplant\w*|treat\w*)\b",
            re.I,
        ),
    ),
    (  # "when did enrolment begin?": a date, not an enrolment
        "when",
        re.compile(r"^\s*when\b.{0,60}\b(?:start|begin|began|begun|commence|open|end|finish|complet|clos)\w*", re.I),
    ),
    (  # where the cells come from: "where is the marrow taken from", "harvest site"
        "source",
        re.compile(
            r"^\s*where\b.*\b(?:from|taken|harvest\w*|collect\w*|obtain\w*|aspirat\w*|drawn)\b|\bfrom where\b"
            r"|\bharvest\w*|\baspirat\w*|\bsource of\b|\bfrom (?:which|what)\b"
            r"|\b(?:drawn|taken|collected|obtained|derived|isolated|extracted)\s+from\b",
            re.I,
        ),
    ),
    (
        "dose",
        re.compile(
            r"\b(dose|doses|dosage|dosing|how much)\b|\bhow many (?:\S+\s+){0,2}cells\b"
            r"|\bnumber of (?:\S+\s+){0,2}(?:cells|MSCs?)\b"
            r"|\bcell (?:count|number)s?\b",
            re.I,
        ),
    ),
    (  # how many each arm has: "MSC vs placebo numbers", "split between the arms", "tx vs ctrl n"
        "split",
        re.compile(
            r"\bsplit\b|\b(?:vs\.?|versus)\b.{0,30}\b(?:numbers?|arms?|groups?)\b"
            r"|\bhow many\b.{0,40}\b(?:vs\.?|versus)\b|\bnumbers?\s+(?:per|in each|by)\s+(?:arm|group)"
            r"|\b(?:arm|group) sizes?\b|\bhow many\b.{0,40}\b(?:in )?(?:each|per)\s+(?:arm|group)\b"
            r"|\w\s*:\s*\w+\s+n\b",
            re.I,
        ),
    ),
    (
        "count",
        re.compile(
            r"\bhow many (?:patients|participants|subjects|people|persons|volunteers|pts|cases)\b"
            r"|\bhow many (?:\w+ )?(?:get|gets|got|receive|received"
            r"|are (?:in|given|treated)|were (?:in|given|treated))\b"
            r"|\benrol|\bsample size\b"
            r"|\b(?:recruitment|accrual) target\b|\btarget (?:recruitment|accrual|size|sample|number|enrol\w*)\b"
            r"|\b(?:final|total|target) n\b"
            r"|^\s*n\b(?:\s+(?:for|of|in)\b|\s*\?|\s*$)|\bsplit\b.{0,40}\b(?:between|across|into|among)\b"
            r"|\b(?:vs\.?|versus)\b.{0,30}\bnumbers?\b|\bnumbers?\s+(?:per|in each|by)\s+(?:arm|group)"
            r"|\bnumbers? of (?:patients|participants|subjects|people|pts)\b|\barm sizes?\b|\bgroup sizes?\b",
            re.I,
        ),
    ),
    ("age", re.compile(r"\bages?\b|\bhow old\b|\bage range\b", re.I)),
    (
        "followup",
        re.compile(
            r"\b(?:how long|duration|length|how many (?:days|weeks|months|years)|period)\b.*\bfollow"
            r"|\bfollow(?:ed)?[- ]?(?:up|-up)\b.*\b(?:how long|duration|length|period|last|months|weeks|years)\b"
            r"|\b(?:how long|duration|length|period)\b.*\b(?:f/u|FU)\b"
            r"|\b(?:f/u|FU)\b.*\b(?:how long|duration|length|period)\b"
            r"|\bfollow(?:ed)?[- ]?up\b.*\b(?:schedul\w*|visits?|how often|frequen\w*)\b"
            r"|\b(?:how often|schedul\w*|frequen\w*)\b.*\b(?:follow\w*|f/u|review\w*|seen|visits?)\b",
            re.I,
        ),
    ),
    (
        "duration",
        re.compile(
            r"\bhow long\b|\bduration\b|\blength of (?:follow|the study|treatment)"
            r"|\bhow many (?:days|weeks|months|years)\b",
            re.I,
        ),
    ),
    (
        "route",
        re.compile(
            r"\broutes?\b|\bhow (?:are|is|were|was|do|does|did|will)\b.{0,60}?\b(?:given|give|deliver\w*|administ\w*"
            r"|inject\w*|infus\w*|introduc\w*|put in\w*|get into)\b|\bby what means\b|\bwhat way\b"
            r"|^\s*where\b.{0,60}?\b(?:inject\w*|infus\w*|deliver\w*|administ\w*|given|put|transplanted)\b",
            re.I,
        ),
    ),
    (  # also "which tests tell whether the treatment worked"
        "outcome",
        re.compile(
            r"\boutcomes?\b|\bend[- ]?points?\b|\bbeing (?:measured|assessed|evaluated)\b"
            # "when is the Ishak score assessed in the Haikou study?": when an outcome is measured
            r"|^\s*(?:when|at what (?:time|point|week|month))\b.{0,80}\b(?:measured|assessed|evaluated|scored)\b"
            r"|\b(?:assess|measur|evaluat)\w*\b.{0,60}\b(?:at what (?:time|point|week|month)|time[\s-]?points?)\b"
            r"|\bwhat (?:do|does|will|did) (?:they|it|the \w+) (?:measure|assess|evaluate|track)\b"
            r"|\b(?:judge|tell|know|measure|assess|decide|determine|show)\w*\b"
            r".{0,80}\b(?:works?|worked|working|succe\w*|effective\w*|efficacy|helps?|helped)\b",
            re.I,
        ),
    ),
    (
        "status",
        re.compile(
            r"\bstatus\b|\bstill\b.{0,30}?\b(?:running|recruiting|open|going|active|ongoing|enrolling|under way)\b"
            r"|\b(?:finished|completed|over|ended|terminated|withdrawn)\s*\??\s*$",
            re.I,
        ),
    ),
    ("phase", re.compile(r"\bphases?\b|^\s*ph\.?(?:\s|$)|\bph\.?\s*(?:\?|$)|\b(?:what|which)\s+ph\b", re.I)),
    ("masking", re.compile(r"\bmask(?:ed|ing)?\b|\bblind(?:ed|ing)?\b|\bopen[- ]label\b|\bunblinded\b", re.I)),
    ("contact", re.compile(r"\bcontacts?\b|\bphone\b|\be-?mail\b|\bget in touch\b|\bcall\b", re.I)),
    ("place", re.compile(r"\b(?:city|cities|country|countries|town|province|region)\b", re.I)),  # a location
    (  # "where is it run?"; not "where is the marrow taken from?" (its source)
        "where",
        re.compile(
            r"^\s*where\b|\blocat|\bsites?\b|\bcountr|\bcity\b"
            r"|\b(?:which|what)\s+(?:hospitals?|cent(?:er|re)s?|institutions?|clinics?|universit(?:y|ies))\b",
            re.I,
        ),
    ),
    (
        "when",
        re.compile(
            r"^\s*when\b|\bstart date\b|\bcompletion date\b|\bwhat (?:year|month|date)\b"
            # "first posted / start"
            r"|\bfirst[\s-]+(?:posted|submitted|registered)\b|\b(?:start|completion)\s*[?.!]*\s*$"
            r"|\b(?:start|begin|began|begun|commence)\w*\b.{0,20}\b(?:recruit\w*|enrol\w*)\b",
            re.I,
        ),
    ),
    (  # who runs or pays for it: its sponsor answers
        "sponsor",
        re.compile(
            r"\bsponsor|\bfund|\bfinanc|\bpays?\b|\bpaying\b|\bbehind\b"
            r"|\bwho(?:'s| is| are)?\s+(?:runs?|running|organi[sz]\w*|conduct\w*|doing|leads?|leading|in charge)\b",
            re.I,
        ),
    ),
    ("who", re.compile(r"^\s*who\b|\binvestigator|\bPI\b|\bwho(?:'s| is)\b", re.I)),
)
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
        while j >= 0 and len(got) < MAX_PHRASE_WORDS and words[j] not in _PHRASE_STOP and toks[j][0][:1].isalnum():
            got.append(toks[j][0])
            j -= 1
        if not got:
            continue
        set_off = j >= 0 and words[j] in _DETERMINERS
        broken = j < 0 and i + 2 < len(toks) and not toks[i + 1][0][:1].isalnum()
        if set_off or broken:
            return " ".join([*reversed(got), toks[i][0]])
    return None


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
    if _WHICH_TRIALS.search(question) or (_WHERE_SIDE.search(question) and not one):
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


def answer_type(question: str) -> AnswerType | None:
    """The kind of value a lookup asks for, if it says."""
    return next((name for name, rx in _ANSWER_TYPES if rx.search(question)), None)


# Words that only say which kind of value a lookup asks for: the typed sentence answers them.
_TYPE_WORDS: dict[AnswerType, str] = {
    "results": "results result findings finding show showed shown improve improved improvement work worked help "
    "helped benefit benefited succeed succeeded effective efficacy",
    "route": "route routes deliver delivered delivers given give gives administered administer way means",
    "status": "status still running run going ongoing open active finished over ended",
    "count": "many people patients participants subjects persons volunteers pts cases number numbers sample size "
    "target enrol enroll enrolled enrollment enrolment recruit recruitment include included accrual take part "
    "final total n",
    "split": "many people patients participants subjects pts number numbers n split vs versus arm arms group groups "
    "each per between size sizes randomisation randomization",
    "dose": "dose doses dosage dosing much many per number",
    "duration": "long duration length last lasts period many days weeks months years",
    "entry_duration": "long duration length last lasts period many days weeks months years minimum established",
    "followup": "long duration length last lasts follow-up follow followed up period many days weeks months years",
    "schedule": "schedule schedules scheduled timepoint timepoints time times point points when often frequency "
    "frequently interval intervals week weeks day days month months which what exactly spaced spacing timing",
    "source": "where from taken harvest harvested harvesting aspirate aspirated aspiration collected obtained drawn "
    "derived isolated extracted source site volume much",
    "sponsor": "sponsor sponsors sponsored sponsoring fund funds funded funder funders funding finance financed "
    "financing pay pays paying behind run runs running organise organize organised organized organising organizing "
    "conduct conducts conducting conducted lead leads leading charge doing who company organisation organization",
    "contact": "contact contacts person name phone email e-mail call reach touch",
    "phase": "phase phases ph stage development clinical",
    "masking": "mask masks masked masking blind blinded blinding open label unblinded",
    "place": "where located location locations city cities country countries town province region which what in",
    "where": "where located location locations site sites done run running held conducted based hospital hospitals "
    "city cities country countries centre center centres centers place places clinic clinics institution which what",
    "outcome": "outcome outcomes endpoint endpoints end point points measure measures measured main being evaluated "
    "test tests score scores judge tell know assess decide determine show work works worked success successful "
    "effective efficacy",
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
