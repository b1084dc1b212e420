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


def _value_of(indicator: Any, region: Any, iso: str, value: str) -> None:
    period = parse_period(iso)
    DataValue.objects.create(
        indicator=indicator,
        period=period.iso,
        period_type=period.type,
        period_start=period.start,
        region=region,
        value=Decimal(value),
        state=ValueState.APPROVED,
        entered_at="2024-10-01T00:00Z",
    )


def test_the_databases_roll_up_equals_the_python_aggregate(world: World) -> None:
    """The dashboards' national values (added up by one statement for every indicator's latest
    period at once, ``latest.latest_national``) are those of ``aggregate`` over the same values,
    case by case, on either database."""
    import datetime as dt

    from jospar.indicators.models import Indicator, Method, Target
    from jospar.indicators.selectors import latest_rows
    from jospar.indicators.tests.conftest import make_indicator

    east = make_region("east-x", 0)  # no population: reported, not weighted
    gone = make_region("gone-x", 500_000)  # ended in the quarter: neither counted nor missing
    gone.valid_to = Q3.start.replace(day=20)
    gone.save()
    born = make_region("born-x", 200_000)  # began in the quarter: counted at its end
    born.valid_from = dt.date(2024, 7, 10)
    born.save()
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
    _value_of(older, world.south, "2024Q2", "4")
    unweighed = make_indicator("unweighed", aggregation=Aggregation.WEIGHTED_MEAN)
    _approved(world, unweighed, east, "10")
    make_indicator("silent", aggregation=Aggregation.SUM)  # no approved value at all
    # Every kind of period (its end decides which regions count): gone existed at the end of
    # 2023 and of 2024S1, not at the end of 202409; born only at the end of 202409.
    yearly = make_indicator("yearly", aggregation=Aggregation.SUM)
    _value_of(yearly, world.north, "2023", "2")
    _value_of(yearly, gone, "2023", "3")
    half = make_indicator("half", aggregation=Aggregation.WEIGHTED_MEAN)
    _value_of(half, gone, "2024S1", "30")
    _value_of(half, world.south, "2024S1", "60")
    monthly = make_indicator("monthly", aggregation=Aggregation.SUM)
    _value_of(monthly, born, "202409", "5")
    _value_of(monthly, gone, "202409", "50")
    # Only a region that no longer existed at the period's end: no national figure.
    ghost = make_indicator("ghost", aggregation=Aggregation.SUM)
    _value_of(ghost, gone, "202409", "8")
    # The latest period is the newest start, then the greatest ISO form among equal starts.
    same_start = make_indicator("same-start", aggregation=Aggregation.SUM)
    _value_of(same_start, world.north, "2024Q3", "1")
    _value_of(same_start, world.north, "202407", "9")
    Target.objects.create(indicator=world.count, year=2024, value=Decimal(20), comparator="ge")
    Target.objects.create(
        indicator=world.count, year=2024, region=world.north, value=Decimal(1), comparator="le"
    )
    Target.objects.create(indicator=world.count, year=2023, value=Decimal(99))
    Target.objects.create(indicator=yearly, year=2023, value=Decimal("4.5"), comparator="le")

    rows = {row.indicator.code: row for row in latest_rows()}
    assert set(rows) == set(Indicator.objects.values_list("code", flat=True))
    for indicator in Indicator.objects.exclude(code__in=("silent", "ghost")):
        row = rows[indicator.code]
        period = parse_period(row.period)
        expected = national_value(indicator, period.iso, period.end)
        got = row.national
        assert got is not None, indicator.code
        assert (got.value, got.reported, got.missing, got.unweighted, got.entered) == (
            expected.value,
            len(expected.reported),
            len(expected.missing),
            len(expected.unweighted),
            expected.entered,
        ), indicator.code
        assert row.value == expected.value, indicator.code
    # The cases above are not all alike (a check that cannot pass by accident).
    assert rows["count"].value == Decimal("12.5")
    assert rows["count"].national is not None
    assert rows["count"].national.missing == 3  # south (submitted only), east and born
    assert rows["share"].value == Decimal("70.0625")
    assert rows["share"].national is not None
    assert rows["share"].national.unweighted == 1
    assert rows["national"].value == Decimal(55)
    assert rows["computed"].value == Decimal(3)
    assert rows["older"].period == "2024Q2"
    assert rows["older"].value == Decimal(4)
    assert rows["unweighed"].value is None
    assert rows["yearly"].value == Decimal(5)  # gone counted at the end of 2023
    assert rows["half"].value == Decimal("55.7143")  # (30·500 000 + 60·3 000 000) / 3 500 000
    assert rows["monthly"].value == Decimal(5)  # gone not counted, born counted
    assert rows["same-start"].period == "2024Q3"
    assert rows["silent"].period == ""
    assert rows["silent"].value is None
    assert rows["ghost"].period == "202409"
    assert rows["ghost"].national is None
    # The year's national target, never a region's nor another year's.
    target = rows["count"].target
    assert target is not None
    assert (target.value, target.comparator) == (Decimal(20), "ge")
    assert rows["yearly"].target is not None
    assert rows["yearly"].target.value == Decimal("4.5")
    assert rows["share"].target is None


def test_the_dashboards_groups_are_the_sub_programs_above_the_nodes(world: World) -> None:
    """The statement's sub-program (up to three levels above the node) is the one the region's
    dashboard finds by walking the nodes in Python."""
    from jospar.indicators.models import Indicator
    from jospar.indicators.selectors import _grouped, latest_rows, national_dashboard
    from jospar.indicators.tests.conftest import make_indicator
    from jospar.programs.models import NodeKind, Program, ProgramNode

    def node(program: Program, parent: Any, kind: str, name: str, position: int) -> Any:
        return ProgramNode.objects.create(
            program=program,
            parent=parent,
            kind=kind,
            position=position,
            name_kk=name,
            name_ru=f"{name} (ru)",
            printed_number=f"{position}.",
        )

    program = Program.objects.create(title_kk="Бағдарлама", title_ru="Программа")
    s1 = node(program, None, NodeKind.SUBPROGRAM, "S1", 2)
    s2 = node(program, None, NodeKind.SUBPROGRAM, "S2", 1)
    base = node(program, s1, NodeKind.BASE_PROJECT, "B", 3)
    direction = node(program, base, NodeKind.DIRECTION, "D", 4)
    event = node(program, direction, NodeKind.KEY_EVENT, "K", 5)
    loose = node(program, None, NodeKind.BASE_PROJECT, "no sub-program above", 6)
    for code, where in (("deep", event), ("on-sub", s2), ("mid", base), ("loose", loose)):
        make_indicator(code, node=where)
    _approved(world, world.count, world.north, "1")

    def shape(groups: Any) -> list[tuple[Any, ...]]:
        return [
            (
                (
                    g.node.pk,
                    g.node.name_kk,
                    g.node.name_ru,
                    g.node.printed_number,
                    g.node.program_id,
                )
                if g.node
                else None,
                [row.indicator.code for row in g.rows],
            )
            for g in groups
        ]

    got = shape(national_dashboard())
    assert got == shape(_grouped(latest_rows(), Indicator.objects.filter(active=True)))
    assert got == [
        ((s2.pk, "S2", "S2 (ru)", "1.", program.pk), ["on-sub"]),
        ((s1.pk, "S1", "S1 (ru)", "2.", program.pk), ["deep", "mid"]),
        (None, ["count", "loose", "national", "share"]),
    ]
