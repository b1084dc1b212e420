"""Calendar arithmetic of reporting periods: months, quarters, half-years and years."""

from __future__ import annotations

import datetime as dt

MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}

# Years a plan's text can plausibly name; four digits outside are numbers, not years.
MIN_YEAR = 1990
MAX_YEAR = 2099


_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    # calendar.monthrange also computes a weekday; this runs for every report date.
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month]


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, days_in_month(year, month))


def day_in_month(year: int, month: int, day: int) -> dt.date:
    """The given day of a month; a day the month lacks (31 February) becomes its last day."""
    return dt.date(year, month, min(day, days_in_month(year, month)))


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def period_bounds(unit: str, year: int, index: int) -> tuple[dt.date, dt.date]:
    """First and last day of the index-th month/quarter/half/year (index from 1) of a year."""
    span = MONTHS_IN[unit]
    first_month = (index - 1) * span + 1
    last_month = first_month + span - 1
    return dt.date(year, first_month, 1), month_end(year, last_month)
