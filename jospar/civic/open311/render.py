"""Open311 documents in XML (required by the specification) and JSON (its Spark mapping).

A response is built once as plain data and written in either format:

- a ``dict`` is an element with child elements (a JSON object);
- ``Many(tag, items)`` is a container whose children are all ``<tag>`` (a JSON array, even with
  one item or none: the Spark convention);
- scalars: ``None`` and ``""`` are an empty element (``null`` in JSON), booleans ``true`` and
  ``false``, numbers as they are, strings escaped.

XML carries the declaration with ``encoding="utf-8"`` and is served as ``text/xml``; JSON as
``application/json``; both with ``charset=utf-8``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
FORMATS = ("xml", "json")
# Characters XML 1.0 does not allow at all; a citizen's text may carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Many:
    tag: str
    items: Sequence[Any]
    # Items are flat records whose empty values are already ``None``: JSON takes them as
    # they are (the request lists: a thousand records need no walk).
    flat: bool = False


def _xml_scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return escape(_XML_INVALID.sub("", str(value)))


def _xml(tag: str, value: Any, out: list[str]) -> None:
    if isinstance(value, Many):
        if not value.items:
            out.append(f"<{tag}/>")
            return
        out.append(f"<{tag}>")
        for item in value.items:
            _xml(value.tag, item, out)
        out.append(f"</{tag}>")
    elif isinstance(value, dict):
        out.append(f"<{tag}>")
        for key, child in value.items():
            _xml(key, child, out)
        out.append(f"</{tag}>")
    else:
        text = _xml_scalar(value)
        out.append(f"<{tag}>{text}</{tag}>" if text else f"<{tag}/>")


def to_xml(root: str, body: Any) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _xml(root, body, out)
    out.append("\n")
    return "".join(out)


def _plain(value: Any) -> Any:
    if isinstance(value, Many):
        if value.flat:
            return value.items
        return [_plain(item) for item in value.items]
    if isinstance(value, dict):
        if not any(isinstance(child, Many | dict) for child in value.values()):
            # A flat record (every request of a list): no recursion per field.
            return {key: None if child == "" else child for key, child in value.items()}
        return {key: _plain(child) for key, child in value.items()}
    if value == "":
        return None
    return value


def to_json(body: Any) -> str:
    return json.dumps(_plain(body), ensure_ascii=False, separators=(",", ":"))


def render(fmt: str, root: str, body: Any, status: int = 200) -> HttpResponse:
    """``root`` names the XML root element; JSON has no root (an array or an object)."""
    if fmt == "json":
        return HttpResponse(to_json(body).encode("utf-8"), content_type=JSON_TYPE, status=status)
    return HttpResponse(to_xml(root, body).encode("utf-8"), content_type=XML_TYPE, status=status)


def render_errors(fmt: str, status: int, errors: Sequence[tuple[int | str, str]]) -> HttpResponse:
    """The specification's error document: ``errors/error`` with ``code`` and ``description``."""
    body = Many("error", [{"code": code, "description": str(text)} for code, text in errors])
    return render(fmt, "errors", body, status=status)
