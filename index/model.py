"""The trial model every reader produces: a `Trial` with ordered, exactly-located `Section`s;
and `RowMap`, stored records (trials, citations) by key, each made when first wanted."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

V = TypeVar("V")

# A ClinicalTrials.gov identifier anywhere in text.
NCT_RE = re.compile(r"\bNCT\d{8}\b")

# The one vocabulary of canonical section names shared by every format.
SECTION_NAMES: tuple[str, ...] = (
    "title",
    "official_title",
    "summary",
    "description",
    "conditions",
    "keywords",
    "interventions",
    "arms",
    "eligibility",
    "eligibility_inclusion",
    "eligibility_exclusion",
    "eligibility_summary",
    "design",
    "outcomes_primary",
    "outcomes_secondary",
    "outcomes_other",
    "enrollment",
    "status",
    "phase",
    "sponsor",
    "collaborators",
    "locations",
    "contacts",
    "dates",
    "identifiers",
    "references",
    "notes",
)

# The registry's MeSH indexing of a record (`Trial.mesh`): the MeSH headings of its conditions
# and interventions, and their ancestors in the MeSH tree, each a verbatim, located string.
MESH_NAMES: dict[str, str] = {
    "condition_mesh": "Condition MeSH term",
    "condition_ancestor": "Condition MeSH ancestor",
    "intervention_mesh": "Intervention MeSH term",
    "intervention_ancestor": "Intervention MeSH ancestor",
}


@dataclass(frozen=True)
class Section:
    """One stretch of citable text.

    Location rules (so that any snippet can be verified against its source):
    - text sources: ``field`` is None and ``text == source_text[start:end]``, where
      ``source_text`` is the file decoded as UTF-8;
    - JSON sources: ``field`` is the RFC 6901 JSON Pointer of a string value and
      ``text == value[start:end]``;
    - XML sources: ``field`` is the element path (``/clinical_study/arm_group[2]/description``,
      1-based positions among same-named siblings, only where there are several) and
      ``text == element.text[start:end]``.
    """

    name: str
    heading: str
    text: str
    start: int
    end: int
    field: str | None = None


@dataclass(frozen=True)
class Age:
    value: float
    unit: str  # "years", "months", "weeks", "days", "hours", "minutes"

    _PER_YEAR: ClassVar[dict[str, float]] = {
        "years": 1.0,
        "months": 12.0,
        "weeks": 52.1775,
        "days": 365.25,
        "hours": 8766.0,
        "minutes": 525960.0,
    }

    @property
    def years(self) -> float:
        return round(self.value / self._PER_YEAR[self.unit], 4)


@dataclass(frozen=True)
class Trial:
    nct_id: str
    title: str
    source: str
    format: str
    sections: tuple[Section, ...] = ()
    sponsor: str | None = None
    status: str | None = None
    phases: tuple[str, ...] = ()
    study_type: str | None = None
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    enrollment: int | None = None
    sex: str | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    allocation: str | None = None
    masking: str | None = None
    intervention_model: str | None = None
    locations: tuple[str, ...] = ()
    last_update: str | None = None
    mesh: tuple[Section, ...] = ()  # MeSH terms and ancestors (`MESH_NAMES`), as the registry gives them
    warnings: tuple[str, ...] = ()
    also_sources: tuple[str, ...] = field(default=())

    @property
    def url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}"

    @property
    def min_age_years(self) -> float | None:
        return self.min_age.years if self.min_age else None

    @property
    def max_age_years(self) -> float | None:
        return self.max_age.years if self.max_age else None

    def sections_named(self, name: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.name == name)

    def mesh_named(self, name: str) -> tuple[Section, ...]:
        """The MeSH strings of one kind (a key of `MESH_NAMES`), in record order."""
        return tuple(s for s in self.mesh if s.name == name)


def trial_to_dict(t: Trial) -> dict[str, Any]:
    """The trial as plain JSON-able data (how an index stores it)."""
    return asdict(t)


def trial_from_dict(d: dict[str, Any]) -> Trial:
    def age(v: dict[str, Any] | None) -> Age | None:
        return Age(float(v["value"]), str(v["unit"])) if v else None

    tuples = ("phases", "conditions", "interventions", "locations", "warnings", "also_sources")
    located = ("sections", "mesh")
    fields: dict[str, Any] = {k: v for k, v in d.items() if k not in (*located, "min_age", "max_age", *tuples)}
    listed: dict[str, Any] = {k: tuple(d.get(k) or ()) for k in tuples}
    return Trial(
        **fields,
        **listed,
        sections=tuple(Section(**s) for s in d.get("sections", ())),
        mesh=tuple(Section(**s) for s in d.get("mesh", ())),
        min_age=age(d.get("min_age")),
        max_age=age(d.get("max_age")),
    )


class RowMap(Mapping[str, V], Generic[V]):
    """Values by key, in the order of ``rows`` (key → row): ``at(row)`` gives a key's value
    when it is asked for (``at`` keeps what it makes where making it costs)."""

    def __init__(self, rows: Mapping[str, int], at: Callable[[int], V]) -> None:
        self.rows = rows
        self.at = at

    def __getitem__(self, key: str) -> V:
        return self.at(self.rows[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, key: object) -> bool:
        return key in self.rows


class LazyTrials(RowMap[Trial]):
    """Trials by NCT ID in index order, each made from its stored record (``record(row)``, the
    form `trial_to_dict` gives) the first time it is read, then kept."""

    def __init__(self, ids: Sequence[str], record: Callable[[int], dict[str, Any]]) -> None:
        self.ids = list(ids)
        self.order = {nct: i for i, nct in enumerate(self.ids)}
        self._record = record
        self._parsed: dict[str, Trial] = {}
        super().__init__(self.order, self._trial)

    def _trial(self, row: int) -> Trial:
        nct_id = self.ids[row]
        t = self._parsed.get(nct_id)
        if t is None:
            t = trial_from_dict(self._record(row))
            self._parsed[nct_id] = t  # a race parses twice and keeps one: harmless
        return t
