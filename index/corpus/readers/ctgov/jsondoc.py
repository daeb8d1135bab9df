"""Reading parsed JSON records: members by name (case-insensitively), lists of records
with their JSON Pointers, and what a wrong-typed value is called in a message."""

from __future__ import annotations

from index.corpus.readers.ctgov.record import Node
from index.corpus.readers.locate import pointer
from index.errors import CorpusError


def json_kind(value: object) -> str:
    """'an object', 'a list', 'a string', 'a boolean', 'a number' or 'null'."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "null")


def key(obj: object, name: str) -> str | None:
    """The member of ``obj`` called ``name``, matched case-insensitively (exact first)."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return name
    low = name.lower()
    return next((k for k in obj if k.lower() == low), None)


def member(node: Node, name: str) -> Node | None:
    """The member ``name`` of the node's value with its pointer, or None."""
    obj, ptr = node
    k = key(obj, name)
    return (obj[k], pointer(ptr, k)) if k is not None else None


def listed(items: list[object], base: str = "") -> list[Node]:
    """Each item of a JSON list with its pointer below ``base``."""
    return [(item, pointer(base, i)) for i, item in enumerate(items)]


def wrapped(doc: dict[str, object], wrapper: str, inner: str, source: str, empty: str) -> list[Node]:
    """The records of ``doc[wrapper][inner]`` (``{"StudyFieldsResponse": {"StudyFields":
    [...]}}``); CorpusError with reason ``empty`` when that is not a non-empty list."""
    resp = doc[wrapper]
    name = key(resp, inner)
    items = resp[name] if isinstance(resp, dict) and name is not None else None
    if name is None or not isinstance(items, list) or not items:
        raise CorpusError(source, empty)
    return listed(items, pointer("", wrapper, name))
