"""A client that knows only the GeoReport v2 specification, not jospar.

It reads XML with ``xml.etree`` and JSON with ``json`` and gives both as the same plain data,
following the specification's own mapping (the Spark convention): a container element
(``services``, ``service_requests``, ``attributes``, ``values``, ``endpoints``, ``formats``,
``errors``) is a list, any other element with children a dict, an empty element ``None``.
Scalars come as the strings XML carries; JSON scalars are written the same way
(``true``/``false``, numbers as JSON prints them) so that the two formats compare equal.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

from django.test import Client

CONTAINERS = {
    "services",
    "service_requests",
    "attributes",
    "values",
    "endpoints",
    "formats",
    "errors",
}
BASE = "/open311/v2"


def _element(node: ET.Element) -> Any:
    children = list(node)
    if node.tag in CONTAINERS:
        return [_element(child) for child in children]
    if children:
        return {child.tag: _element(child) for child in children}
    return node.text if node.text not in (None, "") else None


def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_scalar(v) for v in value]
    if isinstance(value, dict):
        return {k: _scalar(v) for k, v in value.items()}
    if value is None or value == "":
        return None
    return json.dumps(value) if isinstance(value, int | float) else str(value)


class Response:
    def __init__(self, status: int, fmt: str, content_type: str, body: bytes, headers: Any):
        self.status = status
        self.fmt = fmt
        self.content_type = content_type
        self.body = body
        self.headers = headers
        if fmt == "xml":
            assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), body[:80]
            root = ET.fromstring(body)
            self.root = root.tag
            self.data = _element(root)
            self.raw = self.data
        else:
            self.root = ""
            self.raw = json.loads(body.decode("utf-8"))
            self.data = _scalar(self.raw)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class SpecClient:
    def __init__(self, client: Client | None = None) -> None:
        self.client = client or Client()

    def _wrap(self, response: Any, fmt: str) -> Response:
        content_type = response.get("Content-Type", "")
        expected = "text/xml" if fmt == "xml" else "application/json"
        assert content_type.startswith(expected), content_type
        assert "charset=utf-8" in content_type.lower()
        return Response(response.status_code, fmt, content_type, response.content, response)

    def get(
        self,
        resource: str,
        fmt: str,
        query: str | dict[str, Any] = "",
        headers: dict[str, str] | None = None,
    ) -> Response:
        qs = query if isinstance(query, str) else urlencode(query, doseq=True)
        url = f"{BASE}/{resource}.{fmt}" + (f"?{qs}" if qs else "")
        return self._wrap(self.client.get(url, headers=headers), fmt)

    def post(
        self,
        resource: str,
        fmt: str,
        data: dict[str, Any] | list[tuple[str, Any]] | bytes,
        *,
        multipart: bool = False,
        content_type: str = "application/x-www-form-urlencoded; charset=utf-8",
        query: str = "",
    ) -> Response:
        url = f"{BASE}/{resource}.{fmt}" + (f"?{query}" if query else "")
        if multipart:
            assert isinstance(data, dict)
            response = self.client.post(url, data)
        else:
            body = data if isinstance(data, bytes) else urlencode(data, doseq=True).encode()
            response = self.client.generic("POST", url, body, content_type=content_type)
        return self._wrap(response, fmt)

    def both(self, resource: str, query: str | dict[str, Any] = "") -> tuple[Response, Response]:
        """The same call in XML and JSON, checked to say the same thing."""
        xml, js = self.get(resource, "xml", query), self.get(resource, "json", query)
        assert xml.status == js.status, (xml.status, js.status)
        assert xml.data == js.data, (xml.data, js.data)
        return xml, js
