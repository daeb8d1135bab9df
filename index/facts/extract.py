"""The fact layer: a trial's structured facts, each with the exact text that states it.

Facts come from the `Trial` fields the readers parsed (status, phases, ages, ...) and
from its text (route of administration, cell source, placebo arms, cell doses); every
fact carries a `Citation` pointing at the section line or sentence that states it, so a
fact answer is cited like any snippet.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from index.corpus.readers.normalize import norm_masking, norm_phase, norm_status
from index.model import Section, Trial, trial_from_dict, trial_to_dict
from index.results import Citation
from index.text.sentences import spans, strip_bullet

ROUTES: dict[str, re.Pattern[str]] = {
    "hepatic artery": re.compile(r"\b(?:hepatic|liver)\s+arter(?:y|ies|ial)\b|\bintra-?arterial\b", re.I),
    "portal vein": re.compile(r"\bportal\s+vein\b|\bintra-?portal\b", re.I),
    "peripheral vein / intravenous": re.compile(
        r"\bperipheral\s+(?:vein|venous)\b|\bintra-?ven(?:ous|ously|us)\b|\bi\.\s?v\.|\bIV\s+(?:infusion|injection)\b"
        r"|\b(?:venous|vein)\s+(?:infusion|transfusion|injection)\b",
        re.I,
    ),
    "intrasplenic": re.compile(r"\bintra-?splenic\b|\bsplenic\s+(?:artery|injection)\b", re.I),
    "intrahepatic": re.compile(r"\bintra-?hepatic(?:al)?\s+(?:injection|infusion|transplant)", re.I),
    "intramuscular": re.compile(r"\bintra-?muscular(?:ly)?\b", re.I),
    "intrathecal": re.compile(r"\bintra-?thecal(?:ly)?\b", re.I),
    "subcutaneous": re.compile(r"\bsub-?cutaneous(?:ly)?\b", re.I),
}
SOURCES: dict[str, re.Pattern[str]] = {
    "bone marrow": re.compile(r"\bbone[\s-]+marrow\b|\bBM-?(?:MSCs?|MNCs?)\b|\bBMSCs?\b", re.I),
    "umbilical cord": re.compile(r"\bumbilical[\s-]+cord\b|\bUC-?MSCs?\b|\bWharton'?s?\s+jelly\b", re.I),
    "adipose": re.compile(r"\badipose\b|\bfat[\s-]+derived\b|\bAD-?MSCs?\b|\bADSCs?\b", re.I),
    "menstrual blood": re.compile(r"\bmenstrual\b", re.I),
    "placenta": re.compile(r"\bplacenta(?:l)?\b", re.I),
    "peripheral blood": re.compile(r"\bperipheral\s+blood\b", re.I),
    "amniotic": re.compile(r"\bamnio(?:tic|n)\b", re.I),
    "dental pulp": re.compile(r"\bdental\s+pulp\b", re.I),
}
CELL_DOSE = re.compile(
    r"\d[\d.,]*\s*(?:[-–~]|to)?\s*(?:\d[\d.,]*\s*)?(?:\\?[x×*]\s*10\s*(?:\\?\^|e|E)?\s*\(?\d+\)?|[xX]?10[eE]\d+|×10\d)"
    r"\s*(?:\w+\s*)?(?:cells?|MSCs?|MNCs?)?(?:\s*/\s*(?:kg|dose|m2|day|patient))?"
    r"|\d[\d.,]*\s*(?:million|billion)\s+(?:cells?|MSCs?)(?:\s*/\s*kg)?"
    r"|\d[\d.,]*\s*(?:cells?|MSCs?)\s*/\s*kg",
    re.I,
)
_PLACEBO = re.compile(r"\bplacebo\b", re.I)
_TEXT_SECTIONS = ("arms", "interventions", "description", "summary", "title", "official_title")
_FIELD_SECTIONS = ("status", "phase", "eligibility_summary", "eligibility", "enrollment", "design", "locations")
_GROUP_NAMES = {f"r_{i}": n for i, n in enumerate(ROUTES)} | {f"s_{i}": n for i, n in enumerate(SOURCES)}
_PATTERNS = (
    {f"r_{i}": rx.pattern for i, rx in enumerate(ROUTES.values())}
    | {f"s_{i}": rx.pattern for i, rx in enumerate(SOURCES.values())}
    | {"placebo": _PLACEBO.pattern, "dose": CELL_DOSE.pattern}
)
# Lower-case substrings without which a pattern cannot match (a cheap first check).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "r_0": ("arter",),
    "r_1": ("portal",),
    "r_2": ("ven", "i.v", "iv ", "i. v"),
    "r_3": ("splen",),
    "r_4": ("intrahepat", "intra-hepat"),
    "r_5": ("muscul",),
    "r_6": ("thecal",),
    "r_7": ("cutaneous",),
    "s_0": ("marrow", "bm"),
    "s_1": ("umbilical", "uc", "wharton"),
    "s_2": ("adipose", "fat", "ad"),
    "s_3": ("menstrual",),
    "s_4": ("placent",),
    "s_5": ("peripheral",),
    "s_6": ("amnio",),
    "s_7": ("dental",),
    "placebo": ("placebo",),
    "dose": ("10", "cell", "msc", "mnc", "million", "billion"),
}


_COMPILED = {n: re.compile(p, re.I) for n, p in _PATTERNS.items()}


@dataclass
class TrialFacts:
    trial: Trial
    citations: dict[str, list[Citation]] = field(default_factory=dict)
    routes: dict[str, Citation] = field(default_factory=dict)
    sources: dict[str, Citation] = field(default_factory=dict)
    doses: list[tuple[str, Citation]] = field(default_factory=list)
    placebo: Citation | None = None
    has_arms: bool = False  # the record has an arms or interventions section (so "no placebo" is known)
    countries: Mapping[str, Citation] = field(default_factory=dict)
    cities: Mapping[str, Citation] = field(default_factory=dict)

    def cite(self, key: str) -> list[Citation]:
        return self.citations.get(key, [])


def cite(trial: Trial, sec: Section, s: int, e: int) -> Citation:
    return Citation(
        section=sec.heading,
        name=sec.name,
        snippet=sec.text[s:e],
        source=trial.source,
        field=sec.field,
        start=sec.start + s,
        end=sec.start + e,
    )


def section_lines(sec: Section) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", sec.text):
        s, e = m.start(), m.end()
        while s < e and sec.text[s].isspace():
            s += 1
        while e > s and sec.text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((strip_bullet(sec.text, s, e), e))
    return out


def _heading(sec: Section, *words: str) -> bool:
    h = sec.heading.lower()
    return any(w in h for w in words)


def extract(trial: Trial) -> TrialFacts:
    countries: dict[str, Citation] = {}
    cities: dict[str, Citation] = {}
    f = TrialFacts(trial, countries=countries, cities=cities)

    def add(key: str, sec: Section, s: int, e: int) -> None:
        c = cite(trial, sec, s, e)
        if all(x.snippet != c.snippet or x.section != c.section for x in f.citations.get(key, [])):
            f.citations.setdefault(key, []).append(c)

    for sec in trial.sections:
        if sec.name in ("arms", "interventions"):
            f.has_arms = True
        if sec.name == "conditions":  # each line, for condition constraints to cite
            for s, e in section_lines(sec):
                add("conditions", sec, s, e)
            continue
        if sec.name in _TEXT_SECTIONS:
            _text_facts(trial, sec, f)
            continue
        if sec.name not in _FIELD_SECTIONS:
            continue
        lines = section_lines(sec)
        if sec.name in ("status", "phase"):
            for s, e in lines:
                line = sec.text[s:e]
                if trial.status and norm_status(line) == trial.status:
                    add("status", sec, s, e)
                if norm_phase(line) or "phase" in line.lower():
                    add("phase", sec, s, e)
        if sec.name in ("eligibility_summary", "eligibility") and _heading(sec, "age") and lines:
            add("age", sec, *lines[0])
        if sec.name in ("eligibility_summary", "eligibility") and _heading(sec, "sex", "gender") and lines:
            add("sex", sec, *lines[0])
        if sec.name == "enrollment" and lines:
            add("enrollment", sec, *lines[0])
        if sec.name == "design" and lines:
            for key, words in (
                ("allocation", ("allocation",)),
                ("masking", ("masking", "blind")),
                ("intervention_model", ("model",)),
                ("study_type", ("study type",)),
            ):
                if _heading(sec, *words):
                    add(key, sec, *lines[0])
        if sec.name == "locations" and lines:
            for s, e in lines:
                line = sec.text[s:e]
                for part in re.split(r",\s*", line):
                    key = part.strip().lower()
                    if key and key not in countries and _is_country(key):
                        countries[key] = cite(trial, sec, s, e)
                    if key and key not in cities:
                        cities[key] = cite(trial, sec, s, e)
    if trial.min_age is None and trial.max_age is None:
        f.citations.pop("age", None)
    _age_from_criteria(trial, f)
    return f


def _text_facts(trial: Trial, sec: Section, f: TrialFacts) -> None:
    """Routes, cell sources, placebo arms and cell doses stated in a text section; each
    cites the sentence it stands in. Cheap keyword checks decide which patterns run."""
    low = sec.text.lower()
    names = [k for k, words in _KEYWORDS.items() if any(w in low for w in words)]
    if not names:
        return
    found = sorted(((m.start(), n, m) for n in names for m in _COMPILED[n].finditer(sec.text)), key=lambda x: x[:2])
    sentences: list[tuple[int, int]] | None = None
    for _, kind, m in found:
        if kind == "dose" and sec.name in ("title", "official_title"):
            continue
        if kind == "placebo" and (f.placebo is not None or sec.name not in ("arms", "interventions")):
            continue
        name = _GROUP_NAMES.get(kind, "")
        if (kind.startswith("r_") and name in f.routes) or (kind.startswith("s_") and name in f.sources):
            continue
        if sentences is None:
            sentences = [(strip_bullet(sec.text, a, b), b) for a, b in spans(sec.text)]
        a, b = next(((a, b) for a, b in sentences if a <= m.start() < b), (m.start(), m.end()))
        where = cite(trial, sec, a, b)
        if kind == "dose":
            f.doses.append((m.group(0).strip(), where))
        elif kind == "placebo":
            f.placebo = where
        elif kind.startswith("r_"):
            f.routes[name] = where
        else:
            f.sources[name] = where


def _age_from_criteria(trial: Trial, f: TrialFacts) -> None:
    """Pages that state ages only in a criterion ("Aged between 20 and 60")."""
    if f.cite("age") or (trial.min_age is None and trial.max_age is None):
        return
    for sec in trial.sections:
        if sec.name != "eligibility_inclusion":
            continue
        for s, e in section_lines(sec):
            if re.search(r"\bage", sec.text[s:e], re.I) and re.search(r"\d", sec.text[s:e]):
                f.citations.setdefault("age", []).append(cite(trial, sec, s, e))
                return


_COUNTRIES = frozenset(
    [
        "afghanistan",
        "albania",
        "algeria",
        "argentina",
        "armenia",
        "australia",
        "austria",
        "azerbaijan",
        "bahrain",
        "bangladesh",
        "belarus",
        "belgium",
        "bolivia",
        "bosnia",
        "brazil",
        "bulgaria",
        "cambodia",
        "cameroon",
        "canada",
        "chile",
        "china",
        "colombia",
        "croatia",
        "cuba",
        "cyprus",
        "czechia",
        "denmark",
        "ecuador",
        "egypt",
        "estonia",
        "ethiopia",
        "finland",
        "france",
        "georgia",
        "germany",
        "ghana",
        "greece",
        "guatemala",
        "honduras",
        "hungary",
        "iceland",
        "india",
        "indonesia",
        "iran",
        "iraq",
        "ireland",
        "israel",
        "italy",
        "jamaica",
        "japan",
        "jordan",
        "kazakhstan",
        "kenya",
        "korea",
        "kuwait",
        "latvia",
        "lebanon",
        "libya",
        "lithuania",
        "luxembourg",
        "malaysia",
        "malta",
        "mexico",
        "moldova",
        "mongolia",
        "morocco",
        "nepal",
        "netherlands",
        "nigeria",
        "norway",
        "oman",
        "pakistan",
        "panama",
        "paraguay",
        "peru",
        "philippines",
        "poland",
        "portugal",
        "qatar",
        "romania",
        "russia",
        "rwanda",
        "serbia",
        "singapore",
        "slovakia",
        "slovenia",
        "spain",
        "sweden",
        "switzerland",
        "syria",
        "taiwan",
        "tanzania",
        "thailand",
        "tunisia",
        "turkey",
        "uganda",
        "ukraine",
        "uruguay",
        "uzbekistan",
        "venezuela",
        "vietnam",
        "yemen",
        "zambia",
        "zimbabwe",
    ]
) | {
    "united states",
    "united kingdom",
    "korea, republic of",
    "republic of korea",
    "south korea",
    "hong kong",
    "saudi arabia",
    "south africa",
    "new zealand",
    "united arab emirates",
    "czech republic",
    "russian federation",
    "iran, islamic republic of",
    "puerto rico",
    "sri lanka",
    "viet nam",
    "türkiye",
}


def _is_country(name: str) -> bool:
    return name in _COUNTRIES


COUNTRY_ALIASES = {
    "usa": "united states",
    "us": "united states",
    "u.s.": "united states",
    "u.s": "united states",
    "america": "united states",
    "the united states": "united states",
    "uk": "united kingdom",
    "england": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "south korea": "korea, republic of",
    "korea": "korea, republic of",
    "vietnam": "viet nam",
    "russia": "russian federation",
    "iran": "iran, islamic republic of",
    "turkey": "türkiye",
}


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


def masking_of(value: str | None) -> str | None:
    return norm_masking(value)


def facts_to_dict(f: TrialFacts) -> dict[str, Any]:
    """The facts as plain JSON-able data (stored in the index at build time). The trial is
    kept without its sections (its fields are what the checks read); each citation is
    written once and referred to by number."""
    table: list[list[Any]] = []
    seen: dict[Citation, int] = {}

    def ref(c: Citation) -> int:
        i = seen.get(c)
        if i is None:
            i = seen[c] = len(table)
            table.append([c.section, c.name, c.snippet, c.field, c.start, c.end])
        return i

    header = trial_to_dict(f.trial)
    header.pop("sections")
    out: dict[str, Any] = {
        "trial": header,
        "citations": {k: [ref(c) for c in v] for k, v in f.citations.items()},
        "routes": {k: ref(c) for k, c in f.routes.items()},
        "sources": {k: ref(c) for k, c in f.sources.items()},
        "doses": [[d, ref(c)] for d, c in f.doses],
        "placebo": ref(f.placebo) if f.placebo is not None else None,
        "has_arms": f.has_arms,
        "countries": {k: ref(c) for k, c in f.countries.items()},
        "cities": {k: ref(c) for k, c in f.cities.items()},
    }
    out["cites"] = table
    return out


class _Table:
    """A stored citation table; each citation is made when it is first wanted (a trial
    with a thousand sites has a thousand place citations that a question rarely reads)."""

    def __init__(self, rows: list[list[Any]], source: str) -> None:
        self.rows = rows
        self.source = source
        self.made: dict[int, Citation] = {}

    def __getitem__(self, i: int) -> Citation:
        c = self.made.get(i)
        if c is None:
            r = self.rows[i]
            c = self.made[i] = Citation(
                section=r[0], name=r[1], snippet=r[2], source=self.source, field=r[3], start=r[4], end=r[5]
            )
        return c


class _Cited(Mapping[str, Citation]):
    """Citations by key over a `_Table`, made on access."""

    def __init__(self, refs: dict[str, int], table: _Table) -> None:
        self.refs = refs
        self.table = table

    def __getitem__(self, key: str) -> Citation:
        return self.table[self.refs[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.refs)

    def __len__(self) -> int:
        return len(self.refs)

    def __contains__(self, key: object) -> bool:
        return key in self.refs


def facts_from_dict(d: dict[str, Any]) -> TrialFacts:
    """`TrialFacts` from `facts_to_dict` output (its trial has no sections)."""
    trial = trial_from_dict(d["trial"])
    cites = _Table(d["cites"], trial.source)
    placebo = d.get("placebo")
    return TrialFacts(
        trial,
        citations={k: [cites[i] for i in v] for k, v in d["citations"].items()},
        routes={k: cites[i] for k, i in d["routes"].items()},
        sources={k: cites[i] for k, i in d["sources"].items()},
        doses=[(text, cites[i]) for text, i in d["doses"]],
        placebo=cites[placebo] if placebo is not None else None,
        has_arms=bool(d["has_arms"]),
        countries=_Cited(d["countries"], cites),
        cities=_Cited(d["cities"], cites),
    )


class FactIndex:
    """Facts of every trial, extracted (or, with ``load``, read from the index) once per
    trial on first use."""

    def __init__(self, trials: dict[str, Trial], load: Callable[[str], TrialFacts] | None = None) -> None:
        self.trials = trials
        self._load = load or (lambda nct: extract(self.trials[nct]))
        self._facts: dict[str, TrialFacts] = {}
        self._lock = threading.Lock()  # each trial's facts are extracted once, whichever thread asks first

    def __getitem__(self, nct: str) -> TrialFacts:
        found = self._facts.get(nct)
        if found is None:
            with self._lock:
                found = self._facts.get(nct)
                if found is None:
                    found = self._facts[nct] = self._load(nct)
        return found
