"""Executive discipline: how well obligations are met on time, by plan, organisation, region and
quarter — read from the database by GROUP BY queries with conditional aggregates, one per
grain part, over ``DisciplineCount`` (the obligations counted by department, organisation,
region, plan, deadline and bucket; kept by ``jospar.control.discipline_counts``); the
obligations themselves only for checks (``from_obligations``).

Definitions. "Today" is today in Kazakhstan. Every figure is over the obligations the user may
see (``visible_obligations``), in force, of activities in force, whose deadline (as it stands
after extensions and returns) lies in the period.

- An obligation **counts** once its deadline has passed or a report for it stands submitted
  (submitted and not returned since, or accepted). Each counted obligation is exactly one of:
  - **on time**: its standing or accepted report was submitted on or before the deadline
    (status "submitted on time", or "accepted" with such a report; an obligation the controller
    accepted with no dated submission counts as on time);
  - **late**: its standing or accepted report was submitted after the deadline (status
    "submitted late", or "accepted" with such a report);
  - **overdue**: status "overdue" now — the deadline has passed and nothing stands submitted
    (never sent, or returned for revision and not sent again).
- **Share on time** = on time ÷ counted. Holidays do not enter it.
- **Average delay** = the mean, over the late and overdue obligations, of the calendar days
  from the deadline to the submission (late) or to today (overdue). Calendar days, not working
  days: the deadline has already been moved off weekends and holidays, a delay is read by
  officials as "N days overdue" on the calendar, and a calendar difference is plain date
  arithmetic that the database sums over millions of rows, where working days would need the
  holiday calendar per row.
- **Trend**: the share on time per quarter of the deadline.
- **Region**: obligations of a region's akimat — those the group of akimats owes there
  (``Obligation.region``), and those a plan gives that akimat by name (its organisation's
  region), as the obligation list's ``region`` filter reads it.

Obligations without a deadline never count (the control loop always sets one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Expression

from jospar.control.access.obligations import visible_obligations
from jospar.control.models import DisciplineCount, Obligation, ObligationStatus
from jospar.control.sources import source_in_force_q
from jospar.control.status import (
    first_late,
    not_first_late,
    status_filter,
    submitted_late,
    today,
)
from jospar.core.collation import sort_key
from jospar.core.models import Organisation, Region, User
from jospar.plans.access import can_see_all_plans, controlled_plans_q, is_controller, is_executor

# The buckets of ``DisciplineCount`` (kept by ``jospar.control.discipline_counts``).
ON_TIME_OPEN, LATE_OPEN, ACCEPTED_ON_TIME, ACCEPTED_LATE, PENDING, UNCOUNTED = 1, 2, 3, 4, 5, 0
# Returned for revision and not submitted again: pending for the figures (overdue once its
# deadline passes), "returned" for the list's tabs before that.
RETURNED_OPEN = 6
LATE_BUCKETS = (LATE_OPEN, ACCEPTED_LATE)
PENDING_BUCKETS = (PENDING, RETURNED_OPEN)

# The grains of ``DisciplineCount``: a row per deadline's day (the full key), a row per
# deadline's month by organisation and region (no plan), and a row per deadline's month by plan
# (no organisation, no region); a month row's ``deadline`` is the month's first day.
# ``deadline_days`` counts from EPOCH.
DAY, MONTH, PLAN_MONTH = 0, 1, 2
EPOCH = dt.date(2000, 1, 1)

# Quarters are numbered year × 4 + (quarter − 1): 2016-Q1 is 8064.
_FIRST_QUARTER = 1990 * 4
_LAST_QUARTER = 2060 * 4 + 3
# The dashboard's period when none is asked for: this quarter and the three before it.
DEFAULT_QUARTERS = 4


def quarter_number(day: dt.date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def quarter_start(number: int) -> dt.date:
    return dt.date(number // 4, (number % 4) * 3 + 1, 1)


def quarter_end(number: int) -> dt.date:
    return quarter_start(number + 1) - dt.timedelta(days=1)


def quarter_label(number: int) -> str:
    """``2016-Q1``: the form the obligation list's ``quarter`` filter takes."""
    return f"{number // 4}-Q{number % 4 + 1}"


def default_period(on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    current = quarter_number(on or today())
    return quarter_start(current - DEFAULT_QUARTERS + 1), quarter_end(current)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def grain_parts(*cuts: dt.date | None, coarse: int = MONTH) -> list[Q]:
    """``grain_q``'s rows as disjoint parts, each of which an index on (…, grain, deadline)
    reads by its own range: PostgreSQL reads an OR of them as a scan of every row of the
    organisation (99,000 day rows of a ministry at national scale) to keep a thousand."""
    if coarse == DAY:
        return [Q(grain=DAY)]
    split = sorted({month_start(c) for c in cuts if c is not None and c.day != 1})
    if not split:
        return [Q(grain=coarse)]
    inside = Q()
    for first in split:
        inside |= Q(deadline__gte=first, deadline__lt=next_month(first))
    return [
        Q(grain=coarse) & (Q(deadline__isnull=True) | ~Q(deadline__in=split)),
        Q(grain=DAY) & inside,
    ]


def summed_by_parts(
    counts: QuerySet[DisciplineCount], parts: Iterable[Q], **sums: Sum
) -> dict[str, int]:
    """``sums`` of the ``counts`` rows of each of ``parts`` (``grain_parts``), one aggregate
    query per part, added up."""
    total = dict.fromkeys(sums, 0)
    for part in parts:
        for name, value in counts.filter(part).order_by().aggregate(**sums).items():
            total[name] += int(value or 0)
    return total


def grain_q(*cuts: dt.date | None, coarse: int = MONTH) -> Q:
    """The rows of ``DisciplineCount`` to sum, so that every condition ``deadline < cut`` (or
    ``>=``) the reader puts on them is decided exactly: the rows of the ``coarse`` month grain
    (``MONTH``, or ``PLAN_MONTH`` for a reader by plan that filters by no organisation or
    region; ``DAY`` for the day rows alone) of every month no cut falls inside, the day rows of
    the months one does (a cut on a month's first day falls between months).

    The cuts of a condition: ``deadline < on`` and ``deadline >= on`` cut at ``on``;
    ``deadline <= day`` and ``deadline > day`` at the next day."""
    parts = grain_parts(*cuts, coarse=coarse)
    where = parts[0]
    for part in parts[1:]:
        where |= part
    return where


def coarse_grain(user: User, *, plan: bool, organisation: bool, group_by_plan: bool = False) -> int:
    """The month grain a reader can sum: by organisation and region unless it filters or
    groups by plan; by plan if it filters by no organisation or region and the person's counts
    are not chosen by organisation (an executor's); else the day rows alone."""
    if not (plan or group_by_plan):
        return MONTH
    if organisation or (is_executor(user) and not can_see_all_plans(user)):
        return DAY
    return PLAN_MONTH


def after(day: dt.date | None) -> dt.date | None:
    """The cut of ``deadline <= day``."""
    return None if day is None else day + dt.timedelta(days=1)


# --- expressions --------------------------------------------------------------------------------


class DaysBetween(Func):
    """``later − earlier`` in calendar days, as an integer."""

    output_field = IntegerField()

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        return (
            f"CAST(julianday({later[0]}) - julianday({earlier[0]}) AS INTEGER)",
            [*later[1], *earlier[1]],
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        # date − date is an integer number of days in PostgreSQL.
        return f"({later[0]} - {earlier[0]})", [*later[1], *earlier[1]]


class QuarterNumber(Func):
    """The quarter of a date as year × 4 + (quarter − 1), for dates in [first, last] quarters."""

    output_field = IntegerField()

    def __init__(self, expression: Any, first: int = _FIRST_QUARTER, last: int = _LAST_QUARTER):
        super().__init__(expression)
        self.first, self.last = first, last

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return (
            f"(CAST(strftime('%%Y', {sql}) AS INTEGER) * 4 "
            f"+ (CAST(strftime('%%m', {sql}) AS INTEGER) - 1) / 3)",
            [*params, *params],
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        # A binary search among the period's quarter starts: far cheaper per row than
        # date_trunc or extract, which go through timestamps.
        starts = [quarter_start(n) for n in range(self.first, self.last + 1)]
        return f"(width_bucket({sql}, %s::date[]) + {self.first - 1})", [*params, starts]


def late_days_expression() -> Case:
    """Calendar days late, for an obligation counted late: the first submission's lateness
    when that was late (it stays, whatever date a return gave), else the standing
    submission's against the deadline."""
    return Case(
        When(first_late(), then=F("first_late_days")),
        default=DaysBetween(F("submitted_on"), F("deadline")),
        output_field=IntegerField(),
    )


def obligation_aggregates(on: dt.date) -> dict[str, Any]:
    # Counting the deadline (never null where a bucket applies) lets an index that holds it
    # answer without reading the table.
    accepted = status_filter(ObligationStatus.ACCEPTED, on)
    on_time_day = Q(submitted_on__lte=F("deadline")) & not_first_late()
    late_day = submitted_late()
    late_open = status_filter(ObligationStatus.SUBMITTED_LATE, on)
    overdue = status_filter(ObligationStatus.OVERDUE, on)
    return {
        "on_time_open": Count(
            "deadline", filter=status_filter(ObligationStatus.SUBMITTED_ON_TIME, on)
        ),
        "late_open": Count("deadline", filter=late_open),
        "accepted_on_time": Count(
            "deadline",
            filter=accepted & ((Q(submitted_on__isnull=True) & not_first_late()) | on_time_day),
        ),
        "accepted_late": Count("deadline", filter=accepted & late_day),
        "overdue": Count("deadline", filter=overdue),
        "late_days": Sum(late_days_expression(), filter=late_open | (accepted & late_day)),
        "overdue_days": Sum(DaysBetween(Value(on), F("deadline")), filter=overdue),
    }


def count_aggregates(on: dt.date) -> dict[str, Any]:
    """The same figures from ``DisciplineCount``: a pending obligation is overdue once its
    deadline has passed, decided here, for ``on``."""
    overdue = Q(bucket__in=PENDING_BUCKETS, deadline__lt=on)
    return {
        "on_time_open": Sum("obligations", filter=Q(bucket=ON_TIME_OPEN)),
        "late_open": Sum("obligations", filter=Q(bucket=LATE_OPEN)),
        "accepted_on_time": Sum("obligations", filter=Q(bucket=ACCEPTED_ON_TIME)),
        "accepted_late": Sum("obligations", filter=Q(bucket=ACCEPTED_LATE)),
        "overdue": Sum("obligations", filter=overdue),
        "late_days": Sum("late_days", filter=Q(bucket__in=LATE_BUCKETS)),
        # Σ n × (on − deadline) = Σ n × (on − EPOCH) − Σ n × (deadline − EPOCH): the same for
        # a month's row as for its days'.
        "overdue_days": Sum(
            ExpressionWrapper(
                F("obligations") * Value((on - EPOCH).days) - F("deadline_days"),
                output_field=BigIntegerField(),
            ),
            filter=overdue,
        ),
    }


FIGURE_FIELDS = (
    "on_time_open",
    "late_open",
    "accepted_on_time",
    "accepted_late",
    "overdue",
    "late_days",
    "overdue_days",
)


# --- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Counts of one group. Each bucket matches one status of the obligation list, so that every
    number links to exactly the obligations behind it."""

    on_time_open: int = 0  # submitted on time, awaiting review
    late_open: int = 0  # submitted late, awaiting review
    accepted_on_time: int = 0
    accepted_late: int = 0
    overdue: int = 0
    late_days: int = 0
    overdue_days: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Figures:
        return cls(**{name: int(row.get(name) or 0) for name in FIGURE_FIELDS})

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{name: getattr(self, name) + getattr(other, name) for name in FIGURE_FIELDS}
        )

    @property
    def on_time(self) -> int:
        return self.on_time_open + self.accepted_on_time

    @property
    def late(self) -> int:
        return self.late_open + self.accepted_late

    @property
    def accepted(self) -> int:
        return self.accepted_on_time + self.accepted_late

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def delayed(self) -> int:
        return self.late + self.overdue

    @property
    def share_on_time(self) -> float | None:
        """0..1; None when nothing counts yet."""
        return self.on_time / self.counted if self.counted else None

    @property
    def percent_on_time(self) -> float | None:
        share = self.share_on_time
        return None if share is None else round(share * 100, 1)

    @property
    def average_delay(self) -> float | None:
        """Calendar days; None when nothing is late or overdue."""
        if not self.delayed:
            return None
        return round((self.late_days + self.overdue_days) / self.delayed, 1)

    @property
    def band(self) -> str:
        """The colour class of the share on time, for charts and the map."""
        share = self.share_on_time
        if share is None:
            return "none"
        if share >= 0.9:
            return "good"
        if share >= 0.75:
            return "fair"
        if share >= 0.6:
            return "poor"
        return "bad"


@dataclass(frozen=True)
class DisciplineFilter:
    plan_id: int | None = None
    organisation_id: int | None = None
    region_id: int | None = None
    date_from: dt.date | None = None  # deadline on or after
    date_to: dt.date | None = None  # deadline on or before

    def query(self, **extra: object) -> str:
        """The obligation list's query string for these filters and ``extra`` ones
        (``status``, ``quarter``, ``plan``, ``organisation``, ``region``)."""
        params: dict[str, object] = {
            "plan": self.plan_id,
            "organisation": self.organisation_id,
            "region": self.region_id,
            "deadline_from": self.date_from.isoformat() if self.date_from else None,
            "deadline_to": self.date_to.isoformat() if self.date_to else None,
        }
        params.update(extra)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@dataclass(frozen=True)
class Group:
    """One organisation, region, plan or quarter with its figures."""

    key: int | None  # None: the project tasks of programs, in no plan
    label: str
    figures: Figures
    query: str  # the obligation list's filters for this group
    url: str = ""  # the group's own dashboard, where the reader may open it


@dataclass
class Dashboard:
    filters: DisciplineFilter
    on: dt.date
    totals: Figures
    organisations: list[Group]
    regions: list[Group]
    quarters: list[Group]


# --- reading ------------------------------------------------------------------------------------


def _shared_where(filters: DisciplineFilter) -> Q:
    """Organisation, region and period: what obligations and their counts both answer."""
    where = Q()
    if filters.organisation_id is not None:
        where &= Q(organisation_id=filters.organisation_id)
    if filters.region_id is not None:
        where &= Q(region_id=filters.region_id) | Q(organisation__region_id=filters.region_id)
    if filters.date_from is not None:
        where &= Q(deadline__gte=filters.date_from)
    if filters.date_to is not None:
        where &= Q(deadline__lte=filters.date_to)
    return where


def discipline_obligations(user: User, filters: DisciplineFilter) -> QuerySet[Obligation]:
    """The obligations the figures are made of: visible, in force, deadline in the period."""
    qs = visible_obligations(user).filter(source_in_force_q(), in_force=True)
    if filters.plan_id is not None:
        qs = qs.filter(activity__plan_id=filters.plan_id)
    # No ordering: the model's default would join activities and executors into the GROUP BY.
    return qs.filter(_shared_where(filters)).order_by()


def _quarter_expression(filters: DisciplineFilter) -> Expression:
    first = quarter_number(filters.date_from) if filters.date_from else _FIRST_QUARTER
    last = quarter_number(filters.date_to) if filters.date_to else _LAST_QUARTER
    return QuarterNumber(F("deadline"), max(first, _FIRST_QUARTER), min(last, _LAST_QUARTER))


def visible_counts(user: User) -> QuerySet[DisciplineCount]:
    """The counts of the obligations ``visible_obligations`` gives the user (in force only)."""
    if not (user.is_authenticated and user.is_active):
        return DisciplineCount.objects.none()
    if can_see_all_plans(user):
        return DisciplineCount.objects.all()
    condition: Q | None = None
    if is_controller(user):
        condition = controlled_plans_q(user)
    if is_executor(user):
        mine = Q(organisation_id=user.organisation_id)
        condition = mine if condition is None else condition | mine
    if condition is None:
        return DisciplineCount.objects.none()
    return DisciplineCount.objects.filter(condition)


def discipline_count_parts(
    user: User, filters: DisciplineFilter, on: dt.date, *, by_plan: bool = False
) -> list[QuerySet[DisciplineCount]]:
    """``discipline_obligations`` as counts: the rows of the grains that decide the figures
    for ``on`` exactly, one queryset per disjoint part (``grain_parts``), each read by its own
    index range. ``by_plan``: the reader groups by plan."""
    coarse = coarse_grain(
        user,
        plan=filters.plan_id is not None,
        organisation=filters.organisation_id is not None or filters.region_id is not None,
        group_by_plan=by_plan,
    )
    if coarse == PLAN_MONTH:
        # Grouped by organisation and region too (the plan's own dashboard): the day rows.
        coarse = PLAN_MONTH if by_plan else DAY
    qs = visible_counts(user).filter(_shared_where(filters))
    if filters.plan_id is not None:
        qs = qs.filter(plan_id=filters.plan_id)
    return [
        qs.filter(part).order_by()
        for part in grain_parts(on, filters.date_from, after(filters.date_to), coarse=coarse)
    ]


def grouped_by_parts(
    parts: Iterable[QuerySet[DisciplineCount]],
    on: dt.date,
    *keys: str,
    **expressions: Any,
) -> list[dict[str, Any]]:
    """The figures of ``count_aggregates`` per group of ``keys`` (fields, or ``expressions``
    named as keys), one GROUP BY per part, added up in Python (a few hundred groups per part):
    PostgreSQL reads the parts' OR as a bitmap scan of the table, each part alone from the
    covering index (the by-plan table: 18 -> 9 ms at national scale). A group exists where an
    obligation does: rows emptied by later changes do not make one."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for part in parts:
        rows = part.values(*keys, **expressions).annotate(
            **count_aggregates(on), obligations_in_group=Sum("obligations")
        )
        for row in rows:
            key = tuple(row[name] for name in (*keys, *expressions))
            found = merged.get(key)
            if found is None:
                merged[key] = dict(row)
                continue
            for name, value in row.items():
                if name not in found or name in keys or name in expressions:
                    continue
                found[name] = int(found[name] or 0) + int(value or 0)
    return [row for row in merged.values() if row["obligations_in_group"]]


def fine_groups(
    user: User, filters: DisciplineFilter, on: dt.date, *, from_obligations: bool = False
) -> Iterable[Mapping[str, Any]]:
    """Figures per (organisation, region, quarter): the rows the dashboards roll up.

    Read from ``DisciplineCount`` (kept by plan too) unless ``from_obligations`` (checks and
    benchmarks)."""
    if from_obligations:
        return (
            discipline_obligations(user, filters)
            .values("organisation_id", "region_id", quarter=_quarter_expression(filters))
            .annotate(**obligation_aggregates(on))
        )
    return grouped_by_parts(
        discipline_count_parts(user, filters, on),
        on,
        "organisation_id",
        "region_id",
        quarter=_quarter_expression(filters),
    )


def _sum(pairs: Iterable[tuple[Any, tuple[int, ...]]]) -> dict[Any, Figures]:
    """Add up counts per key (a few hundred groups, not obligations)."""
    sums: dict[Any, list[int]] = {}
    for key, values in pairs:
        found = sums.get(key)
        if found is None:
            sums[key] = list(values)
        else:
            for i, value in enumerate(values):
                found[i] += value
    return {key: Figures(*values) for key, values in sums.items()}


def worst_first_key(figures: Figures, label: str) -> tuple[float, int, tuple[object, ...]]:
    """The groups' order: worst share on time first (none counted last), then the most
    counted, then the name in the reader's alphabet."""
    share = figures.share_on_time
    return (2.0 if share is None else share, -figures.counted, sort_key(label))


def _worst_first(groups: list[Group]) -> list[Group]:
    return sorted(groups, key=lambda group: worst_first_key(group.figures, group.label))


def discipline_dashboard(
    user: User,
    filters: DisciplineFilter,
    *,
    on: dt.date | None = None,
    from_obligations: bool = False,
) -> Dashboard:
    """Totals, organisations, regions and quarters from one GROUP BY query; names in one query
    per kind. Groups are listed worst share first (the plans: ``discipline_plans``).
    ``from_obligations`` reads the obligations themselves instead of their counts."""
    on = on or today()
    rows = [
        (
            row["organisation_id"],
            row["region_id"],
            row["quarter"],
            tuple(int(row[name] or 0) for name in FIGURE_FIELDS),
        )
        for row in fine_groups(user, filters, on, from_obligations=from_obligations)
    ]
    org_ids = {org for org, _region, _quarter, _figures in rows if org is not None}
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=org_ids).only(
            "id", "name_kk", "name_ru", "name_en", "abbr_kk", "abbr_ru", "region_id"
        )
    }
    regions = {r.pk: r for r in Region.objects.only("id", "name_kk", "name_ru", "name_en")}

    def region_of(org: int | None, region: int | None) -> int | None:
        if region is not None:
            return region
        found = organisations.get(org) if org is not None else None
        return found.region_id if found is not None else None

    by_org = _sum((org, figures) for org, _region, _quarter, figures in rows if org is not None)
    by_region = _sum(
        (region_of(org, region), figures)
        for org, region, _quarter, figures in rows
        if region_of(org, region) is not None
    )
    by_quarter = _sum((quarter, figures) for _org, _region, quarter, figures in rows)
    totals = _sum((None, figures) for *_keys, figures in rows).get(None, Figures())

    org_groups = [
        Group(
            key=pk,
            label=str(organisations[pk]) if pk in organisations else f"#{pk}",
            figures=figures,
            query=replace(filters, organisation_id=pk).query(),
        )
        for pk, figures in by_org.items()
    ]
    region_groups = [
        Group(
            key=pk,
            label=regions[pk].name if pk in regions else f"#{pk}",
            figures=figures,
            query=replace(filters, region_id=pk).query(),
        )
        for pk, figures in by_region.items()
    ]
    quarter_groups = [
        Group(
            key=number,
            label=quarter_label(number),
            figures=by_quarter[number],
            query=filters.query(quarter=quarter_label(number)),
        )
        for number in sorted(by_quarter)
    ]
    return Dashboard(
        filters=filters,
        on=on,
        totals=totals,
        organisations=_worst_first(org_groups),
        regions=_worst_first(region_groups),
        quarters=quarter_groups,
    )
