"""Where a record's sponsor or sites are, when it states no country: the reviewed table
`index/text/vocabulary/places.tsv` of places ("Beijing", "Shaanxi") and institutions ("People's
Liberation Army", "Royan Institute") whose names lie in one country, and of the words a question
names a country's trials by ("Chinese sites").

`countries_named(text)` is the countries a sponsor or site line names that way (none when it
names no place of the table); `DEMONYMS` maps a question's word to the country it asks for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.facts.vocabulary import COUNTRIES, QUESTION_COUNTRIES

KINDS = ("place", "institution", "demonym")


@dataclass(frozen=True)
class Place:
    kind: str
    name: str
    country: str  # as location lists name it, lower case
    region: str | None = None  # a city's province or region ("Hainan" of "Haikou")


def parse_places(text: str) -> tuple[Place, ...]:
    """The rows of a places table; ValueError on a malformed row or a country not in the
    country table (demonyms: one a question may name)."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (3, 4) or fields[0] not in KINDS or not fields[1].strip():
            raise ValueError(f"places.tsv line {n}: want kind<TAB>name<TAB>country[<TAB>region], got {line!r}")
        kind, name, country = (f.strip() for f in fields[:3])
        region = fields[3].strip() if len(fields) == 4 and fields[3].strip() else None
        known = QUESTION_COUNTRIES if kind == "demonym" else COUNTRIES
        if country not in known:
            raise ValueError(f"places.tsv line {n}: {country!r} is not a country name")
        out.append(Place(kind, name, country, region))
    return tuple(out)


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    return parse_places(resources.files("index.text.vocabulary").joinpath("places.tsv").read_text("utf-8"))


def region_cities(region: str) -> list[str]:
    """The table's cities in the province or region ``region``, lower case."""
    return [p.name.lower() for p in places() if p.region is not None and p.region.lower() == region.lower()]


def in_region(city: str, region: str) -> bool:
    """Whether the table puts ``city`` in the province or region ``region`` (Haikou in Hainan)."""
    return any(_name_rx(name).fullmatch(city.strip()) for name in region_cities(region))


def _name_pattern(name: str) -> str:
    """A name as a pattern: words apart by any space, an apostrophe or hyphen optional."""
    parts = [re.escape(w) for w in re.split(r"\s+", name)]
    return r"\s+".join(parts).replace("'", "['’]?").replace("\\-", r"[-\s]?")


@lru_cache(maxsize=4096)
def _name_rx(name: str) -> re.Pattern[str]:
    """A name as a whole word, case-insensitive."""
    return re.compile(r"(?<!\w)" + _name_pattern(name) + r"(?!\w)", re.I)


@lru_cache(maxsize=1)
def _located() -> list[tuple[re.Pattern[str], str]]:
    return [(_name_rx(p.name), p.country) for p in places() if p.kind != "demonym"]


def countries_named(text: str) -> list[str]:
    """The countries whose places or institutions ``text`` names, in the table's order, each once."""
    out: list[str] = []
    for rx, country in _located():
        if country not in out and rx.search(text):
            out.append(country)
    return out


def names_place(text: str, name: str) -> bool:
    """Whether ``text`` names the place ``name`` as a whole word (as `countries_named` reads names)."""
    return _name_rx(name).search(text) is not None


@lru_cache(maxsize=1)
def city_pattern() -> str:
    """A regular expression (to compile case-insensitively) for a question's city or region of
    the table after "in" / "at" / "based in": "trials in Beijing"; group 1 is the name."""
    names = sorted((p.name for p in places() if p.kind == "place"), key=lambda n: (-len(n), n))
    return (
        r"\b(?:in|at|from|located\s+in|based\s+in|near)\s+(?:the\s+city\s+of\s+)?("
        + "|".join(_name_pattern(n) for n in names)
        + r")\b(?![\s-]*\d)"  # not a name's start ("in Beijing 302 Hospital")
    )


def place_name(spelling: str) -> str:
    """The table's name for a place a question spells so (a match of `city_pattern`)."""

    def key(name: str) -> str:
        return re.sub(r"[\s'’-]+", "", name.lower())

    return next((p.name for p in places() if p.kind == "place" and key(p.name) == key(spelling)), spelling)


def demonyms() -> dict[str, str]:
    """A question's word for a country's people (lower case) -> the country it asks for."""
    return {p.name.lower(): p.country for p in places() if p.kind == "demonym"}


def demonym_pattern() -> str:
    """A regular expression (to compile case-insensitively) for a country named by its people
    before what a trial has there: "Chinese sites", "Iranian trials", "the Iranian one"; group 1 is the demonym."""
    names = sorted(demonyms(), key=lambda d: (-len(d), d))
    return (
        r"\b(" + "|".join(re.escape(d) for d in names) + r")[\s-]+(?:trials?|stud(?:y|ies)|sites?|centres?|centers?"
        r"|hospitals?|locations?|sponsors?|institutions?|investigators?|teams?|programmes?|programs?|ones?)\b"
    )
