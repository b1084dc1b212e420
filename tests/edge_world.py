"""What the edge tests request: every URL pattern of the project filled with hostile values, and
a small world (a plan with obligations and a report, a citizen's report, people) so that a
request with a real id reaches the code behind the access check."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

HOSTILE_IDS = ("abc", "²", "-1", "0", "9223372036854775808", "99999999999999999999", "a\x00b")
HOSTILE_VALUES = (
    "\x00",
    "a\x00b",
    "9223372036854775808",
    "99999999999999999999",
    "-1",
    "0001-01-01",
    "9999-12-31",
    "²",
    "abc",
    "1e309",
    "NaN",
    "x" * 5000,
)
# Bytes no text decodes to: invalid UTF-8, and a lone surrogate in JSON.
RAW_QUERY_VALUES = ("%FF", "%ED%A0%80", "%C0%80")
JSON_ONLY_VALUES = ("\ud800", "\u0000")
# Every name a page, an API call or Open311 reads from a query string or a form, and some more.
PARAM_NAMES = [
    "page",
    "page_size",
    "limit",
    "offset",
    "plan",
    "organisation",
    "region",
    "status",
    "quarter",
    "from",
    "to",
    "deadline_from",
    "deadline_to",
    "due_from",
    "due_to",
    "q",
    "kind",
    "topic",
    "topics",
    "bbox",
    "zoom",
    "start_date",
    "end_date",
    "service_request_id",
    "service_code",
    "latitude",
    "longitude",
    "lat",
    "long",
    "warnings",
    "edit",
    "field",
    "activity",
    "cancel",
    "tab",
    "lang",
    "geometry",
    "dry_run",
    "email",
    "next",
    "sort",
    "o",
    "year",
    "period",
    "api_key",
    "jurisdiction_id",
    "description",
    "text",
    "comment",
    "reason",
    "new_deadline",
    "title",
    "url",
    "name",
    "official",
    "original",
    "target",
    "media_url",
    "address_string",
    "account_id",
    "date",
    "obligation",
    "language",
    "format",
    "ids",
    "id",
    "region_code",
    # The project office's forms (issue #10, "Status and control")
    "probability",
    "impact",
    "owner",
    "response",
    "review_on",
    "note",
    "task",
    "direction",
    "order",
    "narrative",
    "risks",
    "help_requests",
    "decision",
    "frequency",
    "starts_on",
    "node",
    "regions",
    "submit",
    "program",
    "task_kind",
    "task_region",
    "outcome",
    "languages",
    "declared_audience",
    "method",
    "active",
    "expected",
    "aliases",
    "marked",
    "month",
    "start",
    "end",
    "action",
    "participants",
    "report",
    "start_time",
    "end_time",
    # The portal's API (issue #12): the calendar's filters, events, pledges, results, the jury.
    "date_from",
    "date_to",
    "publish",
    "starts_at",
    "ends_at",
    "title_kk",
    "title_ru",
    "place",
    "volunteers_wanted",
    "program_node",
    "initiative",
    "organiser_name",
    "nomination",
    "person",
    "score",
    "stars",
    "satisfaction",
    "used_it",
    "results",
    "beneficiaries_reached",
    "money_given",
    "need",
    "quantity",
]


@dataclass
class Route:
    """One URL pattern: its readable form, and how to make a URL of it from parameter values."""

    pattern: str
    name: str
    params: tuple[str, ...]
    build: Callable[[dict[str, str]], str]
    is_admin: bool = False
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _group_end(text: str, start: int) -> int:
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(text)


def _regex_parts(regex: str) -> tuple[list[str | tuple[str, str]], tuple[str, ...]]:
    """A regex pattern as literal pieces and named groups (name, group body)."""
    pieces: list[str | tuple[str, str]] = []
    names: list[str] = []
    i = 0
    literal = ""
    while i < len(regex):
        m = re.compile(r"\(\?P<(\w+)>").match(regex, i)
        if m:
            end = _group_end(regex, i)
            pieces.append(literal)
            literal = ""
            pieces.append((m.group(1), regex[m.end() : end]))
            names.append(m.group(1))
            i = end + 1
            continue
        ch = regex[i]
        if ch == "\\" and i + 1 < len(regex):
            literal += regex[i + 1]
            i += 2
            continue
        if ch in "^$":
            i += 1
            continue
        if ch == "?" and literal.endswith("/"):
            i += 1
            continue
        literal += ch
        i += 1
    pieces.append(literal)
    return pieces, tuple(names)


def _route_parts(route: str) -> tuple[list[str | tuple[str, str]], tuple[str, ...]]:
    pieces: list[str | tuple[str, str]] = []
    names: list[str] = []
    pos = 0
    for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        pieces.append(route[pos : m.start()])
        pieces.append((m.group(2), m.group(1) or "str"))
        names.append(m.group(2))
        pos = m.end()
    pieces.append(route[pos:])
    return pieces, tuple(names)


def _walk(
    patterns: list[Any], prefix: list[str | tuple[str, str]], text: str
) -> Iterator[tuple[str, str, list[str | tuple[str, str]]]]:
    for p in patterns:
        if isinstance(p.pattern, RegexPattern):
            pieces, _names = _regex_parts(str(p.pattern))
        else:
            assert isinstance(p.pattern, RoutePattern)
            pieces, _names = _route_parts(str(p.pattern))
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + pieces, text + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield text + str(p.pattern), p.name or "", prefix + pieces


def all_routes() -> list[Route]:
    routes = []
    for text, name, pieces in _walk(get_resolver().url_patterns, [], ""):
        params = tuple(p[0] for p in pieces if isinstance(p, tuple))
        choices = {}
        for p in pieces:
            if isinstance(p, tuple) and re.fullmatch(r"[\w|]+", p[1]) and "|" in p[1]:
                choices[p[0]] = tuple(p[1].split("|"))

        def build(values: dict[str, str], pieces: Any = pieces) -> str:
            out = ""
            for piece in pieces:
                out += quote(values[piece[0]], safe="") if isinstance(piece, tuple) else piece
            return "/" + out

        routes.append(
            Route(text, name, params, build, is_admin=text.startswith("admin/"), choices=choices)
        )
    return routes
