"""Reading input at the edge: the one place where a value from a URL, a query string, a form or a
JSON body becomes an id, a bounded number, a date, a text or a choice.

Every view, API view, Open311 endpoint and export reads its input through these parsers, so that
no input, however hostile, reaches the database or the calendar in a shape they refuse (a 5xx).
What they guard against:

- ids: only ASCII digits (``"²".isdigit()`` is true, ``int("²")`` fails) and no larger than
  PostgreSQL's ``bigint``;
- numbers: a range, so that ``offset * size`` or ``OFFSET`` never overflow;
- dates: 1900-01-01 to 2100-12-31, so that ``date + timedelta`` never leaves the calendar;
- texts: no NUL (PostgreSQL refuses it in ``text``), no other control character but tab and
  line breaks, no lone surrogate (no encoder writes it), and a length limit;
- choices: one of the listed values.

A parser raises ``EdgeError`` (a ``ServiceError`` with status 400: the API answers it as
``{code, message, fields}``, Open311 as its error document) or, for ids named in a path,
``Http404``. The ``*_or_none`` forms are for pages that ignore what they cannot read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.http import Http404
from django.utils.translation import gettext as _

from jospar.core.errors import ServiceError

BIGINT_MAX = 2**63 - 1
# The calendar the application reasons in: plans from the 1990s, deadlines decades ahead.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# Free text in a query string (a search, a filter): longer is not a search.
QUERY_TEXT_MAX = 200
# A path id: ASCII digits, at most 19 (bigint has 19).
ID_PATTERN = "[0-9]{1,19}"

_DIGITS = re.compile(r"[0-9]{1,19}")
_INT = re.compile(r"[+-]?[0-9]{1,19}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Control characters but tab, line feed and carriage return; and lone surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")

T = TypeVar("T")


class EdgeError(ServiceError):
    """An input that cannot be read: 400, with the parameter's name in ``fields``."""

    status = 400

    def __init__(self, name: str, message: str) -> None:
        super().__init__("invalid_parameter", message, {name: [message]})
        self.name = name


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# ids -----------------------------------------------------------------------------------------


def id_or_none(value: Any) -> int | None:
    """A database id (1 .. bigint), or None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= BIGINT_MAX else None
    text = _text(value)
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= BIGINT_MAX else None


def id_or_404(value: Any) -> int:
    """An id named in a path: what is not an id names nothing (404)."""
    number = id_or_none(value)
    if number is None:
        raise Http404
    return number


def parse_id(value: Any, name: str) -> int:
    number = id_or_none(value)
    if number is None:
        raise EdgeError(name, _("Enter the id of an existing record (a whole number)."))
    return number


def id_list(values: Iterable[Any], *, limit: int) -> tuple[int, ...]:
    """The ids among the values, each once, in order, at most ``limit``; the rest is dropped."""
    out: dict[int, None] = {}
    for value in values:
        number = id_or_none(value)
        if number is not None:
            out.setdefault(number, None)
            if len(out) >= limit:
                break
    return tuple(out)


# bounded integers ----------------------------------------------------------------------------


def int_or_none(value: Any, *, minimum: int, maximum: int) -> int | None:
    text = _text(value)
    if not _INT.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_int(value: Any, name: str, *, minimum: int, maximum: int) -> int:
    text = _text(value)
    if not _INT.fullmatch(text):
        raise EdgeError(name, _("%(name)s must be a whole number.") % {"name": name})
    number = int(text)
    if not minimum <= number <= maximum:
        raise EdgeError(
            name,
            _("%(name)s must be between %(min)s and %(max)s.")
            % {"name": name, "min": minimum, "max": maximum},
        )
    return number


def page_number(value: Any) -> int:
    """A page number for Django's paginator: a bad one is the first page, a huge one the last
    (the paginator clamps it)."""
    text = _text(value)
    if text == "last":
        return BIGINT_MAX
    return int_or_none(text, minimum=1, maximum=BIGINT_MAX) or 1


# dates ---------------------------------------------------------------------------------------


def date_or_none(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value if DATE_MIN <= value <= DATE_MAX else None
    text = _text(value)
    if not _DATE.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def parse_date(value: Any, name: str) -> dt.date:
    day = date_or_none(value)
    if day is None:
        raise EdgeError(name, date_range_message())
    return day


def date_in_range(day: dt.date | dt.datetime) -> bool:
    plain = day.date() if isinstance(day, dt.datetime) else day
    return DATE_MIN <= plain <= DATE_MAX


def date_range_message() -> str:
    return _("Enter a date as YYYY-MM-DD between %(min)s and %(max)s.") % {
        "min": DATE_MIN.isoformat(),
        "max": DATE_MAX.isoformat(),
    }


# texts ---------------------------------------------------------------------------------------


def has_forbidden(text: str) -> bool:
    """NUL, a control character other than tab and line breaks, or a lone surrogate."""
    return _FORBIDDEN.search(text) is not None


def has_nul(text: str) -> bool:
    """What no database or encoder accepts: NUL, a lone surrogate."""
    return _NUL_OR_SURROGATE.search(text) is not None


def text_or_empty(value: Any, *, max_length: int = QUERY_TEXT_MAX) -> str:
    """A filter's text: stripped; "" when it holds what cannot be stored or is too long."""
    text = _text(value)
    if has_forbidden(text) or len(text) > max_length:
        return ""
    return text


def parse_text(value: Any, name: str, *, max_length: int, multiline: bool = False) -> str:
    text = _text(value)
    if has_forbidden(text) or (not multiline and ("\n" in text or "\r" in text)):
        raise EdgeError(name, _("%(name)s holds characters that are not text.") % {"name": name})
    if len(text) > max_length:
        raise EdgeError(
            name,
            _("%(name)s is limited to %(max)s characters.") % {"name": name, "max": max_length},
        )
    return text


# choices -------------------------------------------------------------------------------------


def choice_or_default(value: Any, choices: Iterable[str], default: T) -> str | T:
    text = _text(value)
    return text if text in set(choices) else default


def parse_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    allowed = list(choices)
    text = _text(value)
    if text not in allowed:
        raise EdgeError(
            name,
            _("%(name)s must be one of: %(choices)s.")
            % {"name": name, "choices": ", ".join(allowed)},
        )
    return text


# whole requests ------------------------------------------------------------------------------


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{19,}")


def too_big(text: str) -> bool:
    """A whole number no database integer holds (past bigint)."""
    return _WHOLE_NUMBER.fullmatch(text) is not None and abs(int(text)) > BIGINT_MAX


def first_unreadable(data: Mapping[str, Any] | Any) -> str | None:
    """The name of the first parameter of a QueryDict (keys and every value) that holds NUL or
    a lone surrogate, or is a whole number past bigint (no id, page or count is); None when all
    can be stored."""
    lists = data.lists() if hasattr(data, "lists") else data.items()
    for key, values in lists:
        if has_nul(str(key)):
            return "?"
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and (has_nul(value) or too_big(value.strip())):
                return str(key)
    return None


class IdConverter:
    """``<id:name>`` in a URL: an id (ASCII digits, 1 .. bigint); anything else does not match
    (404), so a view never sees ``²`` or a number the database cannot hold."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        number = id_or_none(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))
