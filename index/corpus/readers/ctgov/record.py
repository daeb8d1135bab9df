"""One ClinicalTrials.gov record as the shared builder sees it: format-neutral keys.

A reader's `Accessor` reads its own document through its own paths; a layout maps the
builder's keys (``"brief_title"``, ``"arms"``, ``"arm_label"``, ...) onto those paths, and
`RecordView` joins the two so the builder asks for keys only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

Found = tuple[str, str]  # a string value and its address (JSON Pointer or XML path)
Node = tuple[Any, str]  # any value and its address


class Accessor(Protocol):
    """Reads one record through a format's paths; ``base`` is an item from ``items``."""

    def text(self, path: Any, base: Any = None) -> Found | None: ...
    def texts(self, path: Any, base: Any = None) -> list[Found]: ...
    def items(self, path: Any, base: Any = None) -> list[Any]: ...
    def node(self, path: Any, base: Any = None) -> Node | None: ...


class RecordView:
    """An accessor seen through a layout: keys missing from the layout read as absent."""

    def __init__(self, acc: Accessor, layout: Mapping[str, Any]) -> None:
        self.acc, self.layout = acc, layout

    def text(self, k: str, base: Any = None) -> Found | None:
        path = self.layout.get(k)
        return None if path is None else self.acc.text(path, base)

    def texts(self, k: str, base: Any = None) -> list[Found]:
        path = self.layout.get(k)
        return [] if path is None else self.acc.texts(path, base)

    def items(self, k: str) -> list[Any]:
        path = self.layout.get(k)
        return [] if path is None else self.acc.items(path)

    def node(self, k: str) -> Node | None:
        path = self.layout.get(k)
        return None if path is None else self.acc.node(path)

    def value(self, k: str, base: Any = None) -> str | None:
        """The stripped string at ``k``; None when absent, not a string, or blank."""
        found = self.text(k, base)
        return (found[0].strip() or None) if found else None
