"""Reading Open311 parameters the way the specification states them.

- An empty parameter is the same as an absent one (the specification's "Optional Arguments").
- Lists are comma-delimited and may also be declared several times (``status=open,closed`` and
  ``status=open&status=closed`` are the same).
- Date-times are W3C ISO 8601; one without an offset is read in Kazakhstan's time, a bare date
  as the start of that day there.
- ``attribute[CODE]=v`` answers a question; ``attribute[CODE][]=v`` repeated answers a
  multi-choice question with several values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from jospar.core.edge import BIGINT_MAX, DATE_MAX, DATE_MIN, date_in_range, int_or_none

ALMATY = ZoneInfo("Asia/Almaty")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|z|[+-]\d{2}:?\d{2})?)?$"
)


class Open311Error(Exception):
    """An error the specification names: its HTTP status and the message the client shows."""

    def __init__(
        self,
        status: int,
        description: str,
        code: int | str | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.code = code if code is not None else status
        self.retry_after = retry_after


def bad_request(description: str) -> Open311Error:
    return Open311Error(400, description)


def param(request: HttpRequest, name: str, *, body: bool = False) -> str:
    """A single parameter from the query (and the body, for a POST), stripped; "" when absent."""
    sources: list[QueryDict] = [request.GET]
    if body and request.method == "POST":
        sources.insert(0, request.POST)
    for source in sources:
        value = source.get(name)
        if value is not None and value.strip():
            return value.strip()
    return ""


def param_list(request: HttpRequest, name: str) -> list[str]:
    """A comma-delimited, possibly repeated parameter; empty items are dropped."""
    items: list[str] = []
    for raw in request.GET.getlist(name):
        items.extend(part.strip() for part in raw.split(","))
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return list(seen)


def parse_datetime(value: str, name: str) -> dt.datetime:
    text = value.strip().replace(" ", "+") if "T" in value else value.strip()
    if not _DATETIME.match(text):
        raise bad_request(
            _("%(name)s must be a W3C date and time, e.g. 2026-03-01T10:00:00+05:00.")
            % {"name": name}
        )
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.min)
        else:
            parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise bad_request(
            _("%(name)s must be a W3C date and time, e.g. 2026-03-01T10:00:00+05:00.")
            % {"name": name}
        ) from exc
    if not date_in_range(parsed):
        raise bad_request(
            _("%(name)s must be a date between %(min)s and %(max)s.")
            % {"name": name, "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ALMATY)
    return parsed


def parse_positive_int(value: str, name: str, *, maximum: int | None = None) -> int:
    number = int_or_none(value, minimum=-BIGINT_MAX, maximum=BIGINT_MAX)
    if number is None:
        raise bad_request(_("%(name)s must be a whole number.") % {"name": name})
    if number < 1 or (maximum is not None and number > maximum):
        raise bad_request(
            _("%(name)s must be between 1 and %(max)s.") % {"name": name, "max": maximum}
            if maximum is not None
            else _("%(name)s must be a positive whole number.") % {"name": name}
        )
    return number


def parse_coordinate(value: str, name: str, limit: float) -> float:
    try:
        number = float(value.replace(",", "."))
    except (ValueError, OverflowError) as exc:
        raise bad_request(
            _("%(name)s must be a number of degrees (WGS 84).") % {"name": name}
        ) from exc
    if number != number or not -limit <= number <= limit:
        raise bad_request(
            _("%(name)s must be between -%(limit)s and %(limit)s degrees.")
            % {"name": name, "limit": int(limit)}
        )
    return number


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 4:
        raise bad_request(_("bbox must be four numbers: south,west,north,east."))
    south = parse_coordinate(parts[0], "bbox", 90)
    west = parse_coordinate(parts[1], "bbox", 180)
    north = parse_coordinate(parts[2], "bbox", 90)
    east = parse_coordinate(parts[3], "bbox", 180)
    if south > north or west > east:
        raise bad_request(_("bbox must be four numbers: south,west,north,east."))
    return south, west, north, east


def attributes(data: Iterable[tuple[str, list[str]]]) -> dict[str, Any]:
    """Survey answers from ``attribute[CODE]`` and repeated ``attribute[CODE][]`` fields."""
    survey: dict[str, Any] = {}
    for key, values in data:
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        code, many = match.group(1).strip(), bool(match.group(2))
        kept = [v.strip() for v in values if v is not None and v.strip()]
        if not kept:
            continue
        if many:
            previous = survey.get(code)
            prior = previous if isinstance(previous, list) else ([previous] if previous else [])
            survey[code] = [*prior, *kept]
        elif code in survey and isinstance(survey[code], list):
            survey[code] = [*survey[code], *kept]
        else:
            survey[code] = kept[0] if len(kept) == 1 else kept
    return survey
