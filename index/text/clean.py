"""Cleaning text a person typed or pasted before it is searched, stored or shown: control
characters, invisible format characters and lone surrogates. One module for every front end."""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 (but tab and newline), DEL, C1
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone halves: undecodable input, unencodable output
# Invisible format characters pasted from web pages and PDFs (soft hyphen, zero-width space and
# joiners, bidirectional marks and overrides, BOM): they would split or hide words.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A question word or a negated verb typed without its apostrophe ("whats the comparator arm",
# "doesnt take"): no other English word is written so.
_NO_APOSTROPHE = re.compile(
    r"\b(what|where|who|how|when|there|that)s\b"
    r"|\b(do|does|did|is|are|was|were|has|have|had|ca|wo|would|should|could)nt\b"
    r"|\b(you|they)(ve|re|ll|d)\b"  # "if youve got liver cancer"
    r"|\b(i)(ve|m)\b",  # "ive got", "im 68"
    re.I,
)

# "more then 100 patients", "older then 65", "other then UDCA": after a comparative, "then" is
# the "than" a writer typed by sound; no question means the time word there.
_THEN = re.compile(
    r"\b(more|less|fewer|greater|older|younger|bigger|larger|longer|shorter|higher|lower|rather|other)"
    r"\s+then\b",
    re.I,
)


def clean_question(question: str) -> tuple[str, str | None]:
    """(usable text, message when the question cannot be answered as given)."""
    if not isinstance(question, str):
        return "", "A question must be text."
    q = _CONTROL.sub(" ", _INVISIBLE.sub("", without_surrogates(question))).strip()
    if not q:
        return "", 'Ask a question about the trials, e.g. "which trials use the hepatic artery?"'
    if len(q) > MAX_QUESTION_CHARS:
        return "", (
            f"That question is {len(q):,} characters long; ask in under {MAX_QUESTION_CHARS:,} "
            'characters, e.g. "which trials exclude HIV?"'
        )
    return q, None


def with_apostrophes(question: str) -> str:
    """The question with the apostrophes of its contractions restored (`_NO_APOSTROPHE`):
    "whats" is "what's", a question word, not a term to search for."""
    return _NO_APOSTROPHE.sub(_apostrophe, question)


def _apostrophe(m: re.Match[str]) -> str:
    if m.group(1):
        return f"{m.group(1)}'s"
    if m.group(2):
        return f"{m.group(2)}n't"
    if m.group(3):
        return f"{m.group(3)}'{m.group(4)}"
    return f"{m.group(5)}'{m.group(6)}"


# Words that only stress what follows ("whose liver is actually failing", "has basically
# stopped"): without them a term of the vocabulary reads whole.
# Spoken hesitations ("um", "uh", "erm", "hmm") anywhere, and "okay"/"ok"/"like" heading a
# dictated question ("okay so which trials ...", "so like is there ...") say nothing either.
_FILLER = re.compile(
    r"\b(?:actually|basically|really|truly|literally|u+m+|u+h+|erm+|h+m+)\b[,.]?\s+(?=[a-z])"
    r"|^(?:(?:okay|ok|so|like|well)\b[,.]?\s+)+(?=[a-z])"
    # "like" hedging a number ("tiny, like under 50 people"); a count "in total", "all told"
    r"|\blike\s+(?=(?:under|over|about|around|less|more|fewer|\d))|\s+(?:in\s+total|all\s+told)\b",
    re.I,
)


def without_fillers(question: str) -> str:
    """The question without the words that only stress what follows (`_FILLER`)."""
    return _FILLER.sub("", question)


def with_than(question: str) -> str:
    """The question with the "then" typed for "than" after a comparative made "than" (`_THEN`):
    "trials with more then 100 patients" asks for more than 100."""
    return _THEN.sub(lambda m: f"{m.group(1)} than", question)


_DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4"}
_DIGIT_WORDS |= {"five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_SPOKEN_DIGIT = r"(?:zero|one|oh|o|two|three|four|five|six|seven|eight|nine|\d)"
# An NCT number read out or typed in pieces: "NCT zero one seven two four six nine seven",
# "N C T 0 1 7 2 4 6 9 7", "nct 0172 4697".
_SPOKEN_ID = re.compile(
    r"\bN\.?\s?C\.?\s?T\.?(?P<digits>(?:[\s-]*" + _SPOKEN_DIGIT + r"\b){8}|(?:[\s-]*\d{2,}\b){2,4})",
    re.I,
)


def with_spoken_ids(question: str) -> str:
    """The question with an NCT number read out or split by spaces written as one ID
    (`_SPOKEN_ID`); an ID already written whole is left as it is."""

    def whole(m: re.Match[str]) -> str:
        pieces = re.findall(r"\b" + _SPOKEN_DIGIT + r"\b|\d", m.group("digits"), re.I)
        digits = "".join(_DIGIT_WORDS.get(p.lower(), p) for p in pieces)
        return f"NCT{digits}" if len(digits) == 8 else m.group(0)

    return _SPOKEN_ID.sub(whole, question)


# Capitals read out one by one ("the I N R cutoff", "H C C"): three or more single capitals.
_SPELT = re.compile(r"(?<![\w-])[A-Z](?:\s[A-Z]){2,5}(?![\w-])")


def with_spelt_abbreviations(question: str) -> str:
    """The question with an abbreviation dictated letter by letter written whole (`_SPELT`):
    "the I N R cutoff" asks for the INR cutoff."""
    return _SPELT.sub(lambda m: m.group(0).replace(" ", ""), question)


# Words typed as they sound in a text message ("wat trials r still taking ppl", "b4 joining"):
# what they stand for. Short forms only as whole words.
_TEXT_SPEAK = {
    "wat": "what", "wot": "what", "wut": "what", "u": "you", "r": "are", "ur": "your", "pls": "please",
    "plz": "please", "ppl": "people", "b4": "before", "smth": "something", "bc": "because", "cuz": "because",
    "coz": "because", "thru": "through", "abt": "about", "wanna": "want to", "gonna": "going to", "w/": "with",
    "w/o": "without", "yrs": "years",
}  # fmt: skip
_SPOKEN = re.compile(
    r"(?<![\w/])(?:" + "|".join(re.escape(w) for w in sorted(_TEXT_SPEAK, key=len, reverse=True)) + r")(?![\w/])", re.I
)


def with_words_spelt_out(question: str) -> str:
    """The question with text-message spellings written out (`_TEXT_SPEAK`): "wat trials r
    still taking ppl" asks what trials are still taking people."""

    def out(m: re.Match[str]) -> str:  # one letter only in small letters: "the R arm" is an arm
        word = m.group(0)
        return word if len(word) == 1 and not word.islower() else _TEXT_SPEAK[word.lower()]

    return _SPOKEN.sub(out, question)


def as_typed(question: str) -> str:
    """The question as its writer meant to type it: an NCT number read out and letters read one
    by one written whole, contractions with their apostrophes, "then" after a comparative as
    "than", text-message words spelt out, and no fillers ("whats", "um", "NCT zero one ...", "the I N R
    cutoff", "wat r")."""
    spelt = with_words_spelt_out(with_spelt_abbreviations(with_spoken_ids(question)))
    return without_fillers(with_than(with_apostrophes(spelt)))


def without_surrogates(text: str) -> str:
    """`text` with lone surrogates (bytes that were not UTF-8, kept by `surrogateescape`)
    replaced by U+FFFD, so it can be tokenized, encoded and printed."""
    return _SURROGATE.sub("\ufffd", text)
