"""The kind of value a lookup asks for (`answer_type`: a dose, a schedule, a follow-up, a
sponsor ...), read from its words, and the words that only say which kind (`type_words`)."""

from __future__ import annotations

import re
from typing import Literal

from index.text.tokenize import tokenize

AnswerType = Literal[
    "results",
    "schedule",
    "source",
    "dose",
    "doses",
    "child_pugh",
    "split",
    "count",
    "age",
    "followup",
    "duration",
    "route",
    "outcome",
    "status",
    "contact",
    "phone",
    "place",
    "where",
    "when",
    "sponsor",
    "who",
    "investigator",
    "phase",
    "masking",
    "control",
    "entry_duration",  # a duration the criteria ask of patients (`index.qa.text_answer`), not read from a question
]
# The words of the follow-up visits: a question with them asks when patients are seen, not when
# or how often they are given the cells.
_VISITS = r"follow|f/u\b|review\w*|visits?\b|seen\b|see\s+(?:you|them|him|her)\b"
_CHILD_PUGH = r"(?:child[\s-]*(?:turcotte[\s-]*)?pugh|CTP)"
# Words for a trial starting or ending: "when did enrolment begin", "in what year did it finish".
_STARTS_ENDS = r"(?:start|begin|began|begun|commence|open|end|finish|complet|clos)\w*"
# What a lookup asks for, in the order they are tried.
_ANSWER_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (  # what a trial found: "did NCT... show improvement in liver function?", "what were the results?",
        # "has it published any results?", "did the patients get better?", "Royan trial results - did MELD improve?"
        "results",
        re.compile(
            r"(?:^|[-–—:;?.]\s)\s*(?:did|has|have)\b.{0,80}\b(?:show(?:ed|n)?|improve[sd]?|reduce[sd]?|lower(?:ed)?|work(?:ed)?"
            r"|help(?:ed)?|succeed(?:ed)?|benefit(?:ed)?|prove[dn]?|achieve[sd]?|(?:get|got|gotten|getting)\s+better"
            r"|recover(?:ed)?|publish(?:ed)?\s+(?:any\s+|its\s+|the(?:ir)?\s+)?(?:results?|findings?))\b"
            r"|\b(?:results?|findings?)\s+(?:(?:been|were|was|are|is)\s+)?(?:published|posted|reported|out|available)\b"
            r"|\b(?:what|which)\s+(?:were|are|was)\s+(?:the\s+|its\s+)?(?:\w+\s+)?(?:results?|findings?)\b"
            r"|\b(?:results?|findings?)\s+(?:of|from)\s+(?:the\s+|this\s+)?(?:\w+\s+){0,4}?(?:trial|study)\b"
            r"|\b(?:trial|study)(?:'s)?\s+(?:results|findings)\b"
            # "what did they find", "what side effects did people have", "how many had bad reactions"
            r"|\bwhat\s+did\s+(?:it|they|the\s+(?:\w+\s+){0,3}?(?:trial|study))\s+find\b"
            r"|\b(?:what|which|any)\s+(?:\w+\s+)?(?:side[\s-]+effects?|adverse\s+\w+|reactions?|complications?)\s+did\b"
            r"|\bhow\s+many\s+(?:\w+\s+){0,2}?(?:had|got|experienced|suffered|developed)\s+(?:\w+\s+)?"
            r"(?:side[\s-]+effects?|adverse\s+\w+|reactions?|complications?)\b",
            re.I,
        ),
    ),
    (  # how many times the cells are given: "how many times would dad get the cells - just once or several?"
        "doses",
        re.compile(
            r"^(?!.*\b(?:" + _VISITS + r"|higher|more\s+than))"
            r".*\bhow many (?:times\b|(?:\w+\s+)?(?:infusions|doses|injections|rounds|sessions|administrations)\b)"
            r"|\bjust\s+once\s+or\s+(?:several|more|twice|repeated)",
            re.I,
        ),
    ),
    (  # the Child-Pugh limit a trial sets: "What Child-Pugh score does the Haikou study require?"
        "child_pugh",
        re.compile(
            r"\b(?:what|which)\b.{0,40}\b" + _CHILD_PUGH + r"\b"
            r"|\b" + _CHILD_PUGH + r"\s+(?:score\s+|class\s+)?(?:range|cut-?off|limit|threshold"
            r"|requirement|criteri\w*|rule)\b",
            re.I,
        ),
    ),
    (  # when the doses are given: "infusion schedule", "what weeks", "when do they get the cells"
        "schedule",
        re.compile(
            r"^(?!.*\b(?:" + _VISITS + r"|outcomes?\b|end[\s-]?points?\b"
            r"|assess\w*|measur\w*|evaluat\w*))"  # not the visits
            # of the follow-up, nor when an outcome is measured
            r".*(?:\bschedul|\btime ?points?\b|\bhow often\b|\bfrequen)"
            r"|\b(?:which|what) (?:weeks?|days?|months?|wks?|mos?)\b"
            r"|\bintervals?\b|\bspac(?:ed|ing)\b|\btiming\b"
            r"|\b(?:injection|infusion|dosing|treatment|transplant\w*)\s+(?:weeks|days|dates|times)\b"
            r"|\bwhen\s+(?:do|does|will|would)\s+(?:the\s+)?(?:patients|they|participants|pts|people|he|she|you)\s+"
            r"(?:get|receive|have)\b(?!.*\b(?:follow|visit|result|outcome)\w*)"
            r"|^\s*(?:when|at what (?:point|time))\b"
            r"(?!.*\b(?:start|begin|began|begun|end|ended|finish|complet|recruit|enrol)\w*).{0,60}?\b(?:give|given|gets?|getting|receiv\w*|infus\w*|inject\w*|administ\w*|dos(?:e|es|ed|ing)"
            r"|drips?|transplant\w*|treat\w*)\b",
            re.I,
        ),
    ),
    (  # "when did enrolment begin?": a date, not an enrolment
        "when",
        re.compile(
            r"^\s*when\b.{0,60}\b"
            + _STARTS_ENDS
            + r"|\b(?:what|which)\s+(?:year|month|date)\b.{0,60}\b"
            + _STARTS_ENDS,
            re.I,
        ),
    ),
    (  # where the cells come from: "where is the marrow taken from", "harvest site"
        "source",
        re.compile(
            r"^\s*where\b.*\b(?:from|taken|harvest\w*|collect\w*|obtain\w*|aspirat\w*|drawn)\b|\bfrom where\b"
            # "in the royan trial where do they take the marrow from", "how much marrow do they take"
            r"|\bwhere\b.*\bfrom\s*[?.!]*\s*$|\bhow much (?:bone\s+)?marrow\b"
            r"|\bharvest\w*|\baspirat\w*|\bsource of\b|\bfrom (?:which|what)\b"
            r"|\b(?:bone\s+)?marrow\s+volume\b|\bvolume\s+of\s+(?:bone\s+)?marrow\b"
            r"|\bhow\s+(?:do|does|is|are|will|would)\s+(?:they\s+|the\s+\w+\s+)?(?:collect|obtain|get|take)\w*\s+(?:the\s+)?"
            r"(?:bone\s+)?marrow\b"
            r"|\b(?:drawn|taken|collected|obtained|derived|isolated|extracted)\s+from\b"
            r"|\b(?:are|is)\s+the\s+(?:stem\s+)?cells?\s+from\b"  # "are the cells from umbilical cords or from marrow"
            # "what's the msc source", "cell source?"
            r"|\b(?:cells?|mscs?|stem[\s-]cells?)\s+sources?\b|\bsource\s+(?:tissue|organ|material)s?\b|\btissue\s+(?:of\s+)?origin\b|\b(?:what|which)(?:'s|\s+is|\s+are)?\s+(?:the\s+|its\s+)?sources?\b"
            r"(?!\s+of\s+(?:fund|money|financ|pay))",
            re.I,
        ),
    ),
    (
        "dose",
        re.compile(
            r"\b(dose|doses|dosage|dosing|how much)\b|\bhow many (?:\S+\s+){0,2}cells\b"
            r"|\bhow many (?:\S+\s+){0,2}(?:MSCs|BMSCs|MNCs|BM-MNCs)\b"
            r"(?!\s+(?:infusions?|injections?|doses?|transplant\w*))"
            r"|\bnumber of (?:\S+\s+){0,2}(?:cells|MSCs?)\b"
            r"|\bcell (?:count|number)s?\b"
            r"|\bhow many\b.{0,40}\b(?:per|a|each|/)\s*(?:kg|kilo(?:gram)?s?)\b"  # "how many BMSCs per kilogram"
            r"|\bcells?\s*(?:per|a|each|/)\s*(?:kg|kilo(?:gram)?s?)\b",  # "is it like a million cells per kg"
            re.I,
        ),
    ),
    (  # how many each arm has: "MSC vs placebo numbers", "split between the arms", "tx vs ctrl n"
        "split",
        re.compile(
            r"\bsplit\b|\b(?:vs\.?|versus)\b.{0,30}\b(?:numbers?|arms?|groups?)\b"
            r"|\b(?-i:n)\s+(?:per|in each|by|for each)\s+(?:arm|group)"  # "n per arm"
            r"|\bhow many\b.{0,40}\b(?:vs\.?|versus)\b|\bnumbers?\s+(?:per|in each|by)\s+(?:arm|group)"
            r"|\b(?:arm|group) sizes?\b|\bhow many\b.{0,40}\b(?:in )?(?:each|per)\s+(?:arm|group)\b"
            r"|\w\s*:\s*\w+\s+n\b|\b(?:allocation|randomi[sz]ation)\s+ratio\b",
            re.I,
        ),
    ),
    (
        "count",
        re.compile(
            r"\bhow many (?:patients|participants|subjects|people|persons|volunteers|pts|cases)\b"
            r"|\bhow many (?!(?:infusions?|doses?|injections?|times|treatments?|rounds?|sessions?|cycles?)\b)(?:\w+ )?"
            r"(?:get|gets|got|receive|received"
            r"|are (?:in|given|treated)|were (?:in|given|treated))\b"
            r"|\benrol|\bsample size\b|\baccru\w*"
            r"|\b(?:recruitment|accrual) target\b|\btarget (?:recruitment|accrual|size|sample|number|enrol\w*)\b"
            r"|\b(?:final|total|target) n\b"
            r"|^\s*n\s*=?(?:\s*(?:for|of|in)\b|\s*\?|\s*$)|\b(?-i:n)\s*=?\s*\?\s*$"  # "Royan n?", "n= for X?"
            r"|\bsplit\b.{0,40}\b(?:between|across|into|among)\b"
            r"|\b(?:vs\.?|versus)\b.{0,30}\bnumbers?\b|\bnumbers?\s+(?:per|in each|by)\s+(?:arm|group)"
            r"|\bnumbers? of (?:patients|participants|subjects|people|pts)\b|\barm sizes?\b|\bgroup sizes?\b",
            re.I,
        ),
    ),
    (  # what the control arm gets: "what is the comparator in X?", "what does the control group receive?"
        "control",
        re.compile(
            r"^(?!.*\bhow\s+(?:many|much)\b).*(?:\bcomparators?\b|\b(?:control|comparison)\s+(?:arms?|groups?|conditions?"
            r"|treatments?)\b)"
            r"|\bwhat\s+(?:do|does|did)\s+(?:the\s+)?controls?\s+(?:get|receive)",
            re.I,
        ),
    ),
    ("age", re.compile(r"\bages?\b|\bhow old\b|\bage range\b", re.I)),
    (
        "followup",
        re.compile(
            r"\b(?:how long|duration|length|how many (?:days|weeks|months|years)|period)\b"
            r".*\b(?:follow|check[\s-]?ups?|check(?:ing|in)?\s+(?:up\s+)?on)"
            r"|\b(?:over|for|during)\s+what\s+(?:period|length\s+of\s+time)\b"
            r".*\b(?:assess\w*|monitor\w*|observ\w*|followed)\b"
            r"|\bfollow(?:ed)?[- ]?(?:up|-up)\b.*\b(?:how long|duration|length|period|last|months|weeks|years)\b"
            r"|\b(?:how long|duration|length|period)\b.*\b(?:f/u|FU)\b"
            # "how long would my pt be committed to", "for how long ... keep monitoring participants"
            r"|\bhow long\b.*\b(?:monitor\w*|observ\w*|tracked|committed|take part|taking part|stay in|remain in)\b"
            r"|\buntil\s+when\b.*\b(?:monitor\w*|observ\w*|tracked|followed|seen)\b"
            r"|\bobservation\s+(?:period|window|time)\b|\bperiod\s+of\s+observation\b"
            r"|\b(?:f/u|FU)\b.*\b(?:how long|duration|length|period)\b"
            r"|\bfollow(?:ed)?[- ]?up\b.*\b(?:schedul\w*|visits?|how often|frequen\w*)\b"
            r"|\b(?:how often|schedul\w*|frequen\w*)\b.*\b(?:follow\w*|f/u|review\w*|seen|visits?"
            r"|see\s+(?:you|them|him|her))\b",
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
            r"|inject\w*|infus\w*|introduc\w*|put in\w*|get\s+(?:\w+\s+){0,3}?into)\b|\bby what means\b|\bwhat way\b"
            r"|(?:^\s*|[-–—:,;]\s*|\b(?:tell|show|ask)\s+(?:me|us|you|him|her)\s+)where\b.{0,60}?\b(?:inject\w*|infus\w*"
            r"|deliver\w*|administ\w*|given|put|transplanted"
            r"|go(?:es)?\s+in)\b"  # "where exactly do the stem cells go in?"
            r"|(?-i:\b(?:IV|IA)\s+or\s+(?:IV|IA|IM|SC|oral)\b)"  # "- IV or IA?"
            r"|\b(?:what|which)\s+(?:blood\s+)?(?:vessels?|veins?|arter(?:y|ies))\b(?!\s+(?:thromb\w*|disease|occlusion))",
            re.I,
        ),
    ),
    (  # also "which tests tell whether the treatment worked"
        "outcome",
        re.compile(
            r"\boutcomes?\b|\bend[- ]?points?\b|\bbeing (?:measured|assessed|evaluated)\b"
            r"|\b(?:primary|secondary|main)\s+(?:\w+\s+)?measures?\b"  # "the primary efficacy measure"
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
    # a number or address to reach someone at: a contact's name alone does not answer it
    (  # also "whats his number", "a number to ring"
        "phone",
        re.compile(
            r"\b(?:tele)?phone\b|\bnumbers?\s+to\s+(?:call|ring|dial|text)\b|\be-?mail\b|\bfax\b"
            r"|\b(?:what(?:'s|s|\s+is)|give\s+me)\s+(?:his|her|their|the\s+(?:contact|doctor|team)'?s?)\s+(?:contact\s+)?number\b",
            re.I,
        ),
    ),
    (  # also "a doctor's name to get in tuch with", "who to ring"
        "contact",
        re.compile(
            r"\bcontacts?\b|\b(?:get|be|keep)\s+in\s+t\w{0,2}u\w{0,2}ch\b|\bcall\b|\bdoctor'?s\s+name\b"
            r"|\bwho\s+(?:to|(?:do|should|can|could)\s+\w+)\s+(?:contact|call|ring|e-?mail|speak\s+to|talk\s+to|ask)\b",
            re.I,
        ),
    ),
    # a location; "where would I have to travel to": a place, not the institute that runs it
    (
        "place",
        re.compile(
            r"\b(?:city|cities|country|countries|town|province|region)\b|\bwhere\b.*\btravel\w*\b"
            r"|\bhow far\s+(?:would|will|do|does|is|are|must|should)\b",
            re.I,
        ),
    ),
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
            r"|\bwho(?:'s| is| are)?\s+(?:runs?|running|organi[sz]\w*|conduct\w*|doing|leads?|leading|in charge)\b"
            r"|\b(?:which|what)\s+(?:organi[sz]ation|institution|hospital|university|company|group|centre|center)s?"
            r"\s+(?:runs?|ran|is\s+running|conducts?|leads?|sponsors?|is\s+behind|organi[sz]es)\b",
            re.I,
        ),
    ),
    (  # a person who leads it, named among its contacts (its sponsor is not one)
        "investigator",
        re.compile(
            r"\binvestigators?\b|\b(?-i:PIs?)\b|\bprincipal\b|\blead\s+(?:doctors?|researchers?|physicians?|scientists?)\b"
            r"|\bstudy\s+(?:chairs?|directors?)\b",
            re.I,
        ),
    ),
    ("who", re.compile(r"^\s*who\b|\bwho(?:'s| is)\b", re.I)),
)


def answer_type(question: str) -> AnswerType | None:
    """The kind of value a lookup asks for, if it says."""
    return next((name for name, rx in _ANSWER_TYPES if rx.search(question)), None)


# Words that only say which kind of value a lookup asks for: the typed sentence answers them.
_TYPE_WORDS: dict[AnswerType, str] = {
    "control": "comparator comparators control controls comparison arm arms group groups condition treatment get gets "
    "receive receives",
    "results": "results result findings finding show showed shown improve improved improvement work worked help "
    "helped benefit benefited succeed succeeded effective efficacy publish published better recover recovered",
    "route": "route routes deliver delivered delivers given give gives administered administer way means vessel "
    "vessels blood",
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
    "investigator": "investigator investigators principal pi pis lead doctor doctors researcher researchers physician "
    "scientist chair director directors who name person",
    "phone": "contact contacts phone telephone number email e-mail address fax call reach touch refer",
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
