"""Chunks: pieces of one section, never spanning two, each with its exact location.

A long section is split at sentence or list-item boundaries into pieces of at most
`MAX_CHARS` (a single longer sentence stays whole). The text that is indexed adds the
section heading and a few words naming the field (so "exclude" finds exclusion criteria),
while the chunk's own text and location stay verbatim for citation.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from index.model import Section, Trial
from index.text.sentences import spans

MAX_CHARS = 600

# Words that name what a field is about, in the words people ask with.
FIELD_WORDS: dict[str, str] = {
    "title": "title",
    "official_title": "official title",
    "summary": "summary",
    "description": "description",
    "conditions": "conditions disease",
    "keywords": "keywords",
    "interventions": "intervention treatment",
    "arms": "arm group intervention treatment",
    "eligibility": "eligibility criteria",
    "eligibility_inclusion": "inclusion criteria include required eligible",
    "eligibility_exclusion": "exclusion criteria exclude excluded",
    "eligibility_summary": "eligibility",
    "design": "study design",
    "outcomes_primary": "primary outcome measure endpoint",
    "outcomes_secondary": "secondary outcome measure endpoint",
    "outcomes_other": "other outcome measure",
    "enrollment": "enrollment enrolled participants patients number",
    "status": "status",
    "phase": "phase",
    "sponsor": "sponsor",
    "collaborators": "collaborator",
    "locations": "location site located where",
    "contacts": "contact investigator",
    "dates": "date",
    "identifiers": "identifier",
    "references": "reference publication",
    "notes": "notes",
}


@dataclass(frozen=True)
class Chunk:
    nct_id: str
    section: str  # canonical section name
    heading: str
    text: str
    source: str
    field: str | None
    start: int
    end: int

    @property
    def index_text(self) -> str:
        """What BM25 indexes: heading, field words and the verbatim text."""
        return f"{self.heading}. {FIELD_WORDS.get(self.section, '')}. {self.text}"

    @property
    def embed_text(self) -> str:
        """What is embedded: the heading gives the sentence its context."""
        return f"{self.heading}: {self.text}"

    @property
    def key(self) -> str:
        """Content hash used by the embedding cache."""
        return hashlib.sha1(self.embed_text.encode("utf-8")).hexdigest()


def chunk_trial(trial: Trial, max_chars: int = MAX_CHARS) -> list[Chunk]:
    out: list[Chunk] = []
    for sec in trial.sections:
        out.extend(chunk_section(trial, sec, max_chars))
    return out


def chunk_section(trial: Trial, sec: Section, max_chars: int = MAX_CHARS) -> list[Chunk]:
    if len(sec.text) <= max_chars:
        return [_make(trial, sec, 0, len(sec.text))]
    pieces: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for s, e in spans(sec.text):
        if cur is None:
            cur = (s, e)
        elif e - cur[0] <= max_chars:
            cur = (cur[0], e)
        else:
            pieces.append(cur)
            cur = (s, e)
    if cur is not None:
        pieces.append(cur)
    return [_make(trial, sec, s, e) for s, e in pieces]


def _make(trial: Trial, sec: Section, s: int, e: int) -> Chunk:
    return Chunk(
        nct_id=trial.nct_id,
        section=sec.name,
        heading=sec.heading,
        text=sec.text[s:e],
        source=trial.source,
        field=sec.field,
        start=sec.start + s,
        end=sec.start + e,
    )


def chunk_to_dict(c: Chunk) -> dict[str, Any]:
    """The chunk as plain JSON-able data (how an index stores it)."""
    return asdict(c)


def chunk_from_dict(d: dict[str, Any]) -> Chunk:
    return Chunk(**d)
