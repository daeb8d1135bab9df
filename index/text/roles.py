"""What a sentence does in its record: criteria polarity, background vs the trial itself.

- Under inclusion criteria a line is a condition for entry ("Aged 18-65 years"), except a
  line that asks for the absence of something ("No hepatic encephalopathy", "Without
  ascites", "Absence of HCC", "Free of infection"), or a negative test for it ("Negative
  pregnancy test", "HIV negative", "Negative for HBsAg"): that excludes it.
- Under exclusion criteria a line excludes what it names.
- In a summary or description, a sentence about earlier work or the disease in general
  ("Previous study showed that ...", "Liver transplantation is the only ...") is background,
  not what the trial does; "In this study ...", "Patients will ..." are the trial's design;
  one that says whom the trial excludes ("Patients with HCC will be excluded") excludes.
- Criteria written in one block ("Inclusion Criteria: ... Exclusion Criteria: ...") take
  their polarity from the last of those headings before the sentence (`polarity_at`).

And what a question asks for: `question_polarity` says whether it asks which trials
*exclude* something, *enrol* people with something, or neither; `asks_outcome` whether it
asks what trials measure ("as an outcome", "endpoint") or compare ("compare X with Y",
"X versus Y"), which criteria never say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text.vocabulary import vocabulary

INCLUDE = "include"
EXCLUDE = "exclude"
CRITERIA = "criteria"  # a question about a criterion without saying which side ("a cut-off on INR")
ANY = "any"  # a question whether trials heed X at all ("which trial cares about X?"): any side, any section
STATED = "stated"  # "which trial mentions that 93 million people ...": what a record says, background too
BACKGROUND = "background"
DESIGN = "design"
OTHER = "other"

_CRITERIA_SECTIONS = {"eligibility_inclusion": INCLUDE, "eligibility_exclusion": EXCLUDE}
_PROSE_SECTIONS = {"summary", "description"}
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|\d{1,3}[.)]|[a-z][.)])?\s*")
_ABSENT = re.compile(
    r"^(?:no|not\s+(?:have|having|had|with)|without|absence\s+of|absent|free\s+of|lack\s+of|never\s+had|"
    r"has\s+not\s+had|have\s+not\s+had|no\s+history\s+of|no\s+evidence\s+of|none\s+of)\b",
    re.I,
)
# A negative test asked for under inclusion excludes what it tests for: "Negative pregnancy
# test", "Negative serology for HIV", and a line that ends so ("HIV negative", "Serum HBsAg
# test negative"). "HER2-negative breast cancer" names a kind of disease, not a test: not this.
_NEGATIVE = re.compile(
    r"^(?:a\s+|an\s+)?(?:confirmed\s+|documented\s+)?negative\b|^[^.;:]{1,60}?[\s-]negative(?:\s+results?)?\s*[.;]?\s*$",
    re.I,
)
_BACKGROUND = re.compile(
    r"\bprevious(?:ly)?\s+(?:stud|report|work|trial|research)|\b(?:recent|earlier|prior|several|many|other|some)"
    r"\s+(?:clinical\s+)?(?:studies|trials|reports|research)\b|\b(?:has|have)\s+been\s+(?:shown|reported|"
    r"demonstrated|confirmed|proven|found|suggested|performed|applied|used|studied)|\bwas\s+recently\b|\brecently"
    r"\s+(?:been\s+)?(?:confirmed|shown|reported)|\b(?:studies|evidence|data|reports)\s+(?:have\s+)?(?:shown|"
    r"show|suggest|suggests|indicate|indicates|demonstrated)|\bin\s+recent\s+years\b|\bis\s+(?:a|an|the)\s+"
    r"(?:most\s+)?(?:common|dramatic|severe|major|leading|serious|only)\b|\bserious\s+problems\b|\bis\s+one\s+of\s+the\b|"
    r"\b(?:are|is)\s+(?:still\s+)?needed\b|"
    r"\bit\s+is\s+(?:known|believed|estimated)|\ban\s+estimated\b|\bhold(?:s)?\s+(?:great\s+)?(?:hope|promise)",
    re.I,
)
# A sentence that says what a disease or a treatment is in general ("Liver cirrhosis (LC) is the end
# stage of chronic liver disease", "Stem cells are a source of ..."): its subject, at most five
# words and an abbreviation, is followed by "is a / are the ...". Not when the subject is the
# trial's own (its outcome, aim, design, groups or people: "The primary outcome is the change").
_DEFINES = re.compile(
    r"^\s*(?P<subject>(?:[\w'’-]+\s+){0,4}?[\w'’-]+)(?:\s*\([^)]{1,15}\))?\s+(?:is|are)\s+(?:a|an|the|one)\b", re.I
)
_OWN_SUBJECT = re.compile(
    r"\b(?:this|these|our|we|present|current|outcomes?|end[- ]?points?|aims?|purposes?|objectives?|goals?|study|trial"
    r"|hypothes[ie]s|design|doses?|groups?|arms?|interventions?|primary|secondary|patients?|participants?|subjects?"
    r"|it|they|there)\b",
    re.I,
)
_DESIGN = re.compile(
    r"\b(?:this|the\s+present|the\s+current|our)\s+(?:study|trial|project)\b|\bwe\s+(?:will|aim|plan|propose)"
    r"|\b(?:will|shall)\s+(?:be|receive|undergo|get)\b|\bpatients?\s+will\b|\bparticipants?\s+will\b",
    re.I,
)
_EXCLUDED = re.compile(r"\b(?:(?:will\s+be|are|were|was|is|be)\s+excluded|excluding)\b", re.I)
_GLUED = re.compile(r"(?<=[a-z)][.;])(?=[A-Z])")  # two sentences without a space between them
_HEADING = re.compile(r"\b(inclusion|exclusion)\s+criteria\b|\b(include|exclude)d?\s*:", re.I)

_EXCLUDE_Q = re.compile(
    r"\bexcl(?:usion|\.)?\s+crit(?:eria|erion|\.)?(?!\w)|\bexcl\b\.?|\bexclu\w*|\bsay(?:s|ing)?\s+no\s+to\b|\b(?:won'?t|will\s+not|would\s*n[o']t|do(?:es)?\s*n[o']t|did\s*n[o']t|cannot|can'?t|could\s*n[o']t"
    r"|not)\s+(?:enrol+|include|take|accept|admit|allow|recruit)\w*|(?<!-)\b(?:not\s+|in)eligib\w*\b(?!\s+for)|\brule[sd]?\s+out\b|\bbar(?:s|red)?\b|\bkeep\s+out\b"
    r"|\bdisqualif\w*|\bturn(?:s|ed|ing)?\s+(?:\w+\s+){0,2}?(?:away|down)\b|\brul(?:e|es|ed|ing)\s+(?:\w+\s+){1,2}?out\b|\boff\s+the\s+table\b|\bshut(?:s|ting)?\s+(?:\w+\s+){0,2}?out\b|\bbounce[sd]?\b|\bsays?\s+no\s+(?!to\b|one\b|other\b)(?=[a-z])|(?:=|\bis)\s*(?:a\s+)?no(?:[\s-]go)?\s*(?:$|[?.!]|\bin\b|\bfor\b)|\bscreen(?:s|ed)?\s+out\b"
    r"|\b(?:ban|bans|banned|reject\w*|refuse\w*|prohibit\w*|forbid\w*)\b|\bleave[s]?\s+out\b|\bkeep(?:s|ing)?\s+(?:[\w-]+\s+){1,3}?out\b"
    r"|\bnot\s+(?:allowed|permitted|let\s+in)\b|\b(?:can'?t|cannot|could\s*n[o']t|won'?t\s+be\s+able\s+to)\s+"
    r"(?:(?:i|we|he|she|they|you|someone|people|patients)\s+)?(?:join|get\s+in|participate|take\s+part|sign\s+up|enter)\b"
    r"|\bsay(?:s|ing)?\s+(?:[\w+-]+\s+){1,3}?(?:is|are)\s+a\s+no\b"
    r"|\b(?:won'?t|will\s+not|would\s*n[o']t|do(?:es)?\s*n[o']t|can'?t|cannot)\s+let\b|\bdisallow\w*|\boff[\s-]+limits?\b|\bmust\s+not\s+(?:have|be|had|suffer)\b"
    r"|\b(?:needs?|requires?|has|have)\s+(?:\w+\s+){0,2}?to\s+not\s+(?:have|be)\b|\bnot\s+to\s+have\b"
    # "say you can't have HE", "require that the patient does not have HE"
    r"|\b(?:you|(?:the\s+)?patients?|people|(?:the\s+)?participants?|i|he|she|they|someone|anyone)\s+"
    r"(?:can'?t|cannot|may\s+not|must\s*n'?t|should\s*n'?t|are\s*n'?t\s+allowed\s+to|do(?:es)?\s*n[o']t)\s+have\b"
    # "contraindicated in pregnancy", "list HCC as a contraindication (to enrolment)"
    r"|\bcontra-?indicated\s+in\b|\bas\s+(?:an?\s+)?contra-?indications?\b"
    r"|\bcontra-?indications?\s+(?:to|for)\s+(?:enrol\w*|entry|inclusion|participat\w*|joining|taking\s+part)\b"
    # "lists HBV as a reason you can't take part", "a reason for exclusion"
    r"|\b(?:as\s+)?(?:an?\s+)?reasons?\s+(?:why\s+)?(?:(?:you|patients?|people|someone|they|he|she)\s+)?"
    r"(?:can'?t|cannot|could\s*n[o']t|won'?t\s+be\s+able\s+to)\s+(?:join|take\s+part|participate|enrol\w*|get\s+in)\b"
    r"|\b(?:as\s+)?(?:an?\s+)?reasons?\s+(?:for|of)\s+(?:exclu\w*|not\s+(?:joining|enrol\w*|being\s+enrol\w*))"
    # "would that stop him from joining", "stop dad getting into any of these", "keep her from enrolling"
    r"|\b(?:stop|stops|stopping|prevent|prevents|keep|keeps)\s+(?:(?:my|his|her|your|our|their|the)\s+)?"
    r"(?:him|her|them|me|us|you|someone|anyone|people|patients?|pts?|dad|mum|mom|father|mother|husband|wife|son"
    r"|daughter|brother|sister|grand\w+|uncle|aunt|partner|friend|members?)\s+(?:from\s+)?(?:joining|getting\s+in"
    r"|getting\s+into|taking\s+part|enrol\w*|participating|signing\s+up|being\s+(?:enrol\w*|included|accepted))\b"
    # "which trials say that's a problem for joining"
    r"|\b(?:a|an)\s+(?:problem|issue|obstacle|barrier|bar)\s+(?:for|to)\s+(?:joining|entry|enrol\w*|taking\s+part"
    r"|participat\w*|getting\s+in|being\s+(?:included|accepted))\b"
    r"|\b(?:requir\w*|need\w*|demand\w*|ask\w*\s+for)\s+(?:the\s+|an?\s+)?(?:absence|lack)\s+of\b",
    re.I,
)
_INCLUDE_Q = re.compile(
    r"\b(?:incl(?:usion|\.)?\s+crit(?:eria|erion|\.)?(?!\w)|enrol+\w*|includ\w*|inclusion|accept\w*|recruit\w*|admit\w*|eligib\w*|treat(?:s|ed|ing)?|to\s+enter|"
    r"for\s+entry|(?:before|prior\s+to|at)\s+(?:study\s+|trial\s+)?entry|to\s+join|to\s+take\s+part|to\s+participate|(?:to\s+)?select(?:s|ed|ing)?\s+(?:patients|participants|people|subjects)|"
    r"(?:entry\s+)?requirements?(?:\s+for\s+entry)?|for\s+"
    r"(?:people|patients|participants|adults|those)|(?:people|patients|participants|adults|those)\s+(?:with|who)"
    # "trials for liver cancer (HCC) patients": for a kind of patient
    r"|for(?=\s+(?:(?!(?:how|long|many|much|what|which|are|is|were|was|do|does|did|will|would|can|could|all|the|these"
    r"|those|its|their)\b)[A-Za-z][\w'-]*\s+|\([^)]*\)\s+){1,4}?(?:patients|people|participants|adults|pts)\b)"
    r")\b",
    re.I,
)


# A question about an eligibility rule that does not say which side it asks about: "which trials
# have a cut-off on INR?", "a threshold for bilirubin", "which trials care about a family history
# of liver cancer (as a criterion)?". Either side's lines say it.
_CRITERIA_Q = re.compile(
    r"\b(?:cut[\s-]?offs?|thresholds?|criteri(?:a|on)|eligibility\s+rules?|entry\s+rules?|wash[\s-]?outs?"
    r"|rules?(?!\s+(?:\w+\s+)?out\b))\b|\bscreen(?:s|ed|ing)?\s+(?:patients\s+|people\s+)?for\b",
    re.I,
)


# "which trial cares about X", "takes X into account", "mentions X": X in any role, a criterion of
# either side or what a trial studies.
_ANY_Q = re.compile(
    r"\b(?:cares?|caring)\s+about\b|\bmention(?:s|ed|ing)?\b|\btakes?\s+(?:\S+\s+){0,4}?into\s+account\b", re.I
)


# "which trial mentions that ...", "which record says that ...": a statement the record makes,
# wherever it makes it (its background too).
_STATED_Q = re.compile(r"\b(?:mention|say|state|note|report|claim|write)s?\s+that\b", re.I)


# Words that only say a question asks about a criterion ("as an entry criterion"): the role checks it.
_CRITERION_WORDS = re.compile(r"\b(?:entry|eligibility|enrol+ment)\s+criteri(?:a|on)\b", re.I)


_OUTCOME_Q = re.compile(
    r"\b(?:outcomes?|end[\s-]?points?|measur(?:e|es|ed|ing))\b|\bcompar(?:e|es|ed|ing)\b.{1,80}?\b(?:with|to|against)\b"
    r"|\b(?:versus|vs)\b",
    re.I,
)


@dataclass(frozen=True)
class Role:
    """A sentence's role: `polarity` INCLUDE / EXCLUDE for criteria (None elsewhere) and
    `kind`: INCLUDE, EXCLUDE, BACKGROUND, DESIGN or OTHER."""

    kind: str
    polarity: str | None = None
    negative_test: bool = False  # an inclusion line asking for a negative test: it excludes what it tests for

    @property
    def background(self) -> bool:
        return self.kind == BACKGROUND


def role(sentence: str, section: str, polarity: str | None = None) -> Role:
    """The role of ``sentence`` in section ``section`` (a canonical section name such as
    "eligibility_inclusion" or "summary"). ``polarity`` gives the criteria side for a
    sentence of a combined criteria block (see `polarity_at`)."""
    side = _CRITERIA_SECTIONS.get(section) or (polarity if section == "eligibility" else None)
    if section == "eligibility_summary" and _ABSENT.match(sentence.strip()):  # "No Healthy Volunteers"
        return Role(EXCLUDE, EXCLUDE)
    if side is not None:
        line = sentence[_BULLET.match(sentence).end() :]  # type: ignore[union-attr]
        if side == INCLUDE and _ABSENT.match(line):
            return Role(EXCLUDE, EXCLUDE)
        if side == INCLUDE and _NEGATIVE.search(line):
            return Role(EXCLUDE, EXCLUDE, negative_test=True)
        return Role(side, side)
    if section in _PROSE_SECTIONS:
        first = _GLUED.split(sentence, maxsplit=1)[0]  # "...regeneration.The purpose of this study": the first
        if (_BACKGROUND.search(first) or _defines(first)) and not _DESIGN.search(first):
            return Role(BACKGROUND)
        return Role(DESIGN, EXCLUDE) if _EXCLUDED.search(first) else Role(DESIGN)
    return Role(OTHER)


def defined_subject(sentence: str) -> str | None:
    """What a background sentence says in general ("Liver failure" of "Liver failure (LF) is a
    dramatic clinical syndrome with massive necrosis of liver cells"), or None."""
    m = _DEFINES.match(_GLUED.split(sentence, maxsplit=1)[0])
    return m.group("subject") if m and not _OWN_SUBJECT.search(m.group("subject")) else None


def _defines(sentence: str) -> bool:
    """Whether the sentence says what something is in general (`_DEFINES`), not what the trial does."""
    m = _DEFINES.match(sentence)
    return bool(m and not _OWN_SUBJECT.search(m.group("subject")))


def polarity_at(text: str, offset: int) -> str | None:
    """INCLUDE or EXCLUDE after the last "Inclusion criteria" / "Exclusion criteria" heading
    before ``offset`` in a combined criteria text; None before any."""
    found = None
    for m in _HEADING.finditer(text, 0, offset):
        word = (m.group(1) or m.group(2)).lower()
        found = INCLUDE if word.startswith("inclu") else EXCLUDE
    return found


# A verb of exclusion split around what it excludes: "keep pregnant women out", "turn HIV+ pts away".
_SPLIT_VERB = re.compile(
    r"\b(keep(?:s|ing)?|kept|turn(?:s|ed|ing)?|rul(?:e|es|ed|ing)|shut(?:s|ting)?|screen(?:s|ed)?|leaves?)\s+"
    r"((?:[\w+-]+\s+){1,3}?)(out|away|down)\b",
    re.I,
)


def strip_polarity(question: str) -> str:
    """The question without the words that say which side of the criteria it asks about
    ("exclude", "won't take", "enrol patients with", "who have no"): the sentence's role
    checks that."""
    text = _SPLIT_VERB.sub(r"\1 \3 \2", question)  # "keep pregnant women out": what is kept out stays
    text = _INCLUDE_Q.sub(" ", _EXCLUDE_Q.sub(" ", _REQUIRES_NONE.sub(" ", _CRITERION_WORDS.sub(" ", text))))
    text = _ANY_Q.sub(" ", text)
    return _absence_words(question).sub(" ", text) if _takes_only_without(question) else text


# "only take patients who have no encephalopathy": a trial that takes only those without X excludes X.
_ABSENCE_Q = re.compile(r"\b(?:(?:have|has|had|with)\s+no|free\s+of|(?:do|does|did)\s*n[o']t\s+have)\b", re.I)
# "only accept patients without encephalopathy": "without" says so only after "only" (a trial that
# "enrols patients without a donor liver" enrols them).
_ONLY = re.compile(r"\bonly\b", re.I)
_WITHOUT = re.compile(r"\b(?:without|(?:in\s+the\s+)?absence\s+of)\b", re.I)


# "which study requires the absence of serious bleeding?": requiring its absence excludes it.
_REQUIRES_NONE = re.compile(
    r"\b(?:requir\w*|need(?:s|ed|ing)?|must\s+(?:have|show)|demand\w*)\s+(?:the\s+|an?\s+)?(?:absence\s+of|no)\b", re.I
)


def strip_absence(question: str) -> str:
    """The question without "who have no" when it asks for trials that take only those
    without something (they exclude it), or without "requires the absence of", before other
    words are dropped."""
    question = _REQUIRES_NONE.sub(" ", question)
    return _absence_words(question).sub(" ", question) if _takes_only_without(question) else question


def _absence_words(question: str) -> re.Pattern[str]:
    return _WITHOUT if _ONLY.search(question) and not _ABSENCE_Q.search(question) else _ABSENCE_Q


def _takes_only_without(question: str) -> bool:
    m = _INCLUDE_Q.search(question)
    if m is None:
        return False
    only = _ONLY.search(question, 0, m.start() + 1) or _ONLY.search(question, m.end())
    absent = _ABSENCE_Q.search(question, m.end())
    if absent and _names_a_state(question, absent.end()):
        absent = None  # "only for people with no donor liver": a state the trial enrols
    return bool(absent or (only and _WITHOUT.search(question, m.end())))


def _names_a_state(question: str, at: int) -> bool:
    """Whether a term of the vocabulary that is itself a "no ..." state ("no donor liver",
    "no response to") starts at the "no" that ends at ``at``."""
    return any(m.start <= at - 2 < m.end and m.term.text.lower().startswith("no ") for m in vocabulary().find(question))


def question_polarity(question: str) -> str | None:
    """EXCLUDE for "which trials exclude X / won't take X", STATED for "which trial mentions
    that X" (what a record says, anywhere), INCLUDE for "which trials enrol / treat / are for
    patients with X", CRITERIA for "which trials have a cut-off on X" (a criterion of either
    side), ANY for "which trial cares about X", else None."""
    if _EXCLUDE_Q.search(question) or _takes_only_without(question) or _REQUIRES_NONE.search(question):
        return EXCLUDE
    if _STATED_Q.search(question):
        return STATED
    if _INCLUDE_Q.search(question) and not _includes_outcome(question):
        return INCLUDE
    if _CRITERIA_Q.search(question):
        return CRITERIA
    if _ANY_Q.search(question):
        return ANY
    return None


def _includes_outcome(question: str) -> bool:
    """ "Which studies include overall survival as an endpoint?": "include" of an outcome, not
    of patients (no other inclusion word)."""
    without = re.sub(r"\binclud\w*", " ", question, flags=re.I)
    return bool(_OUTCOME_Q.search(question)) and not _INCLUDE_Q.search(without)


def asks_negative_test(question: str) -> bool:
    """Whether a question asks for the negative test itself ("which trials require a negative
    pregnancy test?"): the inclusion line that asks for it then supports it as written."""
    return bool(re.search(r"\bnegative\b", question, re.I))


# What a trial gives and how: "which trials deliver the cells into the portal vein?", "intravenous
# route", "cells injected via the hepatic artery", "which trials do LT as the intervention". Neither
# an outcome ("portal vein width") nor a criterion says that.
_GIVING_Q = re.compile(
    r"\broutes?\b|\bvia\b|\b(?:deliver|inject|infus|administ)\w*\b"
    r"|\bas\s+(?:the\s+|an?\s+|their\s+|its\s+)?(?:intervention|therapy|treatment)\b"
    r"|\b(?:give[sn]?|giving|put[s]?|go(?:es)?|get[s]?)\s+(?:\w+\s+){0,3}?(?:into|through|thru|via|by)\b"
    r"|\b(?:cells?|they|it)\s+(?:go(?:es)?|get[s]?|are\s+put|went)\s+in\b"  # "the way the cells get in"
    r"|\b(?:use[sd]?|using)\s+(?:the\s+|an?\s+)?(?:\w+\s+)?(?:veins?|artery|arteries|nebuli[sz]ers?|inhalers?)\b",
    re.I,
)


def asks_giving(question: str) -> bool:
    """Whether a question asks what a trial gives and by which route (`_GIVING_Q`), and not
    what it measures (`asks_outcome`)."""
    return bool(_GIVING_Q.search(question)) and not asks_outcome(question)


def asks_outcome(question: str) -> bool:
    """Whether a question asks what trials measure or compare ("which trials have QoL as an
    endpoint?", "which studies compare MSCs with standard care?"): a criterion that names
    the thing is neither an outcome nor an arm."""
    return bool(_OUTCOME_Q.search(question))
