"""Periods and values as read at every edge.

Periods in their ISO forms, as DHIS2 writes them: ``2024`` (a year), ``2024S1`` (a half-year),
``2024Q3`` (a quarter), ``202405`` (a month).

This is the one parser of periods: forms, CSV and dataValueSets imports, URLs and the services
all read a period here, so that a period means the same thing at every edge.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.core.errors import ServiceError

YEAR_MIN = 1990
YEAR_MAX = 2100


class PeriodType(models.TextChoices):
    YEARLY = "yearly", gettext_lazy("Yearly")
    SIX_MONTHLY = "six_monthly", gettext_lazy("Half-yearly")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly")
    MONTHLY = "monthly", gettext_lazy("Monthly")


_FORMS = (
    (re.compile(r"([0-9]{4})"), PeriodType.YEARLY),
    (re.compile(r"([0-9]{4})S([12])"), PeriodType.SIX_MONTHLY),
    (re.compile(r"([0-9]{4})Q([1-4])"), PeriodType.QUARTERLY),
    (re.compile(r"([0-9]{4})(0[1-9]|1[0-2])"), PeriodType.MONTHLY),
)
_MONTHS_PER = {
    PeriodType.YEARLY: 12,
    PeriodType.SIX_MONTHLY: 6,
    PeriodType.QUARTERLY: 3,
    PeriodType.MONTHLY: 1,
}


@dataclass(frozen=True, order=True)
class Period:
    """One calendar period: its first day, its type and its number within the year."""

    year: int
    type: str
    number: int  # 1 for a year; the half, quarter or month otherwise

    @property
    def iso(self) -> str:
        if self.type == PeriodType.YEARLY:
            return f"{self.year}"
        if self.type == PeriodType.SIX_MONTHLY:
            return f"{self.year}S{self.number}"
        if self.type == PeriodType.QUARTERLY:
            return f"{self.year}Q{self.number}"
        return f"{self.year}{self.number:02d}"

    @property
    def months(self) -> int:
        return _MONTHS_PER[PeriodType(self.type)]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        month = self.number * self.months
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def next(self) -> Period:
        per_year = 12 // self.months
        if self.number < per_year:
            return Period(self.year, self.type, self.number + 1)
        return Period(self.year + 1, self.type, 1)

    def __str__(self) -> str:
        return self.iso


class PeriodError(ServiceError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__("invalid_period", message, {name: [message]})


def parse_period(value: object, name: str = "period") -> Period:
    """The period an ISO form names, or ``PeriodError`` (a 400 at every edge)."""
    text = value.strip() if isinstance(value, str) else ""
    for pattern, kind in _FORMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year = int(match.group(1))
        if not YEAR_MIN <= year <= YEAR_MAX:
            break
        number = int(match.group(2)) if kind != PeriodType.YEARLY else 1
        return Period(year, str(kind), number)
    raise PeriodError(
        name,
        _("“%(value)s” is not a period: write 2024, 2024S1, 2024Q3 or 202405 (%(first)s–%(last)s).")
        % {"value": str(value)[:20], "first": YEAR_MIN, "last": YEAR_MAX},
    )


def period_or_none(value: object) -> Period | None:
    try:
        return parse_period(value)
    except PeriodError:
        return None


def periods_of(kind: str, first_year: int, last_year: int) -> list[Period]:
    """Every period of a type from the start of one year to the end of another."""
    months = _MONTHS_PER[PeriodType(kind)]
    return [
        Period(year, kind, number)
        for year in range(first_year, last_year + 1)
        for number in range(1, 12 // months + 1)
    ]


# Values fit DECIMAL(20, 4): sixteen digits before the point.
VALUE_LIMIT = Decimal("1e16")
_NUMBER = re.compile(r"[+-]?[0-9]{1,16}([.,][0-9]{1,4})?")


def parse_value(value: object, name: str = "value") -> Decimal:
    """A figure as people and files write it: ``12.5``, ``12,5``, ``1 234,5`` (spaces between
    thousands), at most four decimals; refused with a field error otherwise."""
    if isinstance(value, bool):
        raise ServiceError("invalid_value", _("Not a number."), {name: [_("Not a number.")]})
    if isinstance(value, int | Decimal):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = value if isinstance(value, str) else ""
    text = text.strip().replace("\xa0", "").replace(" ", "").replace("\u202f", "")
    if _NUMBER.fullmatch(text) is None:
        message = _("“%(value)s” is not a number with at most four decimals.") % {
            "value": str(value)[:30]
        }
        raise ServiceError("invalid_value", message, {name: [message]})
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ServiceError(
            "invalid_value", _("Not a number."), {name: [_("Not a number.")]}
        ) from exc
    if abs(number) >= VALUE_LIMIT:
        message = _("The number is too large.")
        raise ServiceError("invalid_value", message, {name: [message]})
    return number
