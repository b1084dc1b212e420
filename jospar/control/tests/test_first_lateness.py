"""A report first submitted late stays late in every discipline figure, even after the
controller returns it with a new date and the next version comes on time."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps as global_apps
from django.test import Client
from django.urls import reverse

from jospar.control.discipline import DisciplineFilter, discipline_dashboard
from jospar.control.discipline_counts import discipline_counts_check
from jospar.control.exports.data import consolidated_report
from jospar.control.models import ExecutionReport, Obligation, ObligationStatus
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_accept, report_return
from jospar.control.status import status_expression, status_of
from jospar.control.tests.conftest import World, build_world, in_days
from jospar.core.models import User

pytestmark = pytest.mark.django_db

TEN_YEARS = 3650


@pytest.fixture
def late_world(make_user: Callable[..., User], regions: None) -> World:
    return build_world(make_user, due=in_days(-TEN_YEARS))


def _submit(world: World) -> ExecutionReport:
    user = world.person("executor_own")
    draft = report_draft_save(actor=user, obligation=world.own, text="Орындалды.", lang="kk")
    return report_submit(actor=user, report=draft)


def _late_then_returned_then_on_time(world: World) -> Obligation:
    controller = world.person("controller_own")
    report = _submit(world)
    first = Obligation.objects.get(pk=world.own.pk)
    assert first.first_late_days is not None
    assert first.first_late_days >= TEN_YEARS - 5
    report_return(actor=controller, report=report, comment="Толықтырыңыз", new_deadline=in_days(5))
    _submit(world)
    obligation = Obligation.objects.get(pk=world.own.pk)
    assert obligation.submitted_on is not None
    assert obligation.deadline is not None
    assert obligation.submitted_on <= obligation.deadline  # the new version is on time
    assert obligation.first_late_days == first.first_late_days  # the first lateness stays
    return obligation


def _figures(world: World) -> tuple[int, int, int]:
    controller = world.person("controller_own")
    filters = DisciplineFilter(plan_id=world.plan.pk)
    counted = discipline_dashboard(controller, filters)
    raw = discipline_dashboard(controller, filters, from_obligations=True)
    assert counted.totals == raw.totals
    [group] = [g for g in counted.organisations if g.key == world.ministry.pk]
    return group.figures.on_time, group.figures.late, group.figures.late_days


def test_a_late_first_submission_stays_late_after_an_on_time_resubmission(
    late_world: World,
) -> None:
    world = late_world
    obligation = _late_then_returned_then_on_time(world)
    assert status_of(obligation) == ObligationStatus.SUBMITTED_LATE
    rows = Obligation.objects.filter(pk=obligation.pk).annotate(s=status_expression(in_days(0)))
    assert list(rows.values_list("s", flat=True)) == [ObligationStatus.SUBMITTED_LATE.value]
    assert discipline_counts_check() == []
    on_time, late, late_days = _figures(world)
    assert (on_time, late) == (0, 1)
    assert late_days == obligation.first_late_days  # against the original date, not the new one

    # The API gives the same.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.person("controller_own"))
    data = client.get(
        reverse("api-discipline"),
        {"group": "organisation", "plan": str(world.plan.pk), "from": "", "to": ""},
    ).json()
    group = {g["id"]: g for g in data["groups"]}[world.ministry.pk]
    assert (group["on_time"], group["late"]) == (0, 1)

    # Accepted, it is "accepted late".
    report = obligation.reports.order_by("-version").first()
    assert report is not None
    report_accept(actor=world.person("controller_own"), report=report)
    assert discipline_counts_check() == []
    on_time, late, _days = _figures(world)
    assert (on_time, late) == (0, 1)
    controller = world.person("controller_own")
    totals = discipline_dashboard(controller, DisciplineFilter(plan_id=world.plan.pk)).totals
    assert totals.accepted_late >= 1


def test_the_export_shows_the_first_lateness(late_world: World) -> None:
    world = late_world
    obligation = _late_then_returned_then_on_time(world)
    due = obligation.due_on
    report = consolidated_report(
        plan=world.plan, lang="ru", period_start=due, period_end=due, on=in_days(0)
    )
    statuses = {s for row in report.rows for s, _names in row.status_groups()}
    assert ObligationStatus.SUBMITTED_LATE in statuses
    assert ObligationStatus.SUBMITTED_ON_TIME not in statuses


def test_an_on_time_first_submission_is_on_time(
    make_user: Callable[..., User], regions: None
) -> None:
    world = build_world(make_user, due=in_days(10))
    _submit(world)
    obligation = Obligation.objects.get(pk=world.own.pk)
    assert obligation.first_late_days == 0
    assert status_of(obligation) == ObligationStatus.SUBMITTED_ON_TIME
    assert discipline_counts_check() == []


def test_the_migration_computes_the_first_lateness_from_the_history(late_world: World) -> None:
    world = late_world
    obligation = _late_then_returned_then_on_time(world)
    expected = obligation.first_late_days
    Obligation.objects.update(first_late_days=None)
    migration = importlib.import_module("jospar.control.migrations.0007_obligation_first_late_days")
    migration._fill(global_apps, None)
    assert Obligation.objects.get(pk=obligation.pk).first_late_days == expected
    assert discipline_counts_check() == []
    assert status_of(Obligation.objects.get(pk=obligation.pk)) == ObligationStatus.SUBMITTED_LATE
