"""A flat accessor for the shared record builder: each layout key is a member of a dict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from index.corpus.readers.ctgov.record import Found, Node, RecordView


class Flat:
    """Paths are member names of a dict; an item of a list is a dict of its own."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def _get(self, path: str, base: Any) -> Any:
        return (base if base is not None else self.doc).get(path)

    def text(self, path: str, base: Any = None) -> Found | None:
        value = self._get(path, base)
        return (value, f"/{path}") if isinstance(value, str) else None

    def texts(self, path: str, base: Any = None) -> list[Found]:
        value = self._get(path, base)
        return [(v, f"/{path}/{i}") for i, v in enumerate(value or []) if isinstance(v, str)]

    def items(self, path: str, base: Any = None) -> list[Any]:
        value = self._get(path, base)
        return value if isinstance(value, list) else []

    def node(self, path: str, base: Any = None) -> Node | None:
        value = self._get(path, base)
        return None if value is None else (value, f"/{path}")


KEYS = [
    "nct_id", "aliases", "acronym", "org_study_id", "brief_title", "official_title", "summary", "description",
    "conditions", "keywords", "interventions", "iv_type", "iv_name", "iv_description", "iv_other_names", "arms",
    "arm_label", "arm_description", "criteria", "study_population", "sex", "min_age", "max_age", "study_type",
    "study_design", "allocation", "model", "masking", "primary_outcomes", "primary_measure", "primary_description",
    "primary_time_frame", "enrollment", "status", "phases", "sponsor", "collaborators", "collaborator_name",
    "locations", "facility", "city", "state", "country", "officials", "official_name", "start_date", "last_update",
    "references", "citation",
]  # fmt: skip
LAYOUT = {k: k for k in KEYS}


@pytest.fixture
def flat() -> Callable[[dict[str, Any]], RecordView]:
    """``flat(doc)``: a RecordView over a flat dict through the identity layout."""
    return lambda doc: RecordView(Flat(doc), LAYOUT)


@pytest.fixture
def flat_accessor() -> Callable[[dict[str, Any]], Flat]:
    return Flat


@pytest.fixture
def layout() -> dict[str, str]:
    return dict(LAYOUT)
