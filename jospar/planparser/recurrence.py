"""Report dates of a recurrence ("ежеквартально (к 5 числу месяца, следующего за отчетным
кварталом)", "жыл сайын", "ежемесячно до 25 числа") over a stretch of time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from .periods import MONTHS_IN, day_in_month, month_end, next_month, period_bounds

# A plan runs for a few years; this bounds the work on absurd input (monthly over a century).
MAX_PERIODS = 1200


@dataclass(frozen=True, slots=True)
class Rhythm:
    """When the report for each reporting period is owed.

    unit: "month", "quarter", "half" or "year"; day: the stated day of the month (0: none);
    month: a yearly report's stated month ("ежегодно к 20 декабря"); following: the day is in
    the month (or year) after the period; last_month: in the period's own last month
    ("до 25 числа последнего месяца квартала"); offset_days: days after the period's end;
    weekday (0 Monday .. 6 Sunday, -1: none) and nth (1-4, 5 for the last): a weekday rule
    ("в последнюю пятницу каждого месяца"), the nth such weekday of the period (of the month
    after it when `following`).
    """

    unit: str
    day: int = 0
    month: int = 0
    following: bool = False
    last_month: bool = False
    offset_days: int = 0
    weekday: int = -1
    nth: int = 0


def report_date(rhythm: Rhythm, period_end: dt.date) -> dt.date:
    """The day a report for the period ending on `period_end` is owed.

    A stated day falls in the month after the period ("к 5 числу месяца, следующего за
    отчетным кварталом" -> 5 April for Q1), except for a monthly recurrence without
    "following", which reports within the month itself ("ежемесячно до 25 числа"), and
    "последнего месяца квартала", which names the period's own last month. With no day stated
    the report falls on the period's last day.
    """
    if rhythm.weekday >= 0:
        return _weekday_date(rhythm, period_end)
    if rhythm.month:
        year = period_end.year + (1 if rhythm.following else 0)
        if rhythm.day:
            return day_in_month(year, rhythm.month, rhythm.day)
        return month_end(year, rhythm.month)
    if rhythm.day:
        if rhythm.last_month or (rhythm.unit == "month" and not rhythm.following):
            return day_in_month(period_end.year, period_end.month, rhythm.day)
        year, month = next_month(period_end.year, period_end.month)
        return day_in_month(year, month, rhythm.day)
    if rhythm.offset_days:
        return period_end + dt.timedelta(days=rhythm.offset_days)
    return period_end


def _weekday_date(rhythm: Rhythm, period_end: dt.date) -> dt.date:
    """The nth (or last) given weekday of the period ending on `period_end`, or of the month
    after it when the rule says "following"."""
    if rhythm.following:
        year, month = next_month(period_end.year, period_end.month)
        first, last = dt.date(year, month, 1), month_end(year, month)
    else:
        span = MONTHS_IN[rhythm.unit]
        first_month = period_end.month - span + 1
        first, last = dt.date(period_end.year, first_month, 1), period_end
    if rhythm.nth >= 5:
        return last - dt.timedelta(days=(last.weekday() - rhythm.weekday) % 7)
    day = first + dt.timedelta(days=(rhythm.weekday - first.weekday()) % 7 + 7 * (rhythm.nth - 1))
    # A fifth Monday a month lacks: the last one it has.
    while day > last:
        day -= dt.timedelta(days=7)
    return day


@lru_cache(maxsize=4096)
def recurrence_reports(
    rhythm: Rhythm, lo: dt.date, hi: dt.date, after: bool = False
) -> tuple[tuple[dt.date, ...], bool]:
    """One report per reporting period that ends inside [lo, hi] (inside (lo, hi] when `after`,
    i.e. when the recurrence continues after a fixed date that is itself a report).

    Returns the dates and whether the list was cut at MAX_PERIODS.
    """
    span = MONTHS_IN[rhythm.unit]
    per_year = 12 // span
    year, index = lo.year, (lo.month - 1) // span + 1
    out: list[dt.date] = []
    weekly = rhythm.weekday >= 0
    for _ in range(MAX_PERIODS):
        start, end = period_bounds(rhythm.unit, year, index)
        if weekly:
            # A weekday rule owes the day of each period that falls inside the stretch, which
            # may come before the period ends ("первый понедельник квартала").
            if start > hi:
                return tuple(out), False
            day = report_date(rhythm, end)
            if (day > lo or (day == lo and not after)) and day <= hi:
                out.append(day)
        elif end > hi:
            return tuple(out), False
        elif end > lo or (end == lo and not after):
            day = report_date(rhythm, end)
            # "ежегодно к 10 января" from March, "ежемесячно до 25 числа" from the 26th: that
            # period's day has passed before the stretch began, so nothing is owed on it.
            if day >= lo:
                out.append(day)
        index += 1
        if index > per_year:
            year, index = year + 1, 1
            if year > dt.MAXYEAR - 2:
                return tuple(out), True
    return tuple(out), True
