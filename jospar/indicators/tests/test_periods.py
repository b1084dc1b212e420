from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jospar.core.errors import ServiceError
from jospar.indicators.periods import Period, PeriodError, parse_period, parse_value, periods_of


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2024", "yearly", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024S1", "six_monthly", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("2024S2", "six_monthly", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("2024Q3", "quarterly", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        ("202402", "monthly", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("202412", "monthly", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ],
)
def test_iso_forms(text: str, kind: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text)
    assert (period.type, period.start, period.end, period.iso) == (kind, start, end, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "24",
        "2024Q5",
        "2024Q0",
        "2024S3",
        "202413",
        "202400",
        "2024-05",
        "１２３４",
        "1899",
        "2024q1",
        "2024W1",
        None,
        2024,
        "2024Q1\x00",
        "2" * 100,
    ],
)
def test_refused_forms(text: object) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert caught.value.status == 400
    assert "period" in caught.value.fields


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["yearly", "six_monthly", "quarterly", "monthly"]), st.integers(1990, 2099))
def test_round_trip_and_next(kind: str, year: int) -> None:
    periods = periods_of(kind, year, year + 1)
    for period in periods:
        assert parse_period(period.iso) == period
        assert period.start <= period.end
    for first, second in itertools.pairwise(periods):
        assert first.next() == second
        assert first.end + dt.timedelta(days=1) == second.start
    assert Period(year, "yearly", 1).contains(periods[0])


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12.5", "12.5"),
        ("12,5", "12.5"),
        ("1 234,25", "1234.25"),
        ("-3", "-3"),
        (7, "7"),
        ("1\xa0000", "1000"),
    ],
)
def test_values(text: object, number: str) -> None:
    assert parse_value(text) == Decimal(number)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "1.23456", "1e5", "NaN", "Infinity", True, None, "99999999999999999", "1,2,3"],
)
def test_values_refused(text: object) -> None:
    with pytest.raises(ServiceError):
        parse_value(text)
