"""Addresses of citable strings: RFC 6901 JSON Pointers and XML element paths.

Readers build these addresses for every `Section`; the answer layer resolves them again to
verify that a cited snippet is verbatim (``resolve(...)[start:end] == section.text``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from index.errors import CorpusError
from index.model import Section


class LocateError(LookupError):
    """The address does not lead to a string in the given document."""


def load_json(text: str, source: str) -> object:
    """Parse a JSON file's text as readers do (one leading BOM dropped); CorpusError if bad."""
    body = text[1:] if text.startswith("\ufeff") else text
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(body.rstrip()) or exc.msg.startswith("Unterminated string")
        kind = "truncated JSON" if ends else "invalid JSON"
        where = f"line {exc.lineno} column {exc.colno}"
        raise CorpusError(source, f"{kind} at {where}: {exc.msg}") from None
    except RecursionError:
        raise CorpusError(source, "invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise CorpusError(source, f"invalid JSON: {exc}") from None


_DOCTYPE, _ENTITY = re.compile(r"<!DOCTYPE", re.I), re.compile(r"<!ENTITY", re.I)
_XML_EOF = {"no element found", "unclosed token", "unclosed CDATA section"}


def load_xml(text: str, source: str) -> ET.Element:
    """Parse an XML file's text as readers do; a DOCTYPE declaring entities is refused."""
    body = text[1:] if text.startswith("\ufeff") else text
    if _DOCTYPE.search(body) and _ENTITY.search(body):
        raise CorpusError(source, "XML declares entities (<!ENTITY ...>); refusing to expand them")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        msg = str(exc).split(":", 1)[0]
        kind = "truncated XML" if msg in _XML_EOF else "invalid XML"
        raise CorpusError(source, f"{kind} at line {line} column {column + 1}: {msg}") from None
    except (ValueError, RecursionError) as exc:
        raise CorpusError(source, f"invalid XML: {exc}") from None


def escape_token(token: str | int) -> str:
    """One JSON Pointer reference token: '~' -> '~0', '/' -> '~1'."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(base: str, *tokens: str | int) -> str:
    """Extend the JSON Pointer ``base`` ('' is the whole document) by ``tokens``."""
    return base + "".join("/" + escape_token(t) for t in tokens)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def resolve_json_pointer(doc: object, ptr: str) -> str:
    """The string value that ``ptr`` points at inside the parsed JSON ``doc``."""
    if ptr and not ptr.startswith("/"):
        raise LocateError(f"JSON Pointer {ptr!r} does not start with '/'")
    node = doc
    for raw in ptr.split("/")[1:] if ptr else []:
        token = _unescape(raw)
        if isinstance(node, dict):
            if token not in node:
                raise LocateError(f"JSON Pointer {ptr!r}: no member {token!r}")
            node = node[token]
        elif isinstance(node, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", token) or int(token) >= len(node):
                raise LocateError(f"JSON Pointer {ptr!r}: no array element {token!r}")
            node = node[int(token)]
        else:
            raise LocateError(f"JSON Pointer {ptr!r}: {token!r} is below a scalar")
    if not isinstance(node, str):
        raise LocateError(f"JSON Pointer {ptr!r} leads to {type(node).__name__}, not a string")
    return node


_STEP = re.compile(r"([^/\[\]]+)(?:\[([1-9][0-9]*)\])?")


def xml_step(tag: str, position: int, count: int) -> str:
    """One path step: ``tag``, or ``tag[position]`` (1-based) among ``count`` > 1 siblings."""
    return f"{tag}[{position}]" if count > 1 else tag


def resolve_xml_element(root: ET.Element, path: str) -> ET.Element:
    """The element at ``path`` (``/clinical_study/arm_group[2]/description``) under ``root``."""
    steps = path.split("/")
    if len(steps) < 2 or steps[0]:
        raise LocateError(f"XML path {path!r} does not start with '/'")
    node: ET.Element | None = None
    for step in steps[1:]:
        m = _STEP.fullmatch(step)
        if not m:
            raise LocateError(f"XML path {path!r}: bad step {step!r}")
        tag, index = m.group(1), m.group(2)
        if node is None:
            if tag != root.tag or index not in (None, "1"):
                raise LocateError(f"XML path {path!r}: root element is <{root.tag}>")
            node = root
            continue
        same = [child for child in node if child.tag == tag]
        if index is None and len(same) != 1:
            what = "no" if not same else f"{len(same)}"
            raise LocateError(f"XML path {path!r}: {what} <{tag}> under <{node.tag}>")
        pos = int(index) if index else 1
        if pos > len(same):
            raise LocateError(f"XML path {path!r}: no <{tag}> number {pos}")
        node = same[pos - 1]
    assert node is not None
    return node


def resolve_xml_path(root: ET.Element, path: str) -> str:
    """The text (``element.text``, unstripped) of the element at ``path``."""
    text = resolve_xml_element(root, path).text
    if text is None:
        raise LocateError(f"XML path {path!r} leads to an element without text")
    return text


def section_matches(value: str, section: Section) -> bool:
    """Does ``section.text`` sit exactly at ``[start:end]`` of the resolved ``value``?"""
    return 0 <= section.start <= section.end <= len(value) and (value[section.start : section.end] == section.text)


def resolver(text: str, source: str) -> Callable[[str], str]:
    """Address -> string for one file's text: XML element paths when the text is XML,
    JSON Pointers otherwise. The document is parsed once, as the readers parse it."""
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        root = load_xml(text, source)
        return lambda path: resolve_xml_path(root, path)
    doc = load_json(text, source)
    return lambda ptr: resolve_json_pointer(doc, ptr)


def misplaced(text: str, source: str, sections: Iterable[Section]) -> list[Section]:
    """The sections whose text is not exactly at their address in ``text`` (the decoded
    file). Sections without a field are offsets into ``text`` itself."""
    resolve: Callable[[str], str] | None = None
    bad: list[Section] = []
    for sec in sections:
        if sec.field is None:
            value: str | None = text
        else:
            resolve = resolve or resolver(text, source)
            try:
                value = resolve(sec.field)
            except LocateError:
                value = None
        if value is None or not section_matches(value, sec):
            bad.append(sec)
    return bad
