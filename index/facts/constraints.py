"""Question understanding without a language model: constraints on trial facts.

`parse(question)` finds plain-English constraints ("older than 65", "I'm 68", "children", "women
only", "more than 100 patients", "recruiting", "phase 2", "RCT", "double-blind", "single-arm",
"no placebo", "CTP score 8", "in China", "for liver cirrhosis") and explicit filters
(`status:recruiting phase:2 age>65 country:China`), and returns them with the rest of the
question, which is searched as text.

Semantics (tested): "older than N" matches a trial whose maximum age is above N, or that
states a minimum age and no maximum; "under N"/"children" matches a minimum age below N
(or a stated maximum with no minimum); "only / all patients younger than N", "an upper age
limit below N" is a different question, on the maximum age (`max_age < N`): it matches a trial
whose stated maximum age is below N ("turns away anyone older than N": at most N); a trial
whose record does not state the fact is never a match and is counted as left out.
"double-blind" matches Double, Triple and Quadruple masking; "blinded" any but open label.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.corpus.readers.normalize import STATUSES, norm_phase, norm_status
from index.facts import ages, routes, sizes
from index.facts.conditions import NOT_FOR, contrasted_concepts, question_concepts
from index.facts.constraint import Constraint, dedupe, make
from index.facts.control import one_kind_of_control
from index.facts.dose_count import QUESTION_COUNT as DOSES_COUNT
from index.facts.dose_count import QUESTION_REPEATED as DOSES_REPEATED
from index.facts.dose_count import question_count
from index.facts.filters import FILTER, Filters, explicit, parse_filters
from index.facts.follow_up import QUESTION as FOLLOW_UP_QUESTION
from index.facts.follow_up import question_op as follow_up_op
from index.facts.places import city_pattern, demonym_pattern, demonyms, place_name
from index.facts.scores import QUESTION_CLASS, QUESTION_CUTOFF, QUESTION_SCORE, class_range
from index.facts.vocabulary import question_country, question_country_pattern
from index.facts.words import (
    ALL_KNOW,
    AROUND_FACT,
    BOTH_UNAWARE,
    CONDITION_EXPLAINED,
    CONTROL_ARM,
    ENROL,
    EXPLAINED,
    MASK_LEVELS,
    MEASURED,
    MORE_LESS,
    NO_CONTROL,
    NOT_A_COUNT,
    NUM,
    PERSON_KEYS,
    PLACEBO_Q,
    POP,
    SINGLE_GROUP,
    STATUS_WORDS,
    frame_words,
)
from index.text.numbers import durations
from index.text.vocabulary.concepts import Concepts

# (pattern, builder(match) -> Constraint) in order; earlier patterns claim their text first.
Rule = Callable[[re.Match[str]], Constraint | None]
_RULES: list[tuple[re.Pattern[str], Rule]] = []


def _rule(pattern: str) -> Callable[[Rule], Rule]:
    def deco(fn: Rule) -> Rule:
        _RULES.append((re.compile(pattern, re.I), fn))
        return fn

    return deco


_rule(FILTER.pattern)(explicit)  # explicit filters first: "status:recruiting", "age>65"


@_rule(QUESTION_CUTOFF)
def _child_pugh_stated(m: re.Match[str]) -> Constraint:
    return make("child_pugh", "has", "stated")  # "Child-Pugh cutoff trials": the criteria state a range


@_rule(QUESTION_SCORE)
def _child_pugh(m: re.Match[str]) -> Constraint | None:
    """A patient's Child-Pugh score: "CTP score 8", "Child-Pugh 7 points" (the trial accepts it);
    a bound ("a Child-Pugh score of 9 or more", "at least 9") is what the trial requires (its
    lowest or highest accepted score). Not a score a trial measures ("measure the score 7")."""
    n = float(m.group("n") or m.group("n2"))
    if not 5 <= n <= 15 or MEASURED.search(m.string[: m.start()]):
        return None
    bound = " ".join((m.group("pre") or m.group("post") or "").split()).lower()
    if not bound:
        return make("child_pugh", "=", n)
    up = bound.startswith(("at least", "≥", ">=", "more", "above", "over", "or more", "or higher", "or above", "or g"))
    strict = bound.startswith(("more", "less", "above", "below", "over", "under"))
    return make("child_pugh", (">" if strict else ">=") if up else ("<" if strict else "<="), n)


@_rule(QUESTION_CLASS)
def _child_pugh_class(m: re.Match[str]) -> Constraint | None:
    """A patient's Child-Pugh class ("Child-Pugh class A"): the trial accepts some score of it."""
    if MEASURED.search(m.string[: m.start()]):
        return None
    letters = " ".join((m.group("c") or m.group("C")).lower().split())
    shown = re.sub(r"\b[abc]\b", lambda x: x.group().upper(), letters)
    return make("child_pugh", "in", class_range(letters), shown=f"class {shown}")


@_rule(FOLLOW_UP_QUESTION)
def _follow_up(m: re.Match[str]) -> Constraint | None:
    """A follow-up length: "follow-up longer than 1 yr", "104-week follow up", "follows patients
    for at least 2 years" (in days; lengths of the same whole weeks are equal)."""
    written = (m.group("d") or m.group("d2")).replace("+", "")
    found = durations(written)
    if not found:
        return None
    shown = re.sub(r"\s*-\s*", " ", " ".join(written.split()))  # "104-week": "104 week"
    return make("follow_up", follow_up_op(m), found[0].values[0], shown=shown)


@_rule(DOSES_REPEATED)
def _repeated(m: re.Match[str]) -> Constraint:
    """Given more than once: "more than once", "repeat infusions", "a multiple-dose regimen"."""
    return make("dose_count", ">", 1)


@_rule(DOSES_COUNT)
def _dose_count(m: re.Match[str]) -> Constraint | None:
    """A number of doses: "3 infusions", "2 doses of stem cells", "infuse the cells twice",
    "a single infusion"."""
    found = question_count(m)
    return make("dose_count", found[0], found[1]) if found else None


for _pattern, _build in ages.RULES:  # ages ("older than 65", "under 6 months", "I'm 68"): `index.facts.ages`
    _rule(_pattern)(_build)


_SIGNS = {"≥": ">=", "≤": "<="}
_ABOVE = ("more than", "over", "greater than", "above", "exceed", "in excess", "upwards", "larger", "bigger")


_N = NUM[1:-1]


@_rule(
    rf"(?:\b(?P<verb>{ENROL})\s+)?(?:\b(?P<op>{MORE_LESS})\s+|(?<![\w<>=])(?P<sign>[<>]=?|[≥≤])\s*)"
    rf"(?P<n>{_N}(?:[eE][1-6]\b)?)(?:\s+(?P<pop>{POP}))?\b{NOT_A_COUNT}"
    rf"|\b(?P<n2>{_N})\s+or\s+(?P<word>more|fewer|less)\s+{POP}"
    rf"|\b(?P<n3>{_N})\s+{POP}\s+or\s+(?P<word3>more|fewer|less)\b"  # "30 patients or less"
)
def _enrollment(m: re.Match[str]) -> Constraint | None:
    """A count of patients: a population noun after the number, or an enrolling verb before it;
    compared in words or by a sign ("enrol >100 pts", "≤ 30 participants")."""
    if m.group("n") and not (m.group("verb") or m.group("pop")):
        return None
    n = int(float((m.group("n") or m.group("n2") or m.group("n3")).replace(",", "")))  # "1e2": 100
    if m.group("sign"):
        return make("enrollment", _SIGNS.get(m.group("sign"), m.group("sign")), n)
    return _enrollment_op(m.group("op") or "", m.group("word") or m.group("word3"), n)


def _enrollment_op(words: str, word: str | None, n: int) -> Constraint:
    """The size constraint "more than" / "at least" / "fewer than" ... ``n`` (``word``: the "more"
    of "50 or more")."""
    text = " ".join(words.lower().split())
    if text.startswith(_ABOVE):
        op = ">"
    elif text.startswith(("at least", "no fewer than")) or word == "more":
        op = ">="
    elif text.startswith(("at most", "no more than")) or word in {"fewer", "less"}:
        op = "<="
    else:
        op = "<"
    return make("enrollment", op, n)


@_rule(
    r"(?<![\w/])[Nn]\s*(?P<op>[<>]=?|[≥≤])\s*(?P<n>\d{1,7})\b"
    + NOT_A_COUNT
    + r"|(?<![\w/])[Nn]\s+(?P<words>"
    + MORE_LESS
    + r")\s+(?P<n2>\d{1,7})\b"
    + NOT_A_COUNT
)
def _n_compared(m: re.Match[str]) -> Constraint:
    """A trial's size written as a statistician would: "N > 100", "n ≥ 50", "N<30", "n over 100"."""
    if m.group("words"):
        return _enrollment_op(m.group("words"), None, int(m.group("n2")))
    op = _SIGNS.get(m.group("op"), m.group("op"))
    return make("enrollment", op, int(m.group("n")))


for _pattern, _build in routes.RULES:  # "do not give the cells through a vein": `index.facts.routes`
    _rule(_pattern)(_build)
for _pattern, _build in sizes.RULES:  # "in the hundreds", "between 50 and 250": `index.facts.sizes`
    _rule(_pattern)(_build)


@_rule(r"\b(?:only\s+(women|females?|men|males?)|(women|females?|men|males?)[\s-]+only)\b")
def _sex_only(m: re.Match[str]) -> Constraint:
    who = (m.group(1) or m.group(2)).lower()
    return make("sex", "=", "Female" if who.startswith(("w", "f")) else "Male")


@_rule(
    r"\b(?:are|is|were|currently|still|now|have|has|had|and|but|or|(?:listed|marked|shown|registered|label+ed|flagged"
    r"|recorded)\s+as)\s+(?:been\s+|still\s+|currently\s+)?("
    + STATUS_WORDS
    + r")\b|\b("
    + STATUS_WORDS
    + r")\s+(?:trials?|studies|study)\b|\b(?:trials?|studies|study)"
    r"\s+(?:that\s+(?:are|have)\s+|which\s+(?:are|have)\s+)?(" + STATUS_WORDS + r")\b"
)
def _status(m: re.Match[str]) -> Constraint | None:
    word = next(g for g in m.groups() if g).lower()
    word = re.sub(r"active,? (?:but )?not recruiting", "active, not recruiting", word)
    s = norm_status(word)
    return make("status", "=", s) if s in STATUSES else None


@_rule(
    # "phase one" with a space (not "phone")
    r"\b(early\s+)?(?:phase|ph\.?)(?:[\s-]*(?=[1-4iv])|[\s-]+)(1|2|3|4|iv|iii|ii|i|one|two|three|four)\b(?![.,]\d)"
    r"(?:\s*(?:/|-|–|to|-to-|\s+to\s+)\s*(?:(?:phase|ph\.?)\s*)?(1|2|3|4|iv|iii|ii|i|one|two|three|four)\b(?![.,]\d))?"
)
def _phase(m: re.Match[str]) -> Constraint | None:
    roman = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "one": "1", "two": "2", "three": "3", "four": "4"}
    nums = [roman.get(g.lower(), g) for g in (m.group(2), m.group(3)) if g]
    if m.group(1):
        return make("phase", "has", ("Early Phase 1",))
    phases = tuple(p for p in (norm_phase(f"phase {n}") for n in nums) if p)
    return make("phase", "has", phases) if phases else None


@_rule(NO_CONTROL)
def _no_control(m: re.Match[str]) -> Constraint:
    """No control arm: a single group, or arms that are all experimental (two cell types compared)."""
    return make("control", "has", False)


@_rule(SINGLE_GROUP)
def _single_group(m: re.Match[str]) -> Constraint:
    return make("model", "=", "Single group")


@_rule(CONTROL_ARM)
def _controlled(m: re.Match[str]) -> Constraint:
    return make("control", "has", True)  # "whose control group gets ...": a trial that has one


@_rule(r"\bparallel[\s-]+(?:groups?|arms?|assignment|design)\b|\bcross-?over\b")
def _parallel_or_crossover(m: re.Match[str]) -> Constraint:
    return make("model", "=", "Crossover" if m.group(0).lower().startswith("cross") else "Parallel")


@_rule(
    r"\bnon[\s-]?randomi[sz]ed\b|\bun[\s-]?randomi[sz]ed\b|\bnot\s+randomi[sz]ed\b"
    r"|\b(?:no|without(?:\s+any)?)\s+randomi[sz]ation\b"
)
def _nonrandom(m: re.Match[str]) -> Constraint:
    return make("allocation", "=", "Non-Randomized")


@_rule(r"\brandomi[sz]ed(?:[\s,-]+(?:and\s+)?controlled)?\b|\brandomly\s+(?:assigned|allocated)\b|\bRCTs?\b")
def _random(m: re.Match[str]) -> Constraint:
    return make("allocation", "=", "Randomized")


_LEVELS = ("single", "double", "triple", "quadruple")


@_rule(
    r"\b(?P<least>at\s+least\s+|minimum\s+(?:of\s+)?)?(?P<level>double|triple|quadruple|single)[\s-]+"
    r"(?:blind(?:ed)?|mask(?:ed|ing)?)\b(?P<more>\s+or\s+(?:more|higher|above|better|stricter))?"
)
def _masking(m: re.Match[str]) -> Constraint:
    """ "double-blind": Double, Triple or Quadruple masking; "at least single-blinded",
    "single-blind or more": that level or any above it."""
    level = m.group("level").lower()
    if m.group("least") or m.group("more"):
        above = _LEVELS[_LEVELS.index(level) :]
        return make("masking", "in", frozenset().union(*(MASK_LEVELS[x] for x in above)))
    return make("masking", "in", MASK_LEVELS[level])


@_rule(BOTH_UNAWARE)
def _both_unaware(m: re.Match[str]) -> Constraint:
    """ "both the patients and the doctors kept in the dark", "neither patients nor doctors know"."""
    return make("masking", "in", MASK_LEVELS["double"])


@_rule(ALL_KNOW)
def _all_know(m: re.Match[str]) -> Constraint:
    """ "everybody, patients and doctors, knows exactly who is getting the cells"."""
    return make("masking", "in", frozenset({"None (Open Label)"}))


@_rule(
    r"\bopen[\s-]+label(?:led)?\b(?:\s*,?\s*(?:with\s+)?(?:nobody|no[\s-]?one)\s+(?:is\s+)?(?:masked|blinded))?"
    r"|\bunblinded\b|\bunmasked\b|\b(?:nobody|no[\s-]?one)\s+(?:is\s+)?(?:masked|blinded)\b"
)
def _open(m: re.Match[str]) -> Constraint:
    return make("masking", "in", frozenset({"None (Open Label)"}))


@_rule(PLACEBO_Q)
def _placebo(m: re.Match[str]) -> Constraint:
    """ "placebo-controlled", "a dummy infusion"; "no placebo", "without a sham" (no placebo arm)."""
    return make("placebo", "has", not m.group(1))


@_rule(r"\b(?:in|from|at sites in|located in)\s+(?:the\s+)?(" + question_country_pattern() + r")\b")
def _country(m: re.Match[str]) -> Constraint:
    return make("country", "=", question_country(m.group(1)).title())


@_rule(demonym_pattern())
def _demonym(m: re.Match[str]) -> Constraint:
    """A country named by its people: "Chinese sites", "Iranian trials" (`places.tsv` demonyms)."""
    return make("country", "=", question_country(demonyms()[m.group(1).lower()]).title())


@_rule(city_pattern())
def _city(m: re.Match[str]) -> Constraint:
    """A city or region of `places.tsv`: "any trials in Beijing?" (a location line, or the sponsor
    line that places a record without locations: "Beijing 302 Hospital")."""
    return make("city", "=", place_name(m.group(1)))


_CONDITION = re.compile(
    r"\bfor\s+(?:patients\s+with\s+|people\s+with\s+|the\s+treatment\s+of\s+|treating\s+)?"
    r"([a-z][a-z' -]{2,50}?)\s*(?=\?|$|,|;|\.|\s+(?:in|and|that|which|who|using|at|with|or)\b)",
    re.I,
)


def parse(
    question: str, conditions: set[str] | None = None, concepts: Concepts | None = None
) -> tuple[list[Constraint], str]:
    """Constraints found in the question and the question with their text blanked out.

    ``concepts`` (the condition concepts a corpus can match, `index.facts.conditions`) lets
    "which trials treat heart attacks?" ask for the concept "myocardial infarction";
    ``conditions`` (lower-cased condition names in the corpus) lets "for liver cirrhosis"
    become a condition constraint when some trial lists that condition."""
    taken = [False] * len(question)
    found: list[Constraint] = []
    for rx, build in _RULES:
        for m in rx.finditer(question):
            if any(taken[m.start() : m.end()]):
                continue
            c = build(m)
            if c is None:
                continue
            if c.key in PERSON_KEYS and re.search(r"\bexclu\w*\b", question[: m.start()], re.I):
                continue  # "exclude patients under 18" is a criterion to search, not an age filter
            found.append(Constraint(c.key, c.op, c.value, c.label, (m.start(), m.end())))
            for i in range(m.start(), m.end()):
                taken[i] = True
    found = [c for c in found if not one_kind_of_control(c, found, question)]
    for c in list(found):
        if e := EXPLAINED.match(question, c.span[1]):  # "double-blind, so neither ... knows": the fact again
            for i in range(e.start(), e.end()):
                taken[i] = True
    if found:
        for m in AROUND_FACT.finditer(question):
            for i in range(m.start(), m.end()):
                taken[i] = True
    if concepts is not None:
        for f in question_concepts(question, concepts):
            if not any(taken[f.start : f.end]):
                found.append(make("condition", "=", f.concept, (f.start, f.end)))
                e = CONDITION_EXPLAINED.match(question, f.end)  # "..., where the liver's not coping": the condition
                for i in range(f.start, e.end() if e else f.end):
                    taken[i] = True
        for f in contrasted_concepts(question, concepts):  # "liver failure rather than cirrhosis"
            if any(c.key == "condition" for c in found) and not any(taken[f.start : f.end]):
                found.append(make("condition", "not", f.concept, (f.start, f.end)))
                for i in range(f.start, f.end):
                    taken[i] = True
    if conditions:
        for m in _CONDITION.finditer(question):
            phrase = m.group(1).strip().lower()
            if any(taken[m.start(1) : m.end(1)]) or not phrase or NOT_FOR.search(question[: m.start(1)]):
                continue
            if any(phrase in c for c in conditions):
                found.append(make("condition", "=", phrase, (m.start(), m.end())))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    rest = "".join(" " if t else ch for ch, t in zip(question, taken, strict=True))
    return dedupe(found), re.sub(r"\s+", " ", rest).strip()


__all__ = ["Constraint", "Filters", "frame_words", "make", "parse", "parse_filters"]
