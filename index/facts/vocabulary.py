"""What the fact layer knows of the world, each piece once: routes of administration and cell
sources (each with the pattern that finds it in a text and the cheap keywords without which
that pattern cannot match), cell doses, placebo arms, and the countries location lists and
questions name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TermKind = Literal["dose", "placebo", "route", "source"]


@dataclass(frozen=True)
class Term:
    """A fact a trial's text may state: its kind and name, the pattern that finds it, and
    lower-case substrings one of which the text must contain for the pattern to match (a
    cheap first check)."""

    kind: TermKind
    name: str
    pattern: re.Pattern[str]
    keywords: tuple[str, ...]


def _term(kind: TermKind, name: str, pattern: str, *keywords: str) -> Term:
    return Term(kind, name, re.compile(pattern, re.I), keywords)


ROUTE_TERMS: tuple[Term, ...] = (
    _term(
        "route",
        "hepatic artery",
        r"\b(?:hepatic|liver)\s+arter(?:y|ies|ial)\b|\bintra-?arterial\b",
        "arter",
    ),
    _term("route", "portal vein", r"\bportal\s+vein\b|\bintra-?portal\b", "portal"),
    _term(
        "route",
        "peripheral vein / intravenous",
        r"\bperipheral\s+(?:vein|venous)\b|\bintra-?ven(?:ous|ously|us)\b|\bi\.\s?v\.|\bIV\s+(?:infusion|injection)\b"
        r"|\b(?:venous|vein)\s+(?:infusion|transfusion|injection)\b",
        "ven",
        "i.v",
        "iv ",
        "i. v",
    ),
    _term("route", "intrasplenic", r"\bintra-?splenic\b|\bsplenic\s+(?:artery|injection)\b", "splen"),
    _term(
        "route",
        "intrahepatic",
        r"\bintra-?hepatic(?:al)?\s+(?:injection|infusion|transplant)",
        "intrahepat",
        "intra-hepat",
    ),
    _term("route", "intramuscular", r"\bintra-?muscular(?:ly)?\b", "muscul"),
    _term("route", "intrathecal", r"\bintra-?thecal(?:ly)?\b", "thecal"),
    _term("route", "subcutaneous", r"\bsub-?cutaneous(?:ly)?\b", "cutaneous"),
)
SOURCE_TERMS: tuple[Term, ...] = (
    _term("source", "bone marrow", r"\bbone[\s-]+marrow\b|\bBM-?(?:MSCs?|MNCs?)\b|\bBMSCs?\b", "marrow", "bm"),
    _term(
        "source",
        "umbilical cord",
        r"\bumbilical[\s-]+cord\b|\bUC-?MSCs?\b|\bWharton'?s?\s+jelly\b",
        "umbilical",
        "uc",
        "wharton",
    ),
    _term("source", "adipose", r"\badipose\b|\bfat[\s-]+derived\b|\bAD-?MSCs?\b|\bADSCs?\b", "adipose", "fat", "ad"),
    _term("source", "menstrual blood", r"\bmenstrual\b", "menstrual"),
    _term("source", "placenta", r"\bplacenta(?:l)?\b", "placent"),
    _term("source", "peripheral blood", r"\bperipheral\s+blood\b", "peripheral"),
    _term("source", "amniotic", r"\bamnio(?:tic|n)\b", "amnio"),
    _term("source", "dental pulp", r"\bdental\s+pulp\b", "dental"),
)
CELL_DOSE = re.compile(
    r"\d[\d.,]*\s*(?:[-–~]|to)?\s*(?:\d[\d.,]*\s*)?(?:\\?[x×*]\s*10\s*(?:\\?\^|e|E)?\s*\(?\d+\)?|[xX]?10[eE]\d+|×10\d)"
    r"\s*(?:\w+\s*)?(?:cells?|MSCs?|MNCs?)?(?:\s*/\s*(?:kg|dose|m2|day|patient))?"
    r"|\d[\d.,]*\s*(?:million|billion)\s+(?:cells?|MSCs?)(?:\s*/\s*kg)?"
    r"|\d[\d.,]*\s*(?:cells?|MSCs?)\s*/\s*kg",
    re.I,
)
DOSE_TERM = Term("dose", "dose", CELL_DOSE, ("10", "cell", "msc", "mnc", "million", "billion"))
# Also as records misspell it ("Conventional plus pacebo treatment"), as questions' PLACEBO does.
PLACEBO_TERM = _term("placebo", "placebo", r"\bp(?:la|al|l|a)c[ie]bos?\b|\bplacbos?\b", "cebo", "cibo", "placb")
# Every term a text is searched for, in the order that breaks ties between matches that start
# at the same place.
TEXT_TERMS: tuple[Term, ...] = (DOSE_TERM, PLACEBO_TERM, *ROUTE_TERMS, *SOURCE_TERMS)

# Countries as location lists name them (lower case), one table. A "*" marks those a
# question names in plain words ("trials in China"); the others are read only from
# location lists and `country:` filters.
_COUNTRY_ROWS = (
    "afghanistan | albania | algeria | argentina* | armenia | australia* | austria* | azerbaijan | bahrain",
    "bangladesh | belarus | belgium* | bolivia | bosnia | brazil* | bulgaria | cambodia | cameroon | canada*",
    "chile* | china* | colombia* | croatia | cuba | cyprus | czech republic* | czechia | denmark* | ecuador",
    "egypt* | estonia | ethiopia | finland* | france* | georgia | germany* | ghana | greece* | guatemala",
    "honduras | hong kong* | hungary | iceland | india* | indonesia* | iran* | iran, islamic republic of | iraq",
    "ireland* | israel* | italy* | jamaica | japan* | jordan* | kazakhstan | kenya | korea* | korea, republic of",
    "kuwait | latvia | lebanon | libya | lithuania | luxembourg | malaysia* | malta | mexico* | moldova",
    "mongolia | morocco | nepal | netherlands* | new zealand* | nigeria | norway* | oman | pakistan* | panama",
    "paraguay | peru | philippines | poland* | portugal* | puerto rico | qatar | republic of korea | romania",
    "russia* | russian federation | rwanda | saudi arabia* | serbia | singapore* | slovakia | slovenia",
    "south africa* | south korea* | spain* | sri lanka | sweden* | switzerland* | syria | taiwan* | tanzania",
    "thailand* | tunisia | turkey* | türkiye | uganda | ukraine* | united arab emirates | united kingdom*",
    "united states* | uruguay | uzbekistan | venezuela | viet nam | vietnam* | yemen | zambia | zimbabwe",
)
_COUNTRY_ENTRIES = [name.strip() for row in _COUNTRY_ROWS for name in row.split("|")]
COUNTRIES: frozenset[str] = frozenset(n.rstrip("*") for n in _COUNTRY_ENTRIES)

# Other spellings of a country -> its name in location lists; "*": a question may use it.
_ALIAS_ROWS = {
    "usa*": "united states",
    "us*": "united states",
    "u.s.*": "united states",
    "u.s": "united states",
    "america*": "united states",
    "the united states": "united states",
    "uk*": "united kingdom",
    "england*": "united kingdom",
    "britain*": "united kingdom",
    "great britain*": "united kingdom",
    "south korea": "korea, republic of",
    "korea": "korea, republic of",
    "vietnam": "viet nam",
    "russia": "russian federation",
    "iran": "iran, islamic republic of",
    "turkey": "türkiye",
}
COUNTRY_ALIASES: dict[str, str] = {k.rstrip("*"): v for k, v in _ALIAS_ROWS.items()}
# Spellings only a question uses (location lists never write them).
_QUESTION_ONLY = {"u.s.a": "united states", "united states of america": "united states"}
# Every way a question may name a country -> the name its answer states. A dotted spelling
# matches with or without one more dot ("u.s." and "u.s.."; "u.s.a" and "u.s.a.").
QUESTION_COUNTRIES: dict[str, str] = (
    {n.rstrip("*"): n.rstrip("*") for n in _COUNTRY_ENTRIES if n.endswith("*")}
    | {k.rstrip("*"): v for k, v in _ALIAS_ROWS.items() if k.endswith("*")}
    | _QUESTION_ONLY
)
_QUESTION_UNDOTTED = {k.rstrip("."): v for k, v in QUESTION_COUNTRIES.items()}


def question_country_pattern() -> str:
    """A regular expression (to compile case-insensitively) for a country named in a question:
    its spellings, longest first."""
    names = sorted(QUESTION_COUNTRIES, key=lambda n: (-len(n), n))
    return "|".join(re.escape(n) + (r"\.?" if "." in n else "") for n in names)


def question_country(spelling: str) -> str:
    """The name an answer states for a country a question spells so (a match of
    `question_country_pattern`)."""
    return _QUESTION_UNDOTTED[spelling.lower().rstrip(".")]


def is_country(name: str) -> bool:
    return name in COUNTRIES


def country_keys(name: str) -> set[str]:
    """Spellings a location list may use for a country named in a question."""
    n = name.strip().lower()
    keys = {n, COUNTRY_ALIASES.get(n, n)}
    for alias, canon in COUNTRY_ALIASES.items():
        if canon in keys:
            keys.add(alias)
    if "korea, republic of" in keys:
        keys |= {"republic of korea", "south korea", "korea"}
    return keys
