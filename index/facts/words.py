"""The words fact questions use around their facts: who a question says is of an age ("I'm 68",
"my son is 19"), what says every patient is below an age ("only patients younger than 70"), what
says a trial turns people away ("excludes anyone older than 60"), what only says a fact is planned
("aim to enrol") or restates it ("double-blind, so neither ... knows"), the names explicit filters
use, and the words that only name a fact or the asker (`frame_words`), which are not text to
search once the fact is read."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.facts.constraint import Constraint, ConstraintKey
from index.text.tokenize import tokenize

STATUS_WORDS = (
    r"not yet recruiting|active,? (?:but )?not recruiting|enrolling by invitation|recruiting|completed|terminated"
    r"|withdrawn|suspended|unknown status"
)
NUM = r"(\d{1,7}(?:,\d{3})*)"
MASK_LEVELS = {
    "double": frozenset({"Double", "Triple", "Quadruple"}),
    "triple": frozenset({"Triple", "Quadruple"}),
    "quadruple": frozenset({"Quadruple"}),
    "single": frozenset({"Single"}),
}
POP = r"(?:patients|participants|subjects|people|persons|volunteers|individuals|cases|enrolled|enrollees|pts)"

# The keys a constraint about the patient has: "exclude patients under 18" is a criterion to search instead.
PERSON_KEYS = frozenset({"age", "max_age", "min_age", "sex"})

# Words that make an age bound hold for every patient (the maximum age): "only patients
# younger than 70", "all participants are under 70", "an upper age limit below 70".
EVERYONE = (
    r"(?:(?:only|all)\s+(?:(?:take|takes|accept|accepts|enrol|enrols|enroll|enrolls|recruit|recruits|include|includes"
    r"|admit|admits|allow|allows)\s+)?(?:the\s+|of\s+the\s+|their\s+)?(?:" + POP[3:-1] + r"|adults|enrollees)"
    r"(?:\s+(?:are|were|be|is|who\s+are|aged))?"
    r"|(?:upper\s+age\s+(?:limit|bound)|maximum\s+age|age\s+limit|max(?:imum)?\s+age)(?:\s+(?:is|of))?)"
)
# Who a question says is of an age: "I'm 68", "my son is 19", "the patient is 72".
SOMEONE = (
    r"I'?m|I\s+am|(?:he|she)(?:'s|\s+is)|(?:(?:my|our|the|a|this|that)\s+(?:[\w']+\s+)?)?(?:son|daughter|child|kid|boy"
    r"|girl|mother|mum|mom|father|dad|husband|wife|partner|brother|sister|friend|grandmother|grandfather|grandma"
    r"|grandpa|uncle|aunt|patient|pt|man|woman|relative|member|client|caller|referral)\s+is(?:\s+(?:only|just|now))?"
    r"|(?:pt|patients?|person|someone|somebody|member|client|man|woman|referral)\s+who(?:'s|\s+is)"
    r"|(?:has|have|had|just|recently)\s+turned|(?:he|she|I)\s+turned|(?:he|she|I)(?:'ll|\s+will)\s+(?:be|turn)"
)
UNITS = (
    r"(?:months?|weeks?|days?|kg|kilos?|cm|mg|ml|points?|score|cells?|patients|people|%"
    r"|(?:years?|yrs?)\s+(?:post|after|since|from|out|of|into|ago|with|on))\b"
)
# Words that say a trial does not take someone ("turns away anyone older than 60").
TURN_AWAY = (
    r"(?:turns?|turning|turned)\s+away|says?\s+no\s+to|rules?\s+out|disqualif(?:y|ies|ied)|exclud(?:e|es|ed|ing)|reject(?:s|ed|ing)?|bar(?:s|red|ring)?|refus(?:e|es|ed|ing)"
    r"|(?:won'?t|will\s+not|does\s*n[o']t|do\s*n[o']t|can'?t|cannot|not)\s+(?:take|accept|enrol+|admit|allow|include)"
)
OLDER = r"older\s+than|over(?:\s+the\s+age\s+of)?|above(?:\s+the\s+age\s+of)?|aged\s+over|past"
BELOW = r"(?:younger\s+than|under(?:\s+the\s+age\s+of)?|below(?:\s+the\s+age\s+of)?|less\s+than|lower\s+than)"
AT_MOST = r"(?:at\s+most|no\s+older\s+than|not\s+older\s+than|up\s+to)"


# Words that make a number a trial's size without a population noun after it: "aim to recruit
# at least 50", "expect to include fewer than 30", "an enrolment target above 200".
ENROL = (
    r"(?:enrol(?:l|ls|s|led|ling)?|recruit(?:s|ed|ing)?|include|includes|included|including"
    r"|(?:enrol(?:l)?ment|enrol|recruitment|sample sizes?)(?:\s+(?:target|goal|size))?(?:\s+(?:of|is|was|are))?)"
)
# Words around a fact that say only that it is planned ("plan to enrol more than 100
# patients", "aim to recruit at least 50", "expect to include fewer than 30"): claimed with
# the question's constraints so that they are not searched as text.
AROUND_FACT = re.compile(
    r"\b(?:(?:plan|aim|expect|intend|hope|seek|want|try|mean)(?:s|ed|ing)?|(?:are|is|were|was)\s+going)\s+to\b"
    r"|\b(?:not\s+)?too\s+(?:old|young)\b",  # "which trials is she not too old for?": her age is the fact
    re.I,
)
# A clause right after a fact that says what the fact means ("double-blinded, so neither the
# doctors nor the patients know who got what"; "randomised, i.e. by chance"): the fact again.
_EXPLAINING = r"so(?:\s+that)?|i\.?\s?e\.?|that\s+is|meaning|namely|in\s+other\s+words"
EXPLAINED = re.compile(
    r"(?:\s+(?:trials?|stud(?:y|ies)|designs?|protocols?)\b)?\s*[,;:(–-]?\s*(?:" + _EXPLAINING + r")\s+[^,;:.?!()]*\)?",
    re.I,
)
# The same after a condition, where a clause may also say what the condition is ("decompensated
# cirrhosis, where the liver's not coping and you get complications").
CONDITION_EXPLAINED = re.compile(
    r"\s*[,;:(–-]?\s*(?:" + _EXPLAINING + r"|where|when|in\s+which|which\s+(?:is|means))\s+[^,;:.?!()]*\)?"
    # "her liver is failing and has stopped doing its job": the failing again
    r"|\s+and\s+(?:has\s+|have\s+|is\s+)?(?:stopped|ceased|quit)\s+(?:doing\s+its\s+job|working|functioning)\b",
    re.I,
)
# The words an explicit filter ("status:recruiting", "gender:female") names each key by.
FILTER_KEYS: dict[str, ConstraintKey] = {
    "status": "status",
    "phase": "phase",
    "age": "age",
    "max_age": "max_age",
    "min_age": "min_age",
    "enrollment": "enrollment",
    "enrolment": "enrollment",
    "sex": "sex",
    "gender": "sex",
    "masking": "masking",
    "allocation": "allocation",
    "country": "country",
    "city": "city",
    "type": "study_type",
    "route": "route",
    "source": "source",
    "placebo": "placebo",
    "condition": "condition",
    "model": "model",
    "follow_up": "follow_up",
    "followup": "follow_up",
    "doses": "dose_count",
}


# Words before a score that make it one a trial measures, not the patient's ("measure the Child-Pugh score 7").
MEASURED = re.compile(r"\b(?:measur|assess|evaluat|monitor|track|outcome|end-?point|improv|chang|reduc)\w*", re.I)
MORE_LESS = (
    r"(?:more than|over|greater than|above|exceeding|exceeds|in excess of|upwards of|larger than|bigger than|at least"
    r"|no fewer than|fewer than|less than|under|below|at most|no more than)"
)
NOT_A_COUNT = r"(?!\s*(?:%|percent|years?|yrs?|months?|weeks?|days?|mg|ml|kg|cells?))"
# A trial with one arm: "single-arm", "only one group" (rewritten "single group"), "nothing / nobody to compare
# them against".
SINGLE_GROUP = (
    r"\bsingle[\s-]+(?:group|grp|arm|cohort)s?\b|\bone[\s-]+(?:group|arm|cohort)\b|\bsingle[\s-]+arm(?:ed)?\b"
    r"|\b(?:with\s+)?(?:no\s+(?:other\s+)?(?:group|arm))\s+to\s+compare\s+(?:\w+\s+)?(?:against|with|to)\b"
    # "no comparison group at all": no other group to compare with (two treated arms compare)
    r"|\b(?:no|without(?:\s+an?)?|lacks?(?:\s+an?)?|lacking(?:\s+an?)?)\s+comparison[\s-]+(?:arms?|groups?)\b"
)
# No control arm at all (a single group, or arms that are all experimental): "no control group",
# "lacks a concurrent control", "no cell-free control arm", "uncontrolled", "no comparator/control arm",
# "nothing to compare against".
NO_CONTROL = (
    r"(?:"
    r"\b(?:no|without(?:\s+(?:an?|any))?|lacks?(?:\s+(?:an?|any))?|lacking(?:\s+(?:an?|any))?)\s+(?:[a-z]+(?:-[a-z]+)?\s+)?"
    r"(?:(?:control|comparator)(?:\s*/\s*(?:control|comparison|comparator))?[\s-]+(?:arms?|groups?)"
    r"|comparators?|controls?)\b"
    r"|\buncontrolled\b|\b(?:with\s+)?(?:nothing|nobody|no[\s-]+one)\s+to\s+compare\s+(?:\w+\s+)?(?:against|with|to)\b"
    # "in which studies does every arm deliver a cell therapy?": no arm without the cells
    r"|\b(?:every|each|all(?:\s+the)?)\s+(?:arms?|groups?)\s+(?:\w+\s+){0,2}?(?:gets?|receives?|delivers?|gives?|uses?"
    r"|includes?|is\s+given|are\s+given)\s+(?:a\s+|an\s+|the\s+|some\s+)?(?:[\w-]+\s+)?(?:cell[\s-]+therap\w*|cells?|MSCs?)\b"
    # "(no standard-care, placebo or untreated arm)" after it: the same, spelt out
    r")(?:\s*\((?:no|not|neither|i\.?\s?e\.?|e\.?\s?g\.?)\b[^()]*\))?"
)
# Masking in lay words: who is kept from knowing which treatment a patient gets. The parties, and
# what they know or not ("about who got the real thing", "exactly who is getting the cells"): the
# masking again, not text to search.
_PARTY = (
    r"(?:(?:(?:the|my|his|her|your|our|their)\s+)?(?:patients?|pts?|participants?|subjects?|volunteers?|people|doctors?"
    r"|investigators?|researchers?|clinicians?|physicians?|nurses?|staff|(?:outcome\s+)?assessors?|(?:care\s+)?providers?"
    r"|(?:study\s+)?team)|\b(?:me|i|you|him|he|her|she|us|we)(?=\s+(?:nor|and|or)\b))"  # "neither me nor the doctor"
)
_PARTIES = _PARTY + r"\s*,?\s+(?:and|&)\s+" + _PARTY
_WHO_GETS = r"(?:\s+(?:about|as\s+to|of|on|over)?\s*(?:exactly\s+)?(?:who|which|what|whether)\b[^,;:.?!()]*)?"
_KNOW = r"(?:knows|knew|know|are\s+told|is\s+told|are\s+aware|is\s+aware|can\s+tell)"
# "both the patients and the doctors (are) kept in the dark / blinded / unaware (about who ...)",
# "neither the patients nor the doctors know (who got what)", "he would not know which ..., and
# neither would his doctors": double-blind.
BOTH_UNAWARE = (
    r"\b(?:both\s+)?" + _PARTIES + r"\s+(?:are\s+|were\s+|is\s+|get\s+|being\s+|remain\s+|stay\s+)?(?:both\s+|all\s+)?"
    r"(?:kept\s+)?(?:in\s+the\s+dark|blind(?:ed|folded)?|masked|unaware|not\s+told|(?:do|does)\s*n(?:o|['’])t\s+know)"
    + _WHO_GETS
    + r"|\b(?:mask|blind)(?:s|ed|ing)?\s+(?:both\s+)?"  # "masks both participants and investigators"
    + _PARTIES
    + r"|\bneither\s+"
    + _PARTY
    + r"\s+nor\s+"
    + _PARTY
    + r"\s+"
    + _KNOW
    + _WHO_GETS
    # "my husband would not know whether he'd had the real cells, and neither would his doctors"
    + r"|\bn(?:o|['’])t\s+know\s+(?:whether|if|which|what|who)\b[^;.?!]*?,?\s+(?:and\s+)?neither\s+"
    r"(?:would|will|do|does|did|can|could|should)\s+(?:(?:his|her|their|my|your|our)\s+)?" + _PARTY
)
# "everybody, patients and doctors, knows exactly who is getting the cells", "both the patients and
# the doctors know which treatment": open label (what is known must follow: who, which, what).
_ALIKE = r"(?:\s+(?:both|all|alike))?"
ALL_KNOW = (
    r"(?<!\bnot\s)\b(?:(?:every(?:body|one)|all(?:\s+parties)?)(?:\s*,\s*"
    + _PARTIES
    + _ALIKE
    + r"\s*,?)?|(?:both\s+)?"
    + _PARTIES
    + _ALIKE
    + r")\s+(?:(?:do|does|will|would|can)\s+)?"
    + _KNOW
    + r"\s+(?:exactly\s+|precisely\s+|openly\s+|fully\s+)?(?:who|which|what)\b[^,;:.?!()]*"
)
# A placebo as questions name it, misspelt too ("plcebo", "pacebo").
PLACEBO = (
    r"(?:p(?:la|al|l|a)c[ie]bos?|placbos?|sham(?:\s+(?:procedure|infusion|injection))?"
    r"|dummy(?:\s+(?:infusions?|treatments?|injections?|pills?|drugs?|arm))?"
    r"|(?:sugar|fake)['\"’]?\s+(?:pills?|treatments?|drugs?|medicines?|infusions?|injections?))"
)
# A placebo asked for, or its absence ("no placebo", "without any sham", "lacking a placebo arm").
PLACEBO_Q = (
    r"\b(?:(no|without(?:\s+(?:a|any))?|not|non|lack(?:s|ing)?(?:\s+(?:a|any))?"
    # "do NOT use a placebo", "nobody gets a fake treatment"
    r"|(?:do(?:es)?\s*n[o']t|don'?t|doesn'?t|never)\s+(?:use|have|include|give|involve|offer|feature)\s+(?:a|an|any)"
    r"|(?:nobody|no[\s-]one|none\s+of\s+them)\s+(?:gets?|receives?|is\s+given)\s+(?:a|an|any))[\s-]+)?"
    + PLACEBO
    + r"(?:[\s-]+(?:controlled|arm|group))?\b"
)
# Words that only name the fact a constraint is on, or the person a question asks for ("which
# trial's age range covers my son?"): once the constraint is read, they are not text to search.
_KEY_WORDS: dict[ConstraintKey, str] = {
    "age": "age ages aged old year years range ranges limit limits bound bounds cover covers covering eligible "
    "eligibility adult adults from",
    "max_age": "age ages aged old year years upper maximum max limit limits cap range cover covers",
    "min_age": "age ages aged old year years lower minimum min limit limits floor least join youngest",
    # "masks both participants and investigators to treatment allocation": who is masked, and to what
    "masking": "blind blinded blinding masked masking mask masks party parties design participant participants "
    "investigator investigators assessor assessors provider providers allocation assignment treatment both "
    # "would we know for sure if he got the real cells or not, open label": who knows what was given
    "know knows knew known sure real actual fake whether got gets get getting cells cell",
    "control": "control controls controlled concurrent comparator comparators comparison arm arms group groups "
    "design designs",
    "model": "assignment design model arm arms group groups",
    "allocation": "randomised randomized randomisation randomization allocation allocated design",
    "phase": "phase phases stage stages combined early clinical development designation designated labelled labeled "
    "listed registered",
    "enrollment": "enrolment enrollment size small smaller large larger big bigger pilot pilots",  # "small pilots"
    # "a dummy infusion with no cells in it": what a placebo is not
    "placebo": "controlled control no cell cells infusion infusions injection injections inactive",
    "child_pugh": "score scores point points class grade",
    "follow_up": "follow followed follows following up duration period length long longer lasting last lasts time term",
    "dose_count": "dose doses dosing infusion infusions injection injections administration administrations shot "
    "shots time times regimen schedule repeat repeated once twice give gives given cells cell",
    "country": "country countries nation live lives living reside resides based there near nearby close travel",
    # "w": "w/ cirrhosis"
    "condition": "condition conditions diagnosis diagnoses indication indications list lists listed w",
}
_PERSON_WORDS = (
    "son daughter child kid boy girl mother mum mom father dad husband wife partner brother sister friend family "
    "grandmother grandfather grandma grandpa uncle aunt man woman relative pt pts everyone everybody "
    "protocol protocols please pls plz thanks one scared afraid worried nervous frightened "
    "per according table tables record records registry entry field fields"  # "per the design table"
)


def frame_words(cs: Sequence[Constraint]) -> frozenset[str]:
    """Tokens a fact question's leftover text has only because of its constraints (`_KEY_WORDS`)
    or its asker (a person, "please"): not searched for once constraints are read."""
    if not cs:
        return frozenset()
    return frozenset(tokenize(" ".join([_PERSON_WORDS, *(_KEY_WORDS.get(c.key, "") for c in cs)])))


# A control arm: "control group", "comparator", "a group that doesn't get any stem cells at all",
# "an arm without cells".
CONTROL_ARM = (
    r"\b(?:control|comparator|comparison)[\s-]+(?:arms?|groups?|cohorts?)\b|\bcomparators?\b|\bcontrols\b"
    r"|\b(?:groups?|arms?|cohorts?)\s+(?:(?:that|which|who)\s+(?:does\s*n[o']t|do\s*n[o']t|won'?t|will\s+not|never)\s+"
    r"(?:gets?|receives?)\s+(?:any\s+)?|without\s+(?:any\s+)?|with\s+no\s+)(?:of\s+the\s+)?(?:stem[\s-]+)?"
    r"(?:cells?|MSCs?)(?:\s+at\s+all)?\b"
    r"|\b(?:against|versus|vs\.?)\s+(?:[\w-]+\s+){1,4}?(?:only|alone)\b"  # "cells plus X against X only": an arm of X
)
