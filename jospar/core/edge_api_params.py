"""The API refuses a query parameter its schema does not document (400, naming it): what the
schema says an operation reads is all it reads, so the documentation cannot drift from the code.

The documented names come from the OpenAPI schema itself (drf-spectacular), built once per
process."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from django.http import HttpRequest

_PARAM = re.compile(r"\{[^/]+\}")
# One thread builds the schema; the others wait for it. drf-spectacular resolves its extensions'
# target classes by mutating class attributes as it goes, so two threads of a worker building
# the schema at once (a fresh gunicorn worker's first two API requests) could read one
# another's half-resolved state: one of them answered 500 in the ten-minute load run.
_BUILDING = threading.Lock()


def _operations() -> list[tuple[re.Pattern[str], str, frozenset[str]]]:
    with _BUILDING:
        return _built_operations()


@lru_cache(maxsize=1)
def _built_operations() -> list[tuple[re.Pattern[str], str, frozenset[str]]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    out = []
    for path, operations in schema.get("paths", {}).items():
        regex = re.compile(
            "^" + _PARAM.sub("[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        )
        for method, operation in operations.items():
            names = frozenset(
                p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"
            )
            out.append((regex, method.upper(), names))
    return out


def documented_query_params(request: HttpRequest) -> frozenset[str] | None:
    """The query parameters the schema documents for this request's operation; None when the
    schema has no such operation (a wrong method or path: the view answers that itself)."""
    for regex, method, names in _operations():
        if method == request.method and regex.match(request.path_info):
            return names
    return None


def unknown_query_params(request: HttpRequest) -> list[str]:
    names = documented_query_params(request)
    if names is None:
        return []
    return sorted({name for name in request.GET if name not in names})
