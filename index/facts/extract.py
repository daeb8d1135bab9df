"""A trial's structured facts, each with the exact text that states it.

Facts come from the `Trial` fields the readers parsed (status, phases, ages, ...) and
from its text (route of administration, cell source, placebo arms, cell doses); every
fact carries a `Citation` pointing at the section line or sentence that states it, so a
fact answer is cited like any snippet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from index.corpus.readers.normalize import norm_phase, norm_status
from index.facts.dose_count import GIVING, Count, stated_count
from index.facts.follow_up import FOLLOW, stated_days, time_frame_days
from index.facts.places import countries_named
from index.facts.scores import MENTION
from index.facts.vocabulary import TEXT_TERMS, Term, is_country
from index.model import Section, Trial
from index.results import Citation
from index.text.sentences import spans, strip_bullet

_TEXT_SECTIONS = ("arms", "interventions", "description", "summary", "title", "official_title")
_ELIGIBILITY = ("eligibility_summary", "eligibility")
_DESIGN_KEYS = (
    ("allocation", ("allocation",)),
    ("masking", ("masking", "blind")),
    ("intervention_model", ("model",)),
    ("study_type", ("study type",)),
)
# An arm's type as a line of its arms section states it ("Active Comparator group", "No Intervention").
_ARM_TYPE = re.compile(
    r"(?:arm\s+type\s*:\s*)?(?P<type>experimental|active[\s_]comparator|placebo[\s_]comparator|sham[\s_]comparator"
    r"|no[\s_]intervention)(?:\s+(?:group|arm))?",
    re.I,
)
_CRITERIA = {"eligibility_inclusion": "child_pugh", "eligibility_exclusion": "child_pugh_excluded"}
_TIE_ORDER = {t.name: i for i, t in enumerate(TEXT_TERMS)}


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
    follow_up: tuple[float, Citation] | None = None  # days, and the sentence or time frame that states it
    dose_counts: list[tuple[Count, Citation]] = field(default_factory=list)  # how many times, each as stated

    def cite(self, key: str) -> list[Citation]:
        return self.citations.get(key, [])


def _states_model(trial: Trial, key: str, line: str) -> bool:
    """A design line under another heading that states the intervention model ("Study
    Design: SINGLE_GROUP" on a MedPath page)."""
    model = trial.intervention_model
    return key == "intervention_model" and model is not None and line.replace("_", " ").strip().lower() == model.lower()


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
    """Each non-blank line of the section as (start, end), trimmed and without its bullet."""
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


class _Collector:
    """The facts of one trial as they are found, section by section."""

    def __init__(self, trial: Trial) -> None:
        self.trial = trial
        self.countries: dict[str, Citation] = {}
        self.cities: dict[str, Citation] = {}
        self.facts = TrialFacts(trial, countries=self.countries, cities=self.cities)

    def add(self, key: str, sec: Section, s: int, e: int) -> None:
        """Cite the span for ``key``, unless the same text of the same section is cited already."""
        c = cite(self.trial, sec, s, e)
        have = self.facts.citations.get(key, [])
        if all(x.snippet != c.snippet or x.section != c.section for x in have):
            self.facts.citations.setdefault(key, []).append(c)

    def field_section(self, sec: Section) -> None:
        """Facts the readers parsed into fields, cited from the section line that states them."""
        lines = section_lines(sec)
        if sec.name in ("status", "phase"):
            self.status_and_phase(sec, lines)
        if not lines:
            return
        if sec.name in _ELIGIBILITY and _heading(sec, "age"):
            self.add("age", sec, *lines[0])
        if sec.name in _ELIGIBILITY and _heading(sec, "sex", "gender"):
            self.add("sex", sec, *lines[0])
        if sec.name == "enrollment":
            self.add("enrollment", sec, *lines[0])
        if sec.name == "design":
            for key, words in _DESIGN_KEYS:
                if _heading(sec, *words) or _states_model(self.trial, key, sec.text[slice(*lines[0])]):
                    self.add(key, sec, *lines[0])
        if sec.name == "locations":
            self.places(sec, lines)

    def arm_types(self, sec: Section) -> None:
        """Lines that state an arm's type: a control arm (comparator, placebo, sham, no
        intervention) under "control_arm", an experimental one under "experimental_arm"."""
        for s, e in section_lines(sec):
            m = _ARM_TYPE.fullmatch(sec.text, s, e)
            if m:
                experimental = m.group("type").lower() == "experimental"
                self.add("experimental_arm" if experimental else "control_arm", sec, s, e)

    def status_and_phase(self, sec: Section, lines: list[tuple[int, int]]) -> None:
        for s, e in lines:
            line = sec.text[s:e]
            if self.trial.status and norm_status(line) == self.trial.status:
                self.add("status", sec, s, e)
            if norm_phase(line) or "phase" in line.lower():
                self.add("phase", sec, s, e)

    def places(self, sec: Section, lines: list[tuple[int, int]]) -> None:
        """Each comma-separated part of a location line names a city (or a country), cited by its line."""
        for s, e in lines:
            for part in re.split(r",\s*", sec.text[s:e]):
                key = part.strip().lower()
                if key and key not in self.countries and is_country(key):
                    self.countries[key] = cite(self.trial, sec, s, e)
                if key and key not in self.cities:
                    self.cities[key] = cite(self.trial, sec, s, e)

    def placed_by_name(self) -> None:
        """A record that states no country: the countries its sponsor, collaborator and site
        lines place it in by a place or institution they name ("Beijing 302 Hospital", "Air
        Force Military Medical University of People's Liberation Army"), each cited by the
        first line that names it."""
        for sec in self.trial.sections:
            if sec.name not in _NAMED_BY:
                continue
            for s, e in section_lines(sec):
                for country in countries_named(sec.text[s:e]):
                    if country not in self.countries:
                        self.countries[country] = cite(self.trial, sec, s, e)


_NAMED_BY = ("sponsor", "collaborators", "locations")
_FIELD_SECTIONS = ("status", "phase", *_ELIGIBILITY, "enrollment", "design", "locations")


def extract(trial: Trial) -> TrialFacts:
    got = _Collector(trial)
    for sec in trial.sections:
        if sec.name in ("arms", "interventions"):
            got.facts.has_arms = True
        if sec.name == "conditions":  # each line, for condition constraints to cite
            for s, e in section_lines(sec):
                got.add("conditions", sec, s, e)
        elif sec.name in _TEXT_SECTIONS:
            _text_facts(trial, sec, got.facts)
            if sec.name == "arms":
                got.arm_types(sec)
        elif sec.name in _FIELD_SECTIONS:
            got.field_section(sec)
        if sec.name in _CRITERIA:  # Child-Pugh lines, for score constraints to read and cite
            for s, e in section_lines(sec):
                if MENTION.search(sec.text, s, e):
                    got.add(_CRITERIA[sec.name], sec, s, e)
    if not got.countries:
        got.placed_by_name()
    f = got.facts
    if trial.min_age is None and trial.max_age is None:
        f.citations.pop("age", None)
    _age_from_criteria(trial, f)
    f.follow_up = _follow_up(trial)
    f.dose_counts = _dose_counts(trial)
    return f


_FOLLOW_SECTIONS = ("summary", "description", "arms", "interventions", "design")
_DOSE_SECTIONS = (("arms", "interventions"), ("description", "summary", "title", "official_title"))


def _sentences(sec: Section) -> list[tuple[int, int]]:
    return [(strip_bullet(sec.text, a, b), b) for a, b in spans(sec.text)]


def _follow_up(trial: Trial) -> tuple[float, Citation] | None:
    """The longest follow-up the trial states: in a sentence about following patients, or as
    an outcome's time frame; the first sentence that states it is cited."""
    best: tuple[float, Citation] | None = None
    for sec in trial.sections:
        frame = sec.name.startswith("outcomes_") and "time" in sec.heading.lower()
        if not frame and (sec.name not in _FOLLOW_SECTIONS or not FOLLOW.search(sec.text)):
            continue
        for a, b in [(0, len(sec.text))] if frame else _sentences(sec):
            days = time_frame_days(sec.text[a:b]) if frame else stated_days(sec.text[a:b])
            if days is not None and (best is None or days > best[0]):
                best = days, cite(trial, sec, *_trimmed(sec.text, a, b))
    return best


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _dose_counts(trial: Trial) -> list[tuple[Count, Citation]]:
    """How many times the treatment is given, each count as a sentence states it: from the arms
    and interventions, or, when they state none, from the descriptions and titles."""
    for names in _DOSE_SECTIONS:
        found: list[tuple[Count, Citation]] = []
        for sec in trial.sections:
            if sec.name not in names or not GIVING.search(sec.text):
                continue
            for a, b in _sentences(sec):
                n = stated_count(sec.text[a:b])
                if n is not None and all(n != x for x, _ in found):
                    found.append((n, cite(trial, sec, a, b)))
        if found:
            return found
    return []


def _wanted(term: Term, sec: Section, f: TrialFacts) -> bool:
    """Whether a match of ``term`` in ``sec`` still adds a fact."""
    if term.kind == "dose":
        return sec.name not in ("title", "official_title")
    if term.kind == "placebo":
        return f.placebo is None and sec.name in ("arms", "interventions")
    return term.name not in (f.routes if term.kind == "route" else f.sources)


def _text_facts(trial: Trial, sec: Section, f: TrialFacts) -> None:
    """Routes, cell sources, placebo arms and cell doses stated in a text section; each
    cites the sentence it stands in. Cheap keyword checks decide which patterns run."""
    low = sec.text.lower()
    terms = [t for t in TEXT_TERMS if any(w in low for w in t.keywords)]
    if not terms:
        return
    found = sorted(
        ((m.start(), _TIE_ORDER[t.name], t, m) for t in terms for m in t.pattern.finditer(sec.text)),
        key=lambda x: x[:2],
    )
    sentences: list[tuple[int, int]] | None = None
    for _, _, term, m in found:
        if not _wanted(term, sec, f):
            continue
        if sentences is None:
            sentences = [(strip_bullet(sec.text, a, b), b) for a, b in spans(sec.text)]
        a, b = next(((a, b) for a, b in sentences if a <= m.start() < b), (m.start(), m.end()))
        where = cite(trial, sec, a, b)
        if term.kind == "dose":
            f.doses.append((m.group(0).strip(), where))
        elif term.kind == "placebo":
            f.placebo = where
        elif term.kind == "route":
            f.routes[term.name] = where
        else:
            f.sources[term.name] = where


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
