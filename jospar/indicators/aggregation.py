"""National values from the regions' approved values.

* ``sum``: the regions' values added up (counts: events held, projects implemented);
* ``weighted_mean``: the regions' values weighted by their population (shares, levels of
  satisfaction): Σ vᵣ·pᵣ / Σ pᵣ over the regions that reported;
* ``none``: not aggregable: the national value is the one the centre entered nationally.

Only approved values count; each national figure says which regions have not reported, so that
a sum over 17 of 20 regions is never shown as the country's.

Two ways to the same figure: ``aggregate`` over one indicator's values in Python (an indicator's
page, with the regions named), and ``tally`` over the sums the database makes of the latest
period of every indicator at once (``latest.latest_national``: the dashboards, with the regions
counted). A test holds the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from jospar.core.models import Region
from jospar.indicators.models import (
    VALUE_PLACES,
    Aggregation,
    DataValue,
    Indicator,
    Method,
    ValueState,
)
from jospar.indicators.periods import parse_period

_PLACES = Decimal("0.0001")
_VALUE_QUANTUM = Decimal(1).scaleb(-VALUE_PLACES)


@dataclass(frozen=True)
class NationalValue:
    value: Decimal | None
    reported: tuple[int, ...] = ()  # region ids whose approved value went into it
    missing: tuple[int, ...] = ()  # region ids that existed and have not reported
    unweighted: tuple[int, ...] = ()  # reported, but without a population to weigh by
    entered: bool = False  # the value the centre entered nationally

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unweighted


@dataclass
class RegionFigures:
    """Approved values of one indicator and period: {region id: value}; national row apart."""

    by_region: dict[int, Decimal] = field(default_factory=dict)
    national: Decimal | None = None


def regions_of(day: dt.date) -> list[Region]:
    """The regions that existed at a date (the end of a period)."""
    return list(
        Region.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        ).defer("bbox")
    )


def aggregate(
    indicator: Indicator, figures: RegionFigures, regions: Iterable[Region]
) -> NationalValue:
    """The national value of one indicator and period (pure: no query)."""
    if indicator.aggregation == Aggregation.NONE or indicator.method == Method.COMPUTED:
        # A computed indicator is computed nationally too, not added up from its regions.
        return NationalValue(figures.national, entered=figures.national is not None)
    expected = {region.pk: region for region in regions}
    reported = tuple(sorted(pk for pk in figures.by_region if pk in expected))
    missing = tuple(sorted(pk for pk in expected if pk not in figures.by_region))
    if not reported:
        return NationalValue(None, missing=missing)
    if indicator.aggregation == Aggregation.SUM:
        total = sum((figures.by_region[pk] for pk in reported), Decimal(0))
        return NationalValue(total, reported, missing)
    weighted = [pk for pk in reported if expected[pk].population]
    unweighted = tuple(pk for pk in reported if not expected[pk].population)
    if not weighted:
        return NationalValue(None, reported, missing, unweighted)
    weights = sum((Decimal(expected[pk].population or 0) for pk in weighted), Decimal(0))
    total = sum(
        (figures.by_region[pk] * Decimal(expected[pk].population or 0) for pk in weighted),
        Decimal(0),
    )
    mean = total / weights
    return NationalValue(mean.quantize(_PLACES), reported, missing, unweighted)


def approved_figures(
    indicator_ids: Iterable[int], periods: Iterable[str]
) -> dict[tuple[int, str], RegionFigures]:
    """{(indicator id, period): figures} of approved values, in one query."""
    out: dict[tuple[int, str], RegionFigures] = {}
    periods = list(periods)
    # The periods' first days too: the index on (indicator, state, period start) finds the rows
    # without visiting every value of each indicator.
    starts = sorted({parse_period(p).start for p in periods})
    rows = DataValue.objects.filter(
        indicator_id__in=list(indicator_ids),
        state=ValueState.APPROVED,
        period_start__in=starts,
        period__in=periods,
    ).values_list("indicator_id", "period", "region_id", "value", "corrected_value")
    for indicator_id, period, region_id, value, corrected in rows:
        figures = out.setdefault((indicator_id, period), RegionFigures())
        current = corrected if corrected is not None else value
        if region_id is None:
            figures.national = current
        else:
            figures.by_region[region_id] = current
    return out


def national_value(indicator: Indicator, period: str, day: dt.date) -> NationalValue:
    figures = approved_figures([indicator.pk], [period]).get(
        (indicator.pk, period), RegionFigures()
    )
    return aggregate(indicator, figures, regions_of(day))


@dataclass(frozen=True)
class NationalTally:
    """The national value of one indicator and period, with the regions counted (not named)."""

    value: Decimal | None
    reported: int = 0
    missing: int = 0
    unweighted: int = 0
    entered: bool = False


# Plain strings: an enum member's attribute read goes through Django's ChoicesType each time,
# which at 300 rows a dashboard cost more than the arithmetic.
_NOT_AGGREGATED = str(Aggregation.NONE.value)
_SUMMED = str(Aggregation.SUM.value)
_COMPUTED = str(Method.COMPUTED.value)


def tally(
    aggregation: str,
    method: str,
    expected: int,
    reported: int,
    unweighted: int,
    national: object,
    total: object,
    weighted_total: object,
    weights: object,
) -> NationalTally:
    """The rule of ``aggregate`` applied to the database's sums over one indicator and period
    (``latest.latest_national``): the national row's value, and over the ``expected`` regions
    that existed at the period's end, how many reported and how many have no population, their
    total, Σ v·population and Σ population."""
    if aggregation == _NOT_AGGREGATED or method == _COMPUTED:
        value = db_decimal(national)
        return NationalTally(value, entered=value is not None)
    missing = expected - reported
    if not reported:
        return NationalTally(None, missing=missing)
    if aggregation == _SUMMED:
        return NationalTally(db_decimal(total), reported, missing)
    weight = db_decimal(weights)
    if not weight:
        return NationalTally(None, reported, missing, unweighted)
    summed = db_decimal(weighted_total) or Decimal(0)
    return NationalTally((summed / weight).quantize(_PLACES), reported, missing, unweighted)


def db_decimal(value: object) -> Decimal | None:
    """A sum as ``aggregate`` writes it: to the places of the values (SQLite may give a float)."""
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(_VALUE_QUANTUM)
