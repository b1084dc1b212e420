"""Discipline figures on a data set whose answers are known (see ``discipline_world``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jospar.control.discipline import (
    DisciplineFilter,
    Figures,
    default_period,
    discipline_dashboard,
    quarter_end,
    quarter_label,
    quarter_number,
    quarter_start,
)
from jospar.control.discipline_plans import discipline_by_plan
from jospar.control.models import Obligation, ObligationStatus
from jospar.control.status import status_of
from jospar.control.tests import discipline_world as w
from jospar.core.models import CalendarDay, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> w.World:
    return w.build(timezone.localdate())


@pytest.fixture
def observer(make_user: Callable[..., User]) -> User:
    return make_user(Role.OBSERVER, username="observer")


def test_totals(world: w.World, observer: User) -> None:
    board = discipline_dashboard(observer, DisciplineFilter(), on=world.today)
    t = board.totals
    assert (t.counted, t.on_time, t.late, t.overdue) == (9, 3, 4, 2)
    assert (t.on_time_open, t.accepted_on_time, t.late_open, t.accepted_late) == (2, 1, 3, 1)
    assert t.share_on_time == pytest.approx(3 / 9)
    assert t.percent_on_time == 33.3
    assert t.average_delay == round(w.DELAY_DAYS / 6, 1)
    assert t.late_days == 5 + 3 + 2 + 1
    assert t.overdue_days == 10 + 4


def test_each_bucket_is_one_status(world: w.World, observer: User) -> None:
    """The buckets agree with the status rules, obligation by obligation."""
    board = discipline_dashboard(observer, DisciplineFilter(), on=world.today)
    statuses = {
        name: status_of(o, world.today)
        for name, o in world.obligations.items()
        if name in "abcdefghij"
    }
    assert statuses["a"] == statuses["i"] == ObligationStatus.SUBMITTED_ON_TIME
    assert statuses["b"] == statuses["d"] == ObligationStatus.ACCEPTED
    assert statuses["c"] == statuses["g"] == ObligationStatus.SUBMITTED_LATE
    assert statuses["e"] == statuses["f"] == ObligationStatus.OVERDUE
    assert statuses["h"] == ObligationStatus.NOT_YET_DUE
    assert statuses["j"] == ObligationStatus.RETURNED
    assert board.totals.overdue == sum(s == ObligationStatus.OVERDUE for s in statuses.values())


def test_holidays_do_not_change_the_share(world: w.World, observer: User) -> None:
    before = discipline_dashboard(observer, DisciplineFilter(), on=world.today).totals
    for offset in range(-70, 40, 3):
        CalendarDay.objects.get_or_create(
            day=world.today + dt.timedelta(days=offset),
            defaults={"is_working": False, "name": "holiday", "source": "admin"},
        )
    after = discipline_dashboard(observer, DisciplineFilter(), on=world.today).totals
    assert after == before


def _by_key(groups: list[Any]) -> dict[int, Figures]:
    return {g.key: g.figures for g in groups}


def test_by_organisation(world: w.World, observer: User) -> None:
    board = discipline_dashboard(observer, DisciplineFilter(), on=world.today)
    orgs = _by_key(board.organisations)
    m1, m2 = orgs[world.ministry1.pk], orgs[world.ministry2.pk]
    a1, a2 = orgs[world.akimat1.pk], orgs[world.akimat2.pk]
    assert (m1.counted, m1.on_time, m1.late, m1.overdue) == (3, 2, 1, 0)
    assert (m2.counted, m2.on_time, m2.late, m2.overdue) == (2, 0, 1, 1)
    assert (a1.counted, a1.on_time, a1.late, a1.overdue) == (3, 0, 2, 1)
    assert (a2.counted, a2.on_time) == (1, 1)
    # Worst share first.
    shares = [g.figures.share_on_time or 0.0 for g in board.organisations]
    assert shares == sorted(shares)


def test_by_region_includes_akimats_named_by_name(world: w.World, observer: User) -> None:
    board = discipline_dashboard(observer, DisciplineFilter(), on=world.today)
    regions = _by_key(board.regions)
    r1, r2 = regions[world.region1.pk], regions[world.region2.pk]
    assert (r1.counted, r1.late, r1.overdue) == (3, 2, 1)  # f, g and m
    assert (r2.counted, r2.on_time) == (1, 1)
    only = discipline_dashboard(
        observer, DisciplineFilter(region_id=world.region1.pk), on=world.today
    )
    assert only.totals == r1


def test_by_plan(world: w.World, observer: User) -> None:
    plans = _by_key(discipline_by_plan(observer, DisciplineFilter(), on=world.today))
    assert plans[world.plan1.pk].counted == 8
    assert plans[world.plan2.pk].counted == 1  # k is withdrawn
    one = discipline_dashboard(observer, DisciplineFilter(plan_id=world.plan2.pk), on=world.today)
    assert one.totals == plans[world.plan2.pk]


def test_trend_by_quarter_of_the_deadline(world: w.World, observer: User) -> None:
    board = discipline_dashboard(observer, DisciplineFilter(), on=world.today)
    expected: dict[int, list[str]] = {}
    for name in w.COUNTED:
        expected.setdefault(quarter_number(world.deadline(name)), []).append(name)
    got = {g.key: g for g in board.quarters if g.key is not None}
    assert set(got) == set(expected)
    for number, names in expected.items():
        figures = got[number].figures
        assert figures.counted == len(names)
        assert figures.on_time == sum(n in w.ON_TIME for n in names)
        assert got[number].label == quarter_label(number)
        assert f"quarter={quarter_label(number)}" in got[number].query
    assert [g.key for g in board.quarters] == sorted(got)


def test_period_bounds_the_deadline(world: w.World, observer: User) -> None:
    start = world.deadline("c")
    board = discipline_dashboard(
        observer, DisciplineFilter(date_from=start, date_to=world.today), on=world.today
    )
    inside = [n for n in w.COUNTED if start <= world.deadline(n) <= world.today]
    assert board.totals.counted == len(inside)


def test_executor_sees_only_its_own(world: w.World, make_user: Callable[..., User]) -> None:
    executor = make_user(Role.EXECUTOR, organisation=world.ministry1, username="m1")
    board = discipline_dashboard(executor, DisciplineFilter(), on=world.today)
    assert board.totals.counted == 3
    assert [g.key for g in board.organisations] == [world.ministry1.pk]


def test_quarters() -> None:
    assert quarter_label(quarter_number(dt.date(2016, 2, 29))) == "2016-Q1"
    assert quarter_start(quarter_number(dt.date(2016, 11, 5))) == dt.date(2016, 10, 1)
    assert quarter_end(quarter_number(dt.date(2016, 11, 5))) == dt.date(2016, 12, 31)
    assert default_period(dt.date(2026, 11, 22)) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert default_period(dt.date(2026, 2, 1)) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def test_figures_agree_with_the_status_rules_on_synthetic_data(observer: User) -> None:
    """`synth --small` makes every kind of outcome; the SQL figures equal a computation in
    Python from each obligation's status."""
    call_command("synth", "--small", stdout=_Null())
    on = timezone.localdate()
    board = discipline_dashboard(observer, DisciplineFilter(), on=on)
    expected = {"on_time": 0, "late": 0, "overdue": 0, "delay": 0}
    rows = Obligation.objects.filter(in_force=True, activity__in_force=True).exclude(
        deadline__isnull=True
    )
    for o in rows:
        assert o.deadline is not None
        status = status_of(o, on)
        reported = status in (
            ObligationStatus.ACCEPTED,
            ObligationStatus.SUBMITTED_ON_TIME,
            ObligationStatus.SUBMITTED_LATE,
        )
        # A first submission that was late stays late, with its own delay (decisions.md).
        first_late = (o.first_late_days or 0) > 0
        if reported and not first_late and (o.submitted_on is None or o.submitted_on <= o.deadline):
            expected["on_time"] += 1
        elif reported:
            assert o.submitted_on is not None
            expected["late"] += 1
            first = o.first_late_days or 0
            expected["delay"] += first if first_late else (o.submitted_on - o.deadline).days
        elif status == ObligationStatus.OVERDUE:
            expected["overdue"] += 1
            expected["delay"] += (on - o.deadline).days
    t = board.totals
    assert (t.on_time, t.late, t.overdue) == (
        expected["on_time"],
        expected["late"],
        expected["overdue"],
    )
    assert t.late_days + t.overdue_days == expected["delay"]
    assert t.on_time
    assert t.late
    assert t.overdue
    assert t.accepted


class _Null:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None
