"""Synthetic indicators at national scale, for the benchmarks: 300 indicators of a synthetic
program (10 sub-programs of 3 base projects), each with a target per year, and their values
for the 20 regions of each quarter over 40 quarters — about 245,000 values (the
indicators that are not aggregable have a national value too).

Most values are approved; in the newest quarter some regions have not reported and some values
wait in the approval flow; indicators that are not aggregable carry a national value. Synthetic
rows are marked by their codes (``synth-``) so that ``synth_indicators_reset`` finds them again;
the same seed gives the same data. On PostgreSQL the values go in with COPY
(``jospar.control.synth_load.TableWriter``), plain INSERTs elsewhere.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jospar.control.synth_load import TableWriter
from jospar.core.models import Region
from jospar.indicators.models import (
    Aggregation,
    Comparator,
    DataValue,
    Direction,
    Indicator,
    IndicatorKind,
    Level,
    Method,
    Target,
    ValueOrigin,
    ValueState,
)
from jospar.indicators.periods import Period, PeriodType
from jospar.programs.models import NodeKind, Program, ProgramNode

MARK = "synth-"
PROGRAM_TITLE = "[synth] Бағдарлама"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class IndicatorSynthSpec:
    indicators: int = 300
    quarters: int = 40
    seed: int = 20261207

    @classmethod
    def small(cls) -> IndicatorSynthSpec:
        return cls(indicators=12, quarters=8)


@dataclass
class IndicatorSynthResult:
    indicators: int = 0
    targets: int = 0
    values: int = 0
    removed: int = 0
    seconds: float = 0.0


def synth_indicators_reset() -> int:
    """Remove the synthetic indicators with their values and targets; returns how many."""
    with transaction.atomic():
        ours = Indicator.objects.filter(code__startswith=MARK)
        DataValue.objects.filter(indicator__in=ours).delete()
        count = ours.count()
        ours.delete()  # targets go with them
        programs = Program.objects.filter(title_kk=PROGRAM_TITLE)
        # A node's parent is protected: the base projects go before their sub-programs.
        ProgramNode.objects.filter(program__in=programs, parent__isnull=False).delete()
        ProgramNode.objects.filter(program__in=programs).delete()
        programs.delete()
    return count


def _quarters(count: int, today: dt.date) -> list[Period]:
    """The ``count`` quarters ending with the last one that has ended."""
    year, quarter = today.year, (today.month - 1) // 3  # the previous quarter (0: last year's Q4)
    if quarter == 0:
        year, quarter = year - 1, 4
    out = []
    for _ in range(count):
        out.append(Period(year, str(PeriodType.QUARTERLY), quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return list(reversed(out))


def _program(subprograms: int = 10, projects: int = 3) -> list[ProgramNode]:
    program = Program.objects.create(title_kk=PROGRAM_TITLE, title_ru="[synth] Программа")
    bases = []
    for s in range(subprograms):
        sub = ProgramNode.objects.create(
            program=program,
            kind=NodeKind.SUBPROGRAM,
            position=s * 10,
            printed_number=str(s + 1),
            name_kk=f"{s + 1}-кіші бағдарлама",
            name_ru=f"Подпрограмма {s + 1}",
        )
        for p in range(projects):
            bases.append(
                ProgramNode.objects.create(
                    program=program,
                    parent=sub,
                    kind=NodeKind.BASE_PROJECT,
                    position=s * 10 + p + 1,
                    printed_number=f"{s + 1}.{p + 1}",
                    name_kk=f"{s + 1}.{p + 1} базалық жоба",
                    name_ru=f"Базовый проект {s + 1}.{p + 1}",
                )
            )
    return bases


def _indicators(spec: IndicatorSynthSpec, rng: random.Random) -> list[Indicator]:
    nodes = _program()
    kinds = [Aggregation.SUM, Aggregation.WEIGHTED_MEAN, Aggregation.NONE]
    made = []
    for i in range(spec.indicators):
        aggregation = kinds[i % 3] if i % 10 else Aggregation.NONE
        percent = aggregation == Aggregation.WEIGHTED_MEAN
        made.append(
            Indicator(
                code=f"{MARK}{i + 1:04d}",
                name_kk=f"Синтетикалық көрсеткіш {i + 1}",
                name_ru=f"Синтетический показатель {i + 1}",
                kind=IndicatorKind.OUTCOME if i % 4 else IndicatorKind.TARGET,
                unit="%" if percent else "",
                direction=Direction.DOWN if i % 7 == 0 else Direction.UP,
                method=Method.STATISTICS
                if aggregation == Aggregation.NONE
                else Method.LOCAL_REPORTS,
                frequency=PeriodType.QUARTERLY,
                level=Level.REGION,
                aggregation=aggregation,
                node=nodes[i % len(nodes)],
                baseline_value=Decimal(rng.randint(40, 90)),
                baseline_year=2015,
            )
        )
    return Indicator.objects.bulk_create(made, batch_size=500)


def _figure(indicator: Indicator, rng: random.Random, step: int) -> Decimal:
    if indicator.aggregation == Aggregation.WEIGHTED_MEAN:
        return Decimal(str(round(min(99.9, rng.uniform(50, 80) + step * 0.4), 1)))
    return Decimal(rng.randint(20, 200) + step * 3)


def _value_rows(
    spec: IndicatorSynthSpec,
    indicators: list[Indicator],
    regions: list[Region],
    quarters: list[Period],
    rng: random.Random,
    now: dt.datetime,
) -> Iterator[tuple[object, ...]]:
    newest = quarters[-1]
    for indicator in indicators:
        for step, quarter in enumerate(quarters):
            entered = dt.datetime.combine(quarter.end, dt.time(9), tzinfo=dt.UTC)
            # The regions of the quarter (South Kazakhstan until 2018, Abai from 2022, ...);
            # an indicator that is not aggregable has its national value too.
            places: list[Region | None] = [r for r in regions if r.existed_on(quarter.end)]
            if indicator.aggregation == Aggregation.NONE:
                places.append(None)
            for region in places:
                state = ValueState.APPROVED
                if quarter is newest:
                    roll = rng.random()
                    if roll < 0.1:
                        continue  # not reported yet
                    if roll < 0.2:
                        state = ValueState.SUBMITTED
                yield (
                    indicator.pk,
                    quarter.iso,
                    quarter.type,
                    quarter.start,
                    region.pk if region else None,
                    _figure(indicator, rng, step),
                    "synth",
                    ValueOrigin.IMPORTED,
                    state,
                    entered,
                    entered if state != ValueState.DRAFT else None,
                    entered if state == ValueState.APPROVED else None,
                )


VALUE_FIELDS = (
    "indicator_id",
    "period",
    "period_type",
    "period_start",
    "region_id",
    "value",
    "source",
    "origin",
    "state",
    "entered_at",
    "submitted_at",
    "reviewed_at",
)


def synth_indicators_build(
    *,
    spec: IndicatorSynthSpec,
    reset: bool = False,
    now: dt.datetime | None = None,
    progress: Progress = lambda _m: None,
) -> IndicatorSynthResult:
    started = time.perf_counter()
    result = IndicatorSynthResult()
    if reset:
        result.removed = synth_indicators_reset()
    now = now or timezone.now()
    rng = random.Random(spec.seed)
    quarters = _quarters(spec.quarters, timezone.localdate())
    regions = list(Region.objects.defer("bbox").order_by("pk"))
    with transaction.atomic():
        indicators = _indicators(spec, rng)
        result.indicators = len(indicators)
        progress(f"{len(indicators)} indicators")
        years = sorted({q.year for q in quarters})
        targets = [
            Target(
                indicator=indicator,
                year=year,
                value=_figure(indicator, rng, 4 * (year - years[0]) + 6),
                comparator=Comparator.AT_MOST
                if indicator.direction == Direction.DOWN
                else Comparator.AT_LEAST,
            )
            for indicator in indicators
            for year in years
        ]
        Target.objects.bulk_create(targets, batch_size=2000)
        result.targets = len(targets)
        progress(f"{len(targets)} targets")
        writer = TableWriter(DataValue, VALUE_FIELDS)
        result.values = writer.write(_value_rows(spec, indicators, regions, quarters, rng, now))
        progress(f"{result.values} values")
    result.seconds = time.perf_counter() - started
    return result
