"""Questions that name alternatives: "which trials exclude alcohol-related cirrhosis or
alcohol misuse?" is supported by a trial that excludes either. The question is read once per
alternative, with the words around them: the same frame, one conjunct each.

An aside is read the same way (`asides`): "which trials won't take HE (incl. 'no HE' as an
entry criterion)?" asks what it asks without the aside too, and "a cut-off on clotting tests,
such as INR or PT" is supported by a trial with a cut-off on one of the examples."""

from __future__ import annotations

import re

from index.qa.contrast import SLASH_OR, uncontrasted
from index.qa.question import search_terms
from index.text.tokenize import ENGLISH_STOPWORDS
from index.text.vocabulary import vocabulary

_OR = re.compile(r"\s+or\s+", re.I)
_CLAUSE_END = re.compile(r"[,;:?!()]|\s[-–—]\s|\s+(?:and|who|which|that|but)\s+", re.I)
_WORD = re.compile(r"\S+")
# A phrase after the second conjunct that both conjuncts share ("X or Y cutoffs in the criteria").
_SHARED = re.compile(r"(?<=\S)\s+(?:in|as|among|across|at|during)\s+", re.I)
# Verbs a question frames its conjuncts with ("exclude X or Y"): a conjunct stops before them.
_VERB_WORDS = (
    "exclude excludes excluding exclusion include includes including inclusion enrol enroll enrols enrolls enrolling "
    "recruit recruits recruiting accept accepts accepting allow allows admit admits take takes treat treats treating "
    "study studies studying test tests testing measure measures measuring assess assesses compare compares "
    "require requires requiring need needs want wants ban bans bar bars "
    "rule turn shut keep excluded included required accepted allowed enrolled recruited measured tested treated "
    "studied banned barred needed wanted screen screens reject rejects "
    "away out"  # the particle of a phrasal verb: "turn away X or Y", "rule out X or Y"
)
_VERBS = frozenset(_VERB_WORDS.split())


def alternatives(question: str) -> list[str]:
    """The question once per alternative when it joins two with "or" (at most one "or"
    read; [] when it has none or its sides cannot be told apart), or two words with a slash
    (each in the other's place)."""
    slash = SLASH_OR.search(question)
    if slash:  # "mesenchymal stromal/stem cell studies": one word or the other, in the same phrase
        a, b = slash.group(1), slash.group(2)
        return [uncontrasted(f"{question[: slash.start()]}{w}{question[slash.end() :]}") for w in (a, b)]
    question = uncontrasted(question)
    m = _OR.search(question)
    if m is None or "either" in question[: m.start()].lower().split():
        return []
    left, right = question[: m.start()], question[m.end() :]
    end = _CLAUSE_END.search(right)
    cut = end.start() if end else len(right)
    verb = next((w.start() for w in _WORD.finditer(right[:cut]) if w.group(0).lower() in _VERBS), None)
    cut = verb if verb else cut
    shared = _SHARED.search(right[:cut])  # "INR or PT cutoffs in the exclusion criteria": "in ..." is both's
    cut = shared.start() if shared else cut
    y_text, tail = right[:cut].rstrip(), right[cut:]
    tail = tail if tail[:1] in ("", "?", ",", ";", ":", "!", ")", "(") else " " + tail.lstrip()
    y_words = _WORD.findall(y_text)
    left_words = [(w.start(), w.group(0)) for w in _WORD.finditer(left)]
    run = 0
    for _, w in reversed(left_words):
        bare = w.lower().strip(".,;:'\"")
        if bare in ENGLISH_STOPWORDS or bare in _VERBS or bare in vocabulary().frames:
            break
        run += 1
    if not y_words or not run:
        return []
    x_start = left_words[-run][0]
    frame = left[:x_start]
    return [f"{left}{tail}", f"{frame}{y_text}{tail}"]


# An aside in brackets, or examples a question gives of what it asks ("..., like INR or PT",
# "(e.g. HCV)", "including alcohol misuse"), up to the end of the clause.
_BRACKETS = re.compile(r"\s*\(([^()]*)\)")
_MARKER = r"\b(?:like|such\s+as|e\.\s?g\.?|eg|for\s+example|for\s+instance|including|incl\.?)\s+"
_EXAMPLES = re.compile(rf",?\s*{_MARKER}(?P<examples>[^,;:?!()]+?)\s*(?=[,;:?!()]|\s[-–—]\s|$)", re.I)
_BRACKETED_EXAMPLES = re.compile(rf"^\s*{_MARKER}(?P<examples>.+)$", re.I)
_QUOTES = " '\"‘’“”"
_EG = re.compile(r"\be\.\s?g\b\.?,?\s*", re.I)
# What the question says again in other words after "i.e." ("intra-arterially, i.e. an IR/angio
# type approach"): the question means the same without it.
_RESTATED = re.compile(r",?\s*\bi\.\s?e\b\.?,?\s*[^,;:?!()]*", re.I)
_EXAMPLE_SEP = re.compile(r"\s*(?:,|/|\bor\b|\band\b)\s*", re.I)


def asides(question: str) -> list[str]:
    """The question without its asides in brackets (of two words or more: "(IA)" names a
    term), and the question's frame with each example it gives in place of the thing it
    exemplifies (not the thing alone: "blood disorders like leukaemia" is no question about
    any blood disorder), and the question without what it says again after "i.e."; [] when it
    has none of them."""
    restated = " ".join(_RESTATED.sub("", question).split())
    out: list[str] = [restated] if restated != " ".join(question.split()) else []
    question = uncontrasted(_EG.sub("for example ", question))  # uncontrasted drops "e.g."
    bare = _BRACKETS.sub(lambda m: m.group(0) if len(_WORD.findall(m.group(1))) < 2 else "", question)
    for b in _BRACKETS.finditer(question):  # "HCV (e.g. genotype 1)"
        ex = _BRACKETED_EXAMPLES.match(b.group(1))
        if ex is not None:
            out += _examples(question[: b.start()], ex.group("examples"), _BRACKETS.sub("", question[b.end() :]))
    m = _EXAMPLES.search(bare)
    if m is not None:
        out += _examples(bare[: m.start()], m.group("examples"), bare[m.end() :])
    bare = " ".join(bare.split())
    if bare != " ".join(question.split()) and _WORD.search(bare):
        out.insert(0, bare)
    out += [alt for alt in (_expanded(question), unattributed(question), without_context(question)) if alt]
    return list(dict.fromkeys(out))


# An abbreviation the question spells out in brackets: "DC (decompensated cirrhosis) trials?".
_SPELLED_OUT = re.compile(r"\b(?P<abbr>[A-Za-z]{2,6})\s*\((?P<long>[^()]+)\)")
# Whose word the question passes on: "... cirrhosis per the hepatologist", "according to the design table".
_ATTRIBUTION = re.compile(
    r"\s*,?\s*\b(?:as\s+)?(?:per|according\s+to)\s+(?:the|his|her|their|my|our|your|its)(?:\s+[\w'’-]+){1,3}?"
    r"(?=\s*(?:[,;:?!.]|\s[-–—]\s|$))",
    re.I,
)
# What a question tells before it asks: "husband still drinks a bit... which studies say no to
# alcohol problems?", "scared of a 'fake' treatment - which trial has a placebo group?".
_CONTEXT_END = re.compile(
    r"(?:\.{2,}|…|[.?!;:]|\s[-–—]+"
    # "a lady in our group wants to know which of these trials ...": who asks is context
    r"|\s(?:wants?|wanted|would\s+like|'d\s+like|needs?)\s+to\s+(?:know|find\s+out)|\s(?:asked|asks|is\s+asking"
    r"|wonders|wondered|is\s+wondering|was\s+wondering))"
    r"\s+(?=(?:so\s+|and\s+|but\s+)?(?:which|what)\s+(?:of\s+(?:the|these|them)\s+)?"
    r"(?:trials?|studies|study|ones?|protocols?)\b)",
    re.I,
)
# The end of a first question that more text follows.
_ASK_END = re.compile(r"\?(?=\s+\S)")
# A word that points back into what was told ("which trial would exclude that?"): the ask needs it.
_POINTS_BACK = re.compile(
    r"\b(?:that|this|it|its|he|him|his|she|her|they|them|their|those|these|such)\b(?!\s+(?:trials?|studies)\b)", re.I
)


def _expanded(question: str) -> str | None:
    """The question with an abbreviation replaced by the words it spells out in brackets after
    it, when their initials are its letters ("DC (decompensated cirrhosis)", "LF (liver failure)")."""
    for m in _SPELLED_OUT.finditer(question):
        words = [w for w in re.split(r"[\s-]+", m.group("long").strip(_QUOTES)) if w]
        if "".join(w[0] for w in words).lower() == m.group("abbr").lower():
            return " ".join(f"{question[: m.start()]}{m.group('long').strip(_QUOTES)}{question[m.end() :]}".split())
    return None


def unattributed(question: str) -> str | None:
    """The question without whose word it passes on ("per the hepatologist")."""
    bare = " ".join(_ATTRIBUTION.sub("", question).split())
    return bare if bare != " ".join(question.split()) and _WORD.search(bare) else None


def without_context(question: str) -> str | None:
    """The ask alone, after what the question tells first, when it asks something of its own and
    does not point back to what was told."""
    ask = after_context(question)
    if ask is None or not any(g[0][:1].isalpha() for g in search_terms(ask, listing=True)[0]):
        return None  # "... - which trials?" asks nothing of its own
    return ask


def before_context(question: str) -> str | None:
    """The ask alone when it comes first and what follows only tells ("is anything still
    recruiting? one of our members doesn't want to waste time on finished ones."): the text up to
    its question mark; None when nothing follows it or what follows asks again."""
    m = _ASK_END.search(question)
    if m is None or "?" in question[m.end() :] or not _WORD.search(question[m.end() :]):
        return None
    return question[: m.end()]


def after_context(question: str) -> str | None:
    """What follows what the question tells first ("... - which trial has a placebo group?"),
    when it does not point back to it; None when the question tells nothing first."""
    m = next(reversed(list(_CONTEXT_END.finditer(question))), None)
    if m is None or _POINTS_BACK.search(question, m.end()):
        return None
    return question[m.end() :]


def _examples(before: str, examples: str, after: str) -> list[str]:
    """The question once per example, in place of the words it exemplifies (`_frame_before`)."""
    frame = _frame_before(before)
    if frame is None:
        return []
    out = []
    for example in _EXAMPLE_SEP.split(examples):
        example = example.strip(_QUOTES)
        if _WORD.search(example):
            out.append(" ".join(f"{frame}{example}{after}".split()))
    return out


def _frame_before(text: str) -> str | None:
    """What comes before the run of content words that ends ``text`` (the thing the examples
    exemplify, its last word a noun even where it could be a verb: "blood clotting tests"):
    "which trials have a cut-off on " of "which trials have a cut-off on blood clotting tests"."""
    words = [(w.start(), w.group(0)) for w in _WORD.finditer(text)]
    run = 1 if words else 0
    for _, w in reversed(words[:-1]):
        bare = w.lower().strip(".,;:'\"")
        if bare in ENGLISH_STOPWORDS or bare in _VERBS or bare in vocabulary().frames:
            break
        run += 1
    if not run or run == len(words):
        return None
    return text[: words[-run][0]]
