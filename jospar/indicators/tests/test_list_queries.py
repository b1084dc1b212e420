"""Every list of the indicators' pages costs a fixed number of queries: the count is measured on
a small set, more indicators, regions, values, surveys and waves are added, and the count must
not change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.core.models import Region, User
from jospar.indicators.models import Aggregation, DataValue, Indicator, Target, ValueState
from jospar.indicators.periods import parse_period
from jospar.indicators.services.surveys import survey_create, wave_create
from jospar.indicators.tests.conftest import World, make_indicator, make_region
from jospar.programs.models import NodeKind, Program, ProgramNode

Q3 = parse_period("2024Q3")
Q2 = parse_period("2024Q2")
YES_NO = [
    {"code": "yes", "text_kk": "Иә", "text_ru": "Да"},
    {"code": "no", "text_kk": "Жоқ", "text_ru": "Нет"},
]


def _value(indicator: Indicator, region: Region | None, period: Any, state: str) -> None:
    DataValue.objects.create(
        indicator=indicator,
        period=period.iso,
        period_type=period.type,
        period_start=period.start,
        region=region,
        value=Decimal(7),
        state=state,
        entered_at="2024-10-01T00:00Z",
        submitted_at="2024-10-02T00:00Z" if state != ValueState.DRAFT else None,
    )


def _more(world: World, node: ProgramNode, n: int, regions: list[Region]) -> None:
    """``n`` more indicators with targets and values in every region, some of them waiting in
    the queue, and a survey with its waves."""
    start = Indicator.objects.count()
    for i in range(n):
        indicator = make_indicator(
            f"more-{start + i}",
            aggregation=(Aggregation.SUM, Aggregation.WEIGHTED_MEAN, Aggregation.NONE)[i % 3],
            node=node,
        )
        Target.objects.create(indicator=indicator, year=2024, value=Decimal(5), comparator="ge")
        Target.objects.create(
            indicator=indicator, year=2024, region=regions[0], value=Decimal(6), comparator="ge"
        )
        for period in (Q2, Q3):
            for region in [*regions, None]:
                _value(indicator, region, period, ValueState.APPROVED)
        # The north's office has this quarter's values waiting in the queue.
        DataValue.objects.filter(indicator=indicator, region=world.north, period=Q3.iso).update(
            state=ValueState.SUBMITTED
        )
    centre = world.people["controller"]
    survey = survey_create(
        actor=centre,
        code=f"survey-{start}",
        title_kk="Сауалнама",
        title_ru="Опрос",
        questions=[{"code": "q1", "text_kk": "?", "text_ru": "?", "answers": YES_NO}],
    )
    planned = {r.pk: 10 for r in regions}
    for half in ("2023S1", "2023S2", "2024S1"):
        wave_create(actor=centre, survey=survey, period=half, planned=planned)


def _counts(world: World, program: Program) -> dict[str, int]:
    pages: list[tuple[str, str]] = [
        ("observer", reverse("indicators:dashboard")),
        ("observer", reverse("indicators:export")),
        ("observer", reverse("indicators:region", args=[world.north.pk])),
        ("office_north", reverse("indicators:region", args=[world.north.pk])),
        ("observer", reverse("indicators:region-export", args=[world.north.pk])),
        ("observer", reverse("indicators:indicator", args=[world.count.pk])),
        ("observer", reverse("indicators:program", args=[program.pk])),
        ("observer", reverse("indicators:surveys")),
        ("controller", reverse("indicators:queue")),
        ("controller", reverse("indicators:exchange")),
        ("controller", f"{reverse('indicators:export-csv')}?period={Q3.iso}"),
        ("controller", f"{reverse('indicators:export-json')}?period={Q3.iso}"),
        ("office_north", f"{reverse('indicators:entry')}?period={Q3.iso}"),
        ("controller", f"{reverse('indicators:entry')}?period={Q3.iso}"),
    ]
    out = {}
    for who, url in pages:
        client = Client()
        user: User = world.people[who]
        client.force_login(user)
        client.get(url)  # sessions, caches and the like settle before counting
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        out[f"{who} {url}"] = len(queries.captured_queries)
    return out


def test_every_list_costs_a_fixed_number_of_queries(world: World) -> None:
    program = Program.objects.create(title_kk="Бағдарлама", title_ru="Программа")
    sub = ProgramNode.objects.create(
        program=program, kind=NodeKind.SUBPROGRAM, position=1, name_kk="Кіші бағдарлама"
    )
    base = ProgramNode.objects.create(
        program=program, parent=sub, kind=NodeKind.BASE_PROJECT, position=2, name_kk="Жоба"
    )
    world.count.node = base
    world.count.save()
    for period in (Q2, Q3):
        _value(world.count, world.north, period, ValueState.APPROVED)
    _more(world, base, 2, [world.north, world.south])
    small = _counts(world, program)
    east = make_region("east-x", 2_000_000)
    west = make_region("west-x", 500_000)
    _more(world, base, 9, [world.north, world.south, east, west])
    assert Indicator.objects.count() >= 14
    assert DataValue.objects.filter(state=ValueState.SUBMITTED).count() >= 11
    large = _counts(world, program)
    grown = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert not grown, f"queries grew with the data: {grown}"
