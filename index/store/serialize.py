"""Trials and chunks to and from plain JSON-able dicts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from index.model import Age, Section, Trial
from index.text.chunk import Chunk


def trial_to_dict(t: Trial) -> dict[str, Any]:
    return asdict(t)


def trial_from_dict(d: dict[str, Any]) -> Trial:
    def age(v: dict[str, Any] | None) -> Age | None:
        return Age(float(v["value"]), str(v["unit"])) if v else None

    tuples = ("phases", "conditions", "interventions", "locations", "warnings", "also_sources")
    fields: dict[str, Any] = {k: v for k, v in d.items() if k not in ("sections", "min_age", "max_age", *tuples)}
    fields.update({k: tuple(d.get(k) or ()) for k in tuples})
    return Trial(
        **fields,
        sections=tuple(Section(**s) for s in d.get("sections", ())),
        min_age=age(d.get("min_age")),
        max_age=age(d.get("max_age")),
    )


def chunk_to_dict(c: Chunk) -> dict[str, Any]:
    return asdict(c)


def chunk_from_dict(d: dict[str, Any]) -> Chunk:
    return Chunk(**d)
