"""Computed indicators: each rule's stored value equals a fresh computation, with its time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from jospar.civic.figure_counts import figure_counts_rebuild
from jospar.civic.models import CitizenReport, ReportEvent, ReportState, Topic
from jospar.control.models import Obligation
from jospar.core.models import AuditEvent, Organisation, OrganisationKind
from jospar.indicators.computed import RULES, compute
from jospar.indicators.models import (
    DataValue,
    Level,
    Method,
    ValueOrigin,
    ValueState,
    place_q,
)
from jospar.indicators.periods import parse_period
from jospar.indicators.services.computed import computed_refresh
from jospar.indicators.tests.conftest import World, make_indicator
from jospar.plans.models import Activity, ActivityExecutor, Plan

Q1 = parse_period("2024Q1")
AT = dt.datetime(2024, 2, 10, 6, tzinfo=dt.UTC)


def _report(world: World, region: Any, **fields: Any) -> CitizenReport:
    topic, _ = Topic.objects.get_or_create(
        code="roads", defaults={"name_kk": "Жол", "name_ru": "Дороги", "name_en": "Roads"}
    )
    values: dict[str, Any] = {
        "topic": topic,
        "description": "Яма",
        "public_description": "Яма",
        "latitude": 43.2,
        "longitude": 76.9,
        "region": region,
        "akimat": region.akimat,
        "state": ReportState.PUBLISHED,
        "submitted_at": AT,
        "published_at": AT,
        "updated_at": AT,
    }
    values.update(fields)
    return CitizenReport.objects.create(**values)


def _civic_data(world: World) -> None:
    done = {"state": ReportState.DONE, "resolved_at": AT + dt.timedelta(days=2)}
    _report(world, world.north, response_due_on=dt.date(2024, 2, 20), **done)  # promptly
    _report(world, world.north, response_due_on=dt.date(2024, 2, 11), **done)  # late
    _report(world, world.south, response_due_on=dt.date(2024, 2, 25), **done)  # promptly
    by_citizen = _report(world, world.south, response_due_on=dt.date(2024, 2, 25), **done)
    ReportEvent.objects.create(
        report=by_citizen, at=AT + dt.timedelta(days=2), kind="solved_by_citizen", to_state="done"
    )
    _report(world, world.south)  # placed, open
    # Written behind the civic services' back: the figures they keep are recomputed.
    figure_counts_rebuild()


def _obligations(world: World) -> None:
    ministry = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="МК")
    plan = Plan.objects.create(title_ru="План", approved_on=dt.date(2023, 1, 1))
    activity = Activity.objects.create(plan=plan, number="1", position=1, title_ru="Сделать")
    executor = ActivityExecutor.objects.create(
        activity=activity, position=1, code_ru="МК", organisation=ministry
    )
    due = dt.date(2024, 3, 1)
    common = {"activity": activity, "executor": executor, "due_on": due, "deadline": due}
    submitted = timezone.now()
    Obligation.objects.create(
        organisation=ministry, submitted_at=submitted, submitted_on=due, first_late_days=0, **common
    )
    akimats = ActivityExecutor.objects.create(
        activity=activity, position=2, code_ru="МИО", is_akimat_group=True
    )
    common["executor"] = akimats
    Obligation.objects.create(
        region=world.north,
        submitted_at=submitted,
        submitted_on=due + dt.timedelta(days=3),
        first_late_days=3,
        **common,
    )
    Obligation.objects.create(region=world.south, **common)  # never submitted: late


def test_rules_compute_what_they_say(world: World) -> None:
    _civic_data(world)
    _obligations(world)
    assert compute("civic_solved_promptly", Q1, None) == 2
    assert compute("civic_solved_promptly", Q1, world.north.pk) == 1
    assert compute("civic_solved_by_citizens", Q1, None) == 1
    assert compute("civic_reports_per_month", Q1, None) == Decimal("1.67")  # 5 in 3 months
    assert compute("civic_reports_per_month", parse_period("202402"), None) == 5
    assert compute("control_on_time_share", Q1, None) == Decimal("33.33")
    assert compute("control_on_time_share", Q1, world.north.pk) == 0
    assert compute("control_on_time_share", parse_period("2024Q2"), None) is None


def test_stored_values_equal_a_fresh_computation(world: World) -> None:
    _civic_data(world)
    _obligations(world)
    periods = [Q1, parse_period("2024Q2")]
    indicators = [
        make_indicator(
            f"c-{name}",
            method=Method.COMPUTED,
            rule=name,
            level=Level.REGION if i % 2 else Level.NATIONAL,
        )
        for i, name in enumerate(RULES)
    ]
    for indicator in indicators:
        computed_refresh(actor=None, indicator=indicator, periods=periods)
    stored = DataValue.objects.filter(origin=ValueOrigin.COMPUTED)
    assert stored.exists()
    for row in stored:
        assert row.state == ValueState.APPROVED
        assert row.computed_at is not None
        assert row.value == compute(row.indicator.rule, parse_period(row.period), row.region_id)
    # Every (indicator, period, place) with data is stored; none without.
    for indicator in indicators:
        for period in periods:
            places = [None] + (
                [world.north.pk, world.south.pk] if indicator.level == Level.REGION else []
            )
            for place in places:
                fresh = compute(indicator.rule, period, place)
                found = stored.filter(
                    place_q(place), indicator=indicator, period=period.iso
                ).first()
                assert (found.value if found else None) == fresh


def test_recompute_follows_the_data_and_is_idempotent(world: World) -> None:
    indicator = make_indicator(
        "c-prompt", method=Method.COMPUTED, rule="civic_solved_promptly", level=Level.NATIONAL
    )
    _civic_data(world)
    computed_refresh(actor=None, indicator=indicator, periods=[Q1])
    audits = AuditEvent.objects.count()
    again = computed_refresh(actor=None, indicator=indicator, periods=[Q1])
    assert (again.written, again.unchanged) == (0, 1)
    assert AuditEvent.objects.count() == audits
    _report(
        world,
        world.north,
        response_due_on=dt.date(2024, 3, 1),
        state=ReportState.DONE,
        resolved_at=AT,
    )
    figure_counts_rebuild()
    out = StringIO()
    call_command("compute_indicators", "--period", "2024Q1", stdout=out)
    assert "c-prompt: 1 written" in out.getvalue()
    assert DataValue.objects.get(indicator=indicator).value == 3
    assert AuditEvent.objects.filter(action="indicator.computed").count() == 2
