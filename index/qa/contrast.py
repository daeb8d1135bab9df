"""What a question sets its need against, taken out before its terms are read (`uncontrasted`):
"own cells rather than donor ones", "BM cells NOT cord blood", "liver failure not cirrhosis";
and a slash between two words read as "or" ("stomach/gullet")."""

from __future__ import annotations

import re

from index.qa.wording import plain_wording

# What may follow a "not" that sets the need against something: not a verb or a word about the
# patients ("not eligible", "not using", "not yet"), which make "not" part of the need.
_NOT_NEED = (
    r"(?!(?:\w+(?:ing|ed)|eligible|suitable|able|candidates?|fit|allowed|willing|on|yet|so|too|very|more"
    r"|less|only|just|necessarily|always|all|every|both|either|even|applicable|available|stated|known|accept|accepts"
    r"|allow|allows|take|takes|include|includes|enrol|enrols|enroll|enrolls|admit|admits|use|uses|give|gives|require"
    r"|requires|need|needs|want|wants|exclude|excludes|permit|permits|recruit|recruits|treat|treats|have|has)\b)"
)
# "own cells rather than donor ones", "(not the patient's own marrow)", ", not just a single shot",
# a search box's "BM cell therapy NOT umbilical cord" (the operator in capitals, after words):
# what a question sets its need against is not part of the need.
_CONTRAST = re.compile(
    r"\b(?:rather\s+than|instead\s+of|as\s+opposed\s+to|in\s+place\s+of)\b[^,.;:?!()]*"
    r"|(?<=\w)\s+(?:(?-i:AND)\s+)?(?-i:NOT)\s+" + _NOT_NEED + r"[^,.;:?!()]*"
    r"|\(\s*(?:but\s+)?not\b[^)]*\)?"
    r"|[,;–—]\s*(?:but\s+|and\s+)?not\s+(?:just|only|merely|simply|the|a|an|ones?|those)\b[^,.;:?!()]*"
    # "donor cells, not autologous", "from another person and not from the patient"
    r"|[,;–—]\s*(?:but\s+|and\s+)?not\s+" + _NOT_NEED + r"[^,.;:?!()]*"
    r"|\s(?:and|but)\s+not\s+(?:from|by|through|via|into|straight|directly|right)\b[^,.;:?!()]*"
    # "an infusion into an ordinary vein, nothing into the liver itself"
    r"|[,;–—]\s*(?:and\s+|but\s+)?nothing\s+(?:into|in|to|through|via|directly|straight)\b[^,.;:?!()]*"
    r"|\b(?:now|anymore)\s+not\s+(?:just|only|merely|simply)\b[^,.;:?!()]*"  # "failing now not just cirrhosis"
    # "a plain IV infusion, with no catheter work needed", "without angiography or portal access"
    r"|[,;–—]\s*(?:with\s+no|without(?:\s+any)?|no|not\s+needing)\s+[^,.;:?!()]*?\b(?:needed|required|necessary|involved)\b"
    r"|\b(?:without|no\s+need\s+for)\s+(?:any\s+)?(?:angiograph\w*|catheter\w*|surgery|an?\s+operation|anaesthe\w*|anesthe\w*)"
    r"(?:\s+or\s+[^,.;:?!()]*)?",
    re.I,
)
# "stomach/gullet", "fibrosis/inflammation score": either word (not "cells/kg", a unit).
SLASH_OR = re.compile(
    r"\b([A-Za-z][A-Za-z-]{2,}|[A-Z]{2})\s*/\s*(?!(?:kg|dose|doses|day|days|week|weeks|month|m2|ml|l)\b)"
    r"([A-Za-z][A-Za-z-]{2,}|[A-Z]{2})\b"  # "INR/PT": two capitals are an abbreviation
)


# "liver failure not cirrhosis", "own stem cells not from someone else", "donor cells not his own":
# a "not" right after the need (not after a verb: "do not use", "are not eligible") sets it against
# what follows, unless what follows describes the patients ("patients not responding to ...").
_NOT_AFTER_NEED = re.compile(
    r"\b((?!(?:do|does|did|is|are|was|were|am|be|been|being|can|could|will|would|shall|should|may|might|must"
    r"|has|have|had|need|needs|why|or|and|if|whether|but|who|that|which|of|to|get|gets|got|cannot|as|it|they|this"
    r"|these|those|one|ones|trials?|studies|study|protocols?)\b)[A-Za-z']+)"
    r"\s+not\s+" + _NOT_NEED + r"[^,.;:?!()]*",
    re.I,
)


def uncontrasted(question: str) -> str:
    """The question without what it sets its need against (`_CONTRAST`, `_NOT_AFTER_NEED`),
    with a slash between two words read as "or" and its casual wording made plain
    (`plain_wording`: "can't" as "cannot", no lone "t" to search for; no "e.g.", no "I think the
    doctors call it")."""
    text = _CONTRAST.sub(" ", SLASH_OR.sub(r"\1 or \2", plain_wording(question)))
    return _NOT_AFTER_NEED.sub(r"\1 ", text)
