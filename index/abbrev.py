"""Abbreviations a record defines ("bone marrow (BM)", "Liver failure (LF)"), so a
sentence that says "BM" also covers a question that says "bone marrow"."""

from __future__ import annotations

import re

from index.model import Trial
from index.tokenize import tokenize

_DEF = re.compile(r"((?:[\w'-]+\s+){1,8}?[\w'-]+)\s*\(\s*([A-Za-z][A-Za-z0-9-]{1,9})\s*\)")


def _initials(words: list[str]) -> str:
    return "".join(p[0] for w in words for p in re.split(r"-", w) if p).lower()


def definitions(text: str) -> dict[str, str]:
    """{abbreviation: long form} for every "long form (ABBR)" whose initials spell ABBR."""
    out: dict[str, str] = {}
    for m in _DEF.finditer(text):
        abbr = m.group(2)
        if sum(c.isupper() for c in abbr) < 2:
            continue
        letters = "".join(c for c in abbr.lower() if c.isalpha())
        words = m.group(1).split()
        for target in (letters, letters[:-1] if letters.endswith("s") else None):
            if not target:
                continue
            for n in range(1, min(len(words), len(target)) + 1):
                if _initials(words[-n:]) == target:
                    out.setdefault(abbr, " ".join(words[-n:]))
                    break
            if abbr in out:
                break
    return out


# Abbreviations of the field that records use without defining them.
DOMAIN: dict[str, str] = {
    "MSC": "mesenchymal stem cell",
    "MSCs": "mesenchymal stem cells",
    "UC-MSC": "umbilical cord mesenchymal stem cell",
    "UC-MSCs": "umbilical cord mesenchymal stem cells",
    "hUC-MSC": "human umbilical cord mesenchymal stem cell",
    "BM-MSC": "bone marrow mesenchymal stem cell",
    "BMSC": "bone marrow stem cell",
    "BMSCs": "bone marrow stem cells",
    "BM-MNC": "bone marrow mononuclear cell",
    "BMMNC": "bone marrow mononuclear cell",
    "AD-MSC": "adipose derived mesenchymal stem cell",
    "ADSC": "adipose derived stem cell",
    "HSC": "hematopoietic stem cell",
    "HCC": "hepatocellular carcinoma",
    "LC": "liver cirrhosis",
    "ACLF": "acute on chronic liver failure",
    "i.v.": "intravenous",
    "IV": "intravenous",
    "HBV": "hepatitis B virus",
    "HCV": "hepatitis C virus",
}


def _domain() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for abbr, long_form in DOMAIN.items():
        toks = tokenize(abbr)
        if toks:
            out.setdefault(toks[0], set()).update(tokenize(long_form))
    # and back: a sentence saying "mesenchymal stem cells" also says "MSC"
    out.setdefault("mesenchym", set()).add("msc")
    return out


_DOMAIN_TOKENS = _domain()


def expansions(trial: Trial) -> dict[str, set[str]]:
    """{first token of the abbreviation: tokens of its long form} for one trial: the
    field's usual abbreviations, then those the trial defines itself."""
    out: dict[str, set[str]] = {k: set(v) for k, v in _DOMAIN_TOKENS.items()}
    for sec in trial.sections:
        for abbr, long_form in definitions(sec.text).items():
            toks = tokenize(abbr)
            if toks:
                out.setdefault(toks[0], set()).update(tokenize(long_form))
    return out
