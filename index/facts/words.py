"""The words fact questions use around their facts: who a question says is of an age ("I'm 68",
"my son is 19"), what says every patient is below an age ("only patients younger than 70"), what
says a trial turns people away ("excludes anyone older than 60"), and the words that only name a
fact or the asker (`frame_words`), which are not text to search once the fact is read."""

from __future__ import annotations

from collections.abc import Sequence

from index.facts.constraint import Constraint, ConstraintKey
from index.text.tokenize import tokenize

POP = r"(?:patients|participants|subjects|people|persons|volunteers|individuals|cases|enrolled|enrollees)"

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
    r"I'?m|I\s+am|(?:he|she)(?:'s|\s+is)|(?:my|our|the|a)\s+(?:\w+\s+)?(?:son|daughter|child|kid|boy|girl|mother|mum"
    r"|mom|father|dad|husband|wife|partner|brother|sister|friend|grandmother|grandfather|grandma|grandpa|uncle|aunt"
    r"|patient|pt|man|woman|relative)\s+is"
)
UNITS = r"(?:months?|weeks?|days?|kg|kilos?|cm|mg|ml|points?|score|cells?|patients|people|%)\b"
# Words that say a trial does not take someone ("turns away anyone older than 60").
TURN_AWAY = (
    r"(?:turns?|turning|turned)\s+away|says?\s+no\s+to|rules?\s+out|disqualif(?:y|ies|ied)|exclud(?:e|es|ed|ing)|reject(?:s|ed|ing)?|bar(?:s|red|ring)?|refus(?:e|es|ed|ing)"
    r"|(?:won'?t|will\s+not|does\s*n[o']t|do\s*n[o']t|can'?t|cannot|not)\s+(?:take|accept|enrol+|admit|allow|include)"
)
OLDER = r"older\s+than|over(?:\s+the\s+age\s+of)?|above(?:\s+the\s+age\s+of)?|aged\s+over|past"
BELOW = r"(?:younger\s+than|under(?:\s+the\s+age\s+of)?|below(?:\s+the\s+age\s+of)?|less\s+than|lower\s+than)"
AT_MOST = r"(?:at\s+most|no\s+older\s+than|not\s+older\s+than|up\s+to)"


# Words that only name the fact a constraint is on, or the person a question asks for ("which
# trial's age range covers my son?"): once the constraint is read, they are not text to search.
_KEY_WORDS: dict[ConstraintKey, str] = {
    "age": "age ages aged old year years range ranges limit limits bound bounds cover covers covering eligible "
    "eligibility",
    "max_age": "age ages aged old year years upper maximum max limit limits cap range cover covers",
    "masking": "blind blinded blinding masked masking mask",
    "allocation": "randomised randomized randomisation randomization allocation allocated design",
    "phase": "phase phases",
    "enrollment": "enrolment enrollment size",
    "placebo": "controlled control",
}
_PERSON_WORDS = (
    "son daughter child kid boy girl mother mum mom father dad husband wife partner brother sister friend "
    "grandmother grandfather grandma grandpa uncle aunt man woman relative pt pts please pls plz thanks one"
)


def frame_words(cs: Sequence[Constraint]) -> frozenset[str]:
    """Tokens a fact question's leftover text has only because of its constraints (`_KEY_WORDS`)
    or its asker (a person, "please"): not searched for once constraints are read."""
    if not cs:
        return frozenset()
    return frozenset(tokenize(" ".join([_PERSON_WORDS, *(_KEY_WORDS.get(c.key, "") for c in cs)])))
