"""What the indicators' pages read: an indicator's series and regions, the national dashboard by
sub-program, a region's dashboard, the approval queue. Each costs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet

from jospar.core.models import Region, pick_lang
from jospar.indicators.achievement import GREY, Achievement, achievement
from jospar.indicators.aggregation import (
    NationalTally,
    NationalValue,
    RegionFigures,
    aggregate,
    approved_figures,
    db_decimal,
    regions_of,
    tally,
)
from jospar.indicators.latest import latest_national
from jospar.indicators.models import (
    Comparator,
    DataValue,
    Indicator,
    Level,
    Target,
    ValueState,
)
from jospar.indicators.periods import parse_period
from jospar.programs.models import NodeKind, Program, ProgramNode


def targets_by_year(
    indicator_ids: Iterable[int],
    *,
    years: Iterable[int] | None = None,
    national_only: bool = False,
) -> dict[tuple[int, int, int | None], Target]:
    """{(indicator, year, region or None): target}, in one query (only those years, and only
    the national targets, where asked)."""
    rows = Target.objects.filter(indicator_id__in=list(indicator_ids))
    if years is not None:
        rows = rows.filter(year__in=sorted(set(years)))
    if national_only:
        rows = rows.filter(region__isnull=True)
    return {(t.indicator_id, t.year, t.region_id): t for t in rows}


def target_for(
    targets: dict[tuple[int, int, int | None], Target],
    indicator_id: int,
    year: int,
    region_id: int | None = None,
) -> Target | None:
    """The region's own target for the year, else the national one."""
    if region_id is not None:
        own = targets.get((indicator_id, year, region_id))
        if own is not None:
            return own
    return targets.get((indicator_id, year, None))


@dataclass(frozen=True)
class IndicatorBrief:
    """What a dashboard's row shows of its indicator (its link, name, unit, direction and
    node), read as plain values: building hundreds of models costs more than the query."""

    pk: int
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    unit: str
    direction: str
    node_id: int | None

    @property
    def name(self) -> str:
        return pick_lang(self, "name")


@dataclass(frozen=True)
class TargetFigure:
    """A target as a dashboard's row shows it."""

    value: Decimal
    comparator: str

    def get_comparator_display(self) -> str:
        return str(Comparator(self.comparator).label)


def achievement_of(
    indicator: Indicator | IndicatorBrief,
    value: Decimal | None,
    target: Target | TargetFigure | None,
) -> Achievement:
    if target is None or value is None:
        return GREY
    return achievement(indicator.direction, value, target.value, target.comparator)


@dataclass
class Point:
    period: str
    value: NationalValue
    target: Target | None
    achievement: Achievement


@dataclass
class RegionRow:
    region: Region
    value: DataValue | None
    target: Target | None
    achievement: Achievement


@dataclass
class IndicatorView:
    indicator: Indicator
    points: list[Point]
    targets: list[Target]
    latest: Point | None
    regions: list[RegionRow] = field(default_factory=list)
    regions_period: str = ""


def region_periods(indicator: Indicator) -> list[str]:
    """The periods that hold any region's value of the indicator, newest first."""
    found = set(
        DataValue.objects.filter(indicator=indicator, region__isnull=False).values_list(
            "period", flat=True
        )
    )
    return sorted(found, key=lambda p: parse_period(p).start, reverse=True)


def indicator_view(indicator: Indicator, period: str | None = None) -> IndicatorView:
    """The national series (approved values, aggregated where the indicator allows), its
    targets, and the regions' values of ``period`` (by default the latest period that has
    any; a period without a value shows every region as not reported)."""
    periods = sorted(
        set(
            DataValue.objects.filter(indicator=indicator, state=ValueState.APPROVED).values_list(
                "period", flat=True
            )
        ),
        key=lambda p: parse_period(p).start,
    )
    figures = approved_figures([indicator.pk], periods)
    targets = targets_by_year([indicator.pk])
    regions_by_end = {}
    points = []
    for period_iso in periods:
        parsed = parse_period(period_iso)
        if parsed.end not in regions_by_end:
            regions_by_end[parsed.end] = regions_of(parsed.end)
        national = aggregate(
            indicator,
            figures.get((indicator.pk, period_iso), RegionFigures()),
            regions_by_end[parsed.end],
        )
        target = target_for(targets, indicator.pk, parsed.year)
        points.append(
            Point(period_iso, national, target, achievement_of(indicator, national.value, target))
        )
    view = IndicatorView(
        indicator,
        points,
        sorted(
            (t for t in targets.values()),
            key=lambda t: (t.year, t.region_id is not None, t.region_id or 0),
        ),
        next((p for p in reversed(points) if p.value.value is not None), None),
    )
    if indicator.level == Level.REGION:
        chosen = period or (
            DataValue.objects.filter(indicator=indicator, region__isnull=False)
            .order_by("-period_start")
            .values_list("period", flat=True)
            .first()
        )
        if chosen:
            parsed = parse_period(chosen)
            rows = {
                v.region_id: v
                for v in DataValue.objects.filter(
                    indicator=indicator, period=parsed.iso, region__isnull=False
                )
            }
            view.regions_period = parsed.iso
            for region in sorted(regions_of(parsed.end), key=lambda r: r.name):
                row = rows.get(region.pk)
                target = target_for(targets, indicator.pk, parsed.year, region.pk)
                approved = row.current if row and row.state == ValueState.APPROVED else None
                view.regions.append(
                    RegionRow(region, row, target, achievement_of(indicator, approved, target))
                )
    return view


@dataclass
class DashboardRow:
    indicator: Indicator | IndicatorBrief
    period: str
    value: Decimal | None
    national: NationalTally | None
    target: Target | TargetFigure | None
    achievement: Achievement
    state: str = ""  # a region's dashboard: the state of the region's latest value

    @property
    def state_label(self) -> str:
        return str(ValueState(self.state).label) if self.state else ""


@dataclass
class DashboardGroup:
    node: ProgramNode | None
    rows: list[DashboardRow]


def _subprogram_of(node_id: int | None, nodes: dict[int, ProgramNode]) -> ProgramNode | None:
    current = nodes.get(node_id) if node_id is not None else None
    depth = 0
    while current is not None and current.kind != NodeKind.SUBPROGRAM and depth < 8:
        current = nodes.get(current.parent_id) if current.parent_id is not None else None
        depth += 1
    return current


def _grouped(rows: list[DashboardRow], indicators: QuerySet[Indicator]) -> list[DashboardGroup]:
    """The rows by the sub-program above their indicator's node; the nodes and their
    ancestors in one query (nested subqueries of ``indicators``, no list of ids)."""
    level: QuerySet[Any, Any] = indicators.filter(node__isnull=False).values("node_id")
    wanted = Q(pk__in=level)
    for _depth in range(3):  # a node is at most four levels deep
        level = ProgramNode.objects.filter(pk__in=level).values("parent_id")
        wanted |= Q(pk__in=level)
    nodes: dict[int, ProgramNode] = {
        node.pk: node
        for node in ProgramNode.objects.filter(wanted).only(
            "pk",
            "parent_id",
            "kind",
            "name_kk",
            "name_ru",
            "printed_number",
            "position",
            "program_id",
        )
    }
    groups: dict[int | None, DashboardGroup] = {}
    for row in rows:
        sub = _subprogram_of(row.indicator.node_id, nodes)
        key = sub.pk if sub else None
        groups.setdefault(key, DashboardGroup(sub, [])).rows.append(row)
    return _sorted_groups(groups)


def _sorted_groups(groups: dict[int | None, DashboardGroup]) -> list[DashboardGroup]:
    return sorted(
        groups.values(),
        key=lambda g: (
            g.node is None,
            g.node.program_id if g.node else 0,
            g.node.position if g.node else 0,
        ),
    )


def _latest_periods(indicators: QuerySet[Indicator], where: Q) -> dict[int, str]:
    latest = dict(
        DataValue.objects.filter(where, indicator__in=indicators)
        .values("indicator_id")
        .annotate(last=Max("period_start"))
        .values_list("indicator_id", "last")
    )
    if not latest:
        return {}
    cond = Q()
    for indicator_id, start in latest.items():
        cond |= Q(indicator_id=indicator_id, period_start=start)
    return dict(
        DataValue.objects.filter(where & cond).values_list("indicator_id", "period").distinct()
    )


def _latest(program_id: int | None) -> list[tuple[DashboardRow, ProgramNode | None]]:
    """Each indicator's row with the sub-program above its node, from one statement
    (``latest.latest_national``)."""
    out: list[tuple[DashboardRow, ProgramNode | None]] = []
    subs: dict[int, ProgramNode] = {}
    for (
        *brief,
        aggregation,
        method,
        period,
        reported,
        unweighted,
        national_row,
        total,
        weighted_total,
        weights,
        expected,
        target_value,
        comparator,
        sub_pk,
        sub_kk,
        sub_ru,
        sub_number,
        sub_position,
        sub_program,
    ) in latest_national(program_id=program_id):
        indicator = IndicatorBrief(*brief)
        sub = None
        if sub_pk is not None:
            sub = subs.get(sub_pk)
            if sub is None:
                sub = subs[sub_pk] = ProgramNode(
                    pk=sub_pk,
                    kind=NodeKind.SUBPROGRAM,
                    name_kk=sub_kk,
                    name_ru=sub_ru,
                    printed_number=sub_number,
                    position=sub_position,
                    program_id=sub_program,
                )
        if not period or reported is None:
            # No approved value, or none of the regions that counted at the period's end.
            out.append((DashboardRow(indicator, period or "", None, None, None, GREY), sub))
            continue
        national = tally(
            aggregation,
            method,
            int(expected or 0),
            int(reported),
            int(unweighted or 0),
            national_row,
            total,
            weighted_total,
            weights,
        )
        value = db_decimal(target_value)
        target = TargetFigure(value, comparator) if value is not None else None
        out.append(
            (
                DashboardRow(
                    indicator,
                    period,
                    national.value,
                    national,
                    target,
                    achievement_of(indicator, national.value, target),
                ),
                sub,
            )
        )
    return out


def latest_rows(*, program_id: int | None = None) -> list[DashboardRow]:
    """Each indicator in use (of one program's nodes, where given), by code, with its latest
    national value (approved, aggregated where it allows), the year's target and the light: one
    statement whatever the number of indicators and regions."""
    return [row for row, _sub in _latest(program_id)]


def national_dashboard() -> list[DashboardGroup]:
    """Each indicator in use with its latest national value, target and light, by sub-program
    (one statement: ``latest.latest_national``)."""
    groups: dict[int | None, DashboardGroup] = {}
    for row, sub in _latest(None):
        key = sub.pk if sub is not None else None
        groups.setdefault(key, DashboardGroup(sub, [])).rows.append(row)
    return _sorted_groups(groups)


def region_dashboard(region: Region, *, include_unapproved: bool) -> list[DashboardGroup]:
    """Each regional indicator with the region's latest value (with ``include_unapproved``, a
    value not yet approved too, its state shown), the region's target and the light of the
    approved value."""
    indicators = Indicator.objects.filter(active=True, level=Level.REGION)
    where = Q(region=region)
    if not include_unapproved:
        where &= Q(state=ValueState.APPROVED)
    latest = _latest_periods(indicators, where)
    values = {
        v.indicator_id: v
        for v in DataValue.objects.filter(
            where, indicator_id__in=list(latest), period__in=set(latest.values())
        )
        if latest.get(v.indicator_id) == v.period
    }
    targets = targets_by_year(i.pk for i in indicators)
    rows = []
    for indicator in indicators:
        row = values.get(indicator.pk)
        if row is None:
            rows.append(DashboardRow(indicator, "", None, None, None, GREY))
            continue
        parsed = parse_period(row.period)
        target = target_for(targets, indicator.pk, parsed.year, region.pk)
        approved = row.current if row.state == ValueState.APPROVED else None
        rows.append(
            DashboardRow(
                indicator,
                row.period,
                row.current,
                None,
                target,
                achievement_of(indicator, approved, target),
                row.state,
            )
        )
    return _grouped(rows, indicators)


def review_queue() -> QuerySet[DataValue]:
    """Values submitted by the regions, oldest first."""
    return (
        DataValue.objects.filter(state=ValueState.SUBMITTED)
        .select_related("indicator", "region", "submitted_by")
        .order_by("submitted_at", "region__name_ru", "indicator__code")
    )


def region_period_values(region: Region | None, period: str) -> dict[int, DataValue]:
    return {
        v.indicator_id: v
        for v in DataValue.objects.filter(
            Q(region__isnull=True) if region is None else Q(region=region), period=period
        )
    }


def waiting_counts() -> dict[int, int]:
    """Submitted values waiting for the centre, by region."""
    counts: dict[int, int] = defaultdict(int)
    for region_id in DataValue.objects.filter(state=ValueState.SUBMITTED).values_list(
        "region_id", flat=True
    ):
        counts[region_id] += 1
    return dict(counts)


def measured_programs() -> list[Program]:
    """The programs some indicator in use measures (for the links to their achievement trees)."""
    return list(Program.objects.filter(nodes__measured_by__active=True).distinct().order_by("pk"))
