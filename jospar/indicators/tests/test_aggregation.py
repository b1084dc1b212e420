from __future__ import annotations

from decimal import Decimal
from typing import Any

from jospar.indicators.aggregation import national_value
from jospar.indicators.models import Aggregation, DataValue, ValueState
from jospar.indicators.periods import parse_period
from jospar.indicators.tests.conftest import World, make_region

Q3 = parse_period("2024Q3")


def _approved(world: World, indicator: Any, region: Any, value: str, **kw: Any) -> None:
    DataValue.objects.create(
        indicator=indicator,
        period=Q3.iso,
        period_type=Q3.type,
        period_start=Q3.start,
        region=region,
        value=Decimal(value),
        state=kw.pop("state", ValueState.APPROVED),
        entered_at="2024-10-01T00:00Z",
        **kw,
    )


def test_sum_and_weighted_mean(world: World) -> None:
    _approved(world, world.count, world.north, "10")
    _approved(world, world.count, world.south, "5")
    _approved(world, world.share, world.north, "40")  # 1 000 000 people
    _approved(world, world.share, world.south, "80")  # 3 000 000 people
    total = national_value(world.count, Q3.iso, Q3.end)
    mean = national_value(world.share, Q3.iso, Q3.end)
    assert total.value == Decimal(15)
    assert total.complete
    # (40·1 + 80·3) / 4 = 70, not the plain mean 60.
    assert mean.value == Decimal(70)
    assert mean.reported == (world.north.pk, world.south.pk)


def test_only_approved_values_count_and_missing_regions_are_named(world: World) -> None:
    _approved(world, world.count, world.north, "10")
    _approved(world, world.count, world.south, "99", state=ValueState.SUBMITTED)
    total = national_value(world.count, Q3.iso, Q3.end)
    assert total.value == Decimal(10)
    assert total.missing == (world.south.pk,)
    assert not total.complete


def test_correction_counts_not_the_original(world: World) -> None:
    _approved(world, world.count, world.north, "10", corrected_value=Decimal(12))
    assert national_value(world.count, Q3.iso, Q3.end).value == Decimal(12)


def test_region_without_population_is_not_weighted_but_said(world: World) -> None:
    east = make_region("east-x", 0)
    _approved(world, world.share, world.north, "40")
    _approved(world, world.share, east, "10")
    mean = national_value(world.share, Q3.iso, Q3.end)
    assert mean.value == Decimal(40)
    assert mean.unweighted == (east.pk,)


def test_not_aggregable_is_the_national_row(world: World) -> None:
    world.share.aggregation = Aggregation.NONE
    world.share.save()
    _approved(world, world.share, world.north, "40")
    assert national_value(world.share, Q3.iso, Q3.end).value is None
    _approved(world, world.share, None, "55")
    result = national_value(world.share, Q3.iso, Q3.end)
    assert result.value == Decimal(55)
    assert result.entered


def test_regions_that_did_not_exist_are_not_missing(world: World) -> None:
    gone = make_region("gone-x", 100)
    gone.valid_to = Q3.start.replace(year=2018)
    gone.save()
    _approved(world, world.count, world.north, "1")
    _approved(world, world.count, world.south, "1")
    assert national_value(world.count, Q3.iso, Q3.end).complete


def test_population_is_loaded_for_the_twenty_regions(db: None) -> None:
    from jospar.core.models import Region
    from jospar.core.population import POPULATION_2024
    from jospar.core.services.regions import regions_load

    regions_load(actor=None)
    loaded = dict(Region.objects.exclude(population=None).values_list("code", "population"))
    assert loaded == POPULATION_2024
    assert 19_900_000 < sum(int(v or 0) for v in loaded.values()) < 20_100_000


def test_the_databases_roll_up_equals_the_python_aggregate(world: World) -> None:
    """The dashboards' national values (added up by the database for every indicator's latest
    period at once) are those of ``aggregate`` over the same values, case by case."""
    from jospar.indicators.aggregation import national_tallies
    from jospar.indicators.models import Indicator, Method
    from jospar.indicators.selectors import latest_rows
    from jospar.indicators.tests.conftest import make_indicator

    q2 = parse_period("2024Q2")
    east = make_region("east-x", 0)  # no population: reported, not weighted
    gone = make_region("gone-x", 500_000)  # ended in the quarter: neither counted nor missing
    gone.valid_to = Q3.start.replace(day=20)
    gone.save()
    _approved(world, world.count, world.north, "10", corrected_value=Decimal("12.5"))
    _approved(world, world.count, gone, "1000")
    _approved(world, world.count, world.south, "7", state=ValueState.SUBMITTED)
    _approved(world, world.share, world.north, "40.25")
    _approved(world, world.share, world.south, "80")
    _approved(world, world.share, east, "10")
    _approved(world, world.national, None, "55")
    _approved(world, world.national, world.north, "99")  # not aggregable: the national row
    computed = make_indicator("computed", method=Method.COMPUTED, aggregation=Aggregation.SUM)
    _approved(world, computed, None, "3")
    older = make_indicator("older", aggregation=Aggregation.SUM)
    DataValue.objects.create(
        indicator=older,
        period=q2.iso,
        period_type=q2.type,
        period_start=q2.start,
        region=world.south,
        value=Decimal(4),
        state=ValueState.APPROVED,
        entered_at="2024-07-01T00:00Z",
    )
    unweighed = make_indicator("unweighed", aggregation=Aggregation.WEIGHTED_MEAN)
    _approved(world, unweighed, east, "10")
    make_indicator("silent", aggregation=Aggregation.SUM)  # no approved value at all

    indicators = Indicator.objects.all()
    latest = {i.pk: Q3.iso for i in indicators if i.code not in ("older", "silent")}
    latest[older.pk] = q2.iso
    tallies = national_tallies(indicators, latest)
    assert set(tallies) == set(latest)
    for indicator in indicators.exclude(code="silent"):
        period = parse_period(latest[indicator.pk])
        expected = national_value(indicator, period.iso, period.end)
        got = tallies[indicator.pk]
        assert (got.value, got.reported, got.missing, got.unweighted, got.entered) == (
            expected.value,
            len(expected.reported),
            len(expected.missing),
            len(expected.unweighted),
            expected.entered,
        ), indicator.code
    # The cases above are not all alike (a check that cannot pass by accident).
    assert tallies[world.count.pk].value == Decimal("12.5")
    assert tallies[world.count.pk].missing == 2  # south (submitted only) and east
    assert tallies[world.share.pk].value == Decimal("70.0625")
    assert tallies[world.share.pk].unweighted == 1
    assert tallies[world.national.pk].value == Decimal(55)
    assert tallies[older.pk].value == Decimal(4)
    assert tallies[unweighed.pk].value is None
    rows = {row.indicator.code: row for row in latest_rows(indicators)}
    assert rows["older"].period == q2.iso
    assert rows["silent"].period == ""
    assert rows["silent"].value is None
    assert rows["count"].value == Decimal("12.5")
