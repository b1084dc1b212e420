"""``DisciplineCount`` at three grains (a row per deadline's day, per deadline's month by
organisation and per deadline's month by plan): for
changes, days and periods hypothesis makes up, the kept rows of every grain equal a count from
the obligations, and every reader that mixes them (the list's tabs and totals, the dashboards and
their by-plan figures, the Today desk) gives what the obligations give — whatever day "today"
is and wherever a period's ends fall inside a month."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.control.discipline import (
    DAY,
    MONTH,
    PLAN_MONTH,
    DisciplineFilter,
    discipline_dashboard,
    grain_q,
)
from jospar.control.discipline_counts import counts_kept, discipline_counts_check
from jospar.control.discipline_plans import discipline_by_plan
from jospar.control.models import DisciplineCount, Obligation, ObligationStatus
from jospar.control.selectors.counts import obligation_status_totals, obligation_total
from jospar.control.selectors.obligations import ObligationFilter, obligation_status_counts
from jospar.control.selectors.today import today_desk
from jospar.control.synth import SynthSpec, synth_build
from jospar.core.keyset import Total
from jospar.core.models import User
from jospar.plans.models import Plan

pytestmark = pytest.mark.django_db

SPEC = SynthSpec(plans=3, obligations=300, reports=220, ministries=4, seed=21)
OUTCOMES = ("pending", "on_time", "late", "returned", "accepted", "withdrawn", "moved")
DAYS = st.dates(min_value=dt.date(2014, 11, 1), max_value=dt.date(2027, 3, 31))


def _world() -> None:
    if not Plan.objects.filter(approval_number__startswith="SYNTH-").exists():
        synth_build(actor=None, spec=SPEC)


def _change(obligation_id: int, outcome: str, shift: int) -> None:
    """Give one obligation new facts directly (what a service leaves behind)."""
    o = Obligation.objects.get(pk=obligation_id)
    deadline = o.deadline or o.due_on
    now = timezone.now()
    cleared: dict[str, Any] = {
        "submitted_at": None,
        "submitted_on": None,
        "accepted_at": None,
        "returned_at": None,
        "first_late_days": None,
    }
    if outcome == "pending":
        facts = cleared
    elif outcome in ("on_time", "accepted"):
        facts = {**cleared, "submitted_at": now, "submitted_on": deadline, "first_late_days": 0}
        if outcome == "accepted":
            facts["accepted_at"] = now
    elif outcome == "late":
        late_on = deadline + dt.timedelta(days=3)
        facts = {**cleared, "submitted_at": now, "submitted_on": late_on, "first_late_days": 3}
    elif outcome == "returned":
        facts = {
            **cleared,
            "submitted_at": now - dt.timedelta(hours=1),
            "submitted_on": deadline,
            "returned_at": now,
            "first_late_days": 0,
        }
    elif outcome == "withdrawn":
        facts = {"in_force": not o.in_force}
    else:  # moved: to another day, often another month
        facts = {"deadline": deadline + dt.timedelta(days=shift)}
    Obligation.objects.filter(pk=obligation_id).update(**facts)


def _people() -> list[User]:
    executor = (
        User.objects.filter(
            username__startswith="synth-exec-", organisation__obligations__isnull=False
        )
        .order_by("id")
        .first()
    )
    assert executor is not None
    return [
        User.objects.get(username="synth-controller"),
        User.objects.get(username="synth-observer"),
        executor,
    ]


def _dashboards_agree(user: User, on: dt.date, f: DisciplineFilter) -> None:
    counted = discipline_dashboard(user, f, on=on)
    raw = discipline_dashboard(user, f, on=on, from_obligations=True)
    assert counted.totals == raw.totals, (user.username, on, f)
    for kind in ("organisations", "regions", "quarters"):
        assert [(g.key, g.figures) for g in getattr(counted, kind)] == [
            (g.key, g.figures) for g in getattr(raw, kind)
        ], (kind, user.username, on, f)
    plans = {g.key: g.figures for g in discipline_by_plan(user, f, on=on)}
    fresh = {g.key: g.figures for g in discipline_by_plan(user, f, on=on, from_obligations=True)}
    assert plans == fresh, (user.username, on, f)


def _lists_agree(user: User, f: ObligationFilter) -> None:
    raw = obligation_status_counts(user, f)
    assert obligation_status_totals(user, f) == {k: Total(v) for k, v in raw.items()}, (
        user.username,
        f,
    )
    for status in ObligationStatus:
        with_status = replace(f, status=status.value)
        assert obligation_total(user, with_status) == Total(raw[status.value]), (status, f)
    assert obligation_total(user, f) == Total(sum(raw.values()))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from(OUTCOMES),
            st.integers(min_value=-100, max_value=100),
        ),
        max_size=8,
    ),
    on=DAYS,
    period=st.tuples(st.one_of(st.none(), DAYS), st.one_of(st.none(), DAYS)),
    by=st.sampled_from(("all", "organisation", "region", "plan")),
)
def test_both_grains_equal_the_obligations(
    changes: list[tuple[int, str, int]],
    on: dt.date,
    period: tuple[dt.date | None, dt.date | None],
    by: str,
) -> None:
    _world()
    ids = list(Obligation.objects.order_by("pk").values_list("pk", flat=True))
    touched = sorted({ids[index % len(ids)] for index, _outcome, _shift in changes})
    # What every service does: the counts of the touched obligations before and after, in the
    # change's transaction; the difference goes to both grains.
    with transaction.atomic(), counts_kept(Q(pk__in=touched)):
        for index, outcome, shift in changes:
            _change(ids[index % len(ids)], outcome, shift)
    assert discipline_counts_check() == []
    lo, hi = period
    some = Obligation.objects.filter(in_force=True, activity__isnull=False).order_by("pk").first()
    assert some is not None
    narrow: dict[str, Any] = {}
    if by == "organisation":
        narrow = {"organisation_id": some.organisation_id}
    elif by == "region":
        narrow = {
            "region_id": some.region_id or (some.organisation and some.organisation.region_id)
        }
    elif by == "plan":
        narrow = {"plan_id": some.activity.plan_id if some.activity else None}
    for user in _people():
        _lists_agree(user, ObligationFilter(on=on, deadline_from=lo, deadline_to=hi, **narrow))
        _dashboards_agree(user, on, DisciplineFilter(date_from=lo, date_to=hi, **narrow))
        desk = today_desk(user, on)
        if desk.executor is not None:
            raw = obligation_status_counts(
                user, ObligationFilter(on=on, organisation_id=desk.executor.organisation_id)
            )
            assert (desk.executor.overdue, desk.executor.due_soon, desk.executor.returned) == (
                raw["overdue"],
                raw["due_soon"],
                raw["returned"],
            ), on
        if desk.controller is not None:
            assert (
                desk.controller.overdue
                == obligation_status_counts(user, ObligationFilter(on=on))["overdue"]
            ), on


def test_month_rows_are_fewer_and_read_where_no_boundary_cuts_a_month() -> None:
    _world()
    days = DisciplineCount.objects.filter(grain=DAY).count()
    assert DisciplineCount.objects.filter(grain=MONTH).count() < days
    assert DisciplineCount.objects.filter(grain=PLAN_MONTH).count() < days
    # A boundary on a month's first day cuts no month: the month rows alone.
    assert grain_q(dt.date(2026, 3, 1), None) == Q(grain=MONTH)
    # Inside a month: that month's day rows, the other months' month rows.
    mixed = DisciplineCount.objects.filter(grain_q(dt.date(2026, 3, 17)))
    assert set(mixed.filter(grain=DAY).values_list("deadline__month", flat=True)) <= {3}
    assert not mixed.filter(grain=MONTH, deadline=dt.date(2026, 3, 1)).exists()
    assert grain_q(dt.date(2026, 3, 17), coarse=DAY) == Q(grain=DAY)
    by_plan = DisciplineCount.objects.filter(grain_q(dt.date(2026, 3, 17), coarse=PLAN_MONTH))
    assert set(by_plan.values_list("grain", flat=True)) <= {DAY, PLAN_MONTH}
    assert not by_plan.filter(grain=PLAN_MONTH, organisation__isnull=False).exists()


def test_the_rebuild_and_the_kept_rows_agree_after_a_month_changes() -> None:
    from jospar.control.discipline_counts import discipline_counts_rebuild

    _world()
    o = Obligation.objects.filter(in_force=True, deadline__isnull=False).order_by("pk").first()
    assert o is not None
    assert o.deadline is not None
    with transaction.atomic(), counts_kept(Q(pk=o.pk)):
        Obligation.objects.filter(pk=o.pk).update(deadline=o.deadline + dt.timedelta(days=45))
    assert discipline_counts_check() == []
    rows = discipline_counts_rebuild()
    assert rows == DisciplineCount.objects.count()
    assert discipline_counts_check() == []
