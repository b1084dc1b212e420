"""``DisciplineCount`` stays equal to the obligations after every service that changes them, and
the dashboards and the list's page count read from it give what the obligations give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.paginator import Paginator

from jospar.control.discipline import DisciplineFilter, discipline_dashboard
from jospar.control.discipline_counts import discipline_counts_check, discipline_counts_rebuild
from jospar.control.models import DisciplineCount, Obligation
from jospar.control.selectors.obligations import ObligationFilter, obligation_list_for
from jospar.control.services.decisions import (
    activity_control_remove,
    activity_control_restore,
    activity_mark_executed,
    deadline_extend,
)
from jospar.control.services.plan_revisions import plan_controller_set, plan_file_import
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_accept, report_return
from jospar.control.tests import discipline_world as dw
from jospar.control.tests.conftest import World, in_days
from jospar.core.models import Role, User
from jospar.core.services.merging import organisation_merge

pytestmark = pytest.mark.django_db


def consistent() -> None:
    assert discipline_counts_check() == []


def dashboards_agree(user: User, on: dt.date, filters: DisciplineFilter | None = None) -> None:
    """Every figure, read from the counts and from the obligations, for ``on``."""
    f = filters or DisciplineFilter()
    counted = discipline_dashboard(user, f, on=on)
    raw = discipline_dashboard(user, f, on=on, from_obligations=True)
    assert counted.totals == raw.totals
    for kind in ("organisations", "regions", "quarters"):
        assert [(g.key, g.figures) for g in getattr(counted, kind)] == [
            (g.key, g.figures) for g in getattr(raw, kind)
        ], kind


def submit(world: World, obligation: Obligation, user: User | None = None) -> Any:
    user = user or world.person("executor_own")
    draft = report_draft_save(actor=user, obligation=obligation, text="Орындалды.", lang="kk")
    return report_submit(actor=user, report=draft)


def test_the_schedule_is_counted_when_made(world: World) -> None:
    assert DisciplineCount.objects.exists()
    consistent()


def test_counts_follow_submit_return_and_accept(world: World) -> None:
    controller = world.person("controller_own")
    report = submit(world, world.own)
    consistent()
    report_return(actor=controller, report=report, comment="Толықтырыңыз", new_deadline=in_days(5))
    consistent()
    report_accept(actor=controller, report=submit(world, world.own))
    consistent()
    dashboards_agree(controller, in_days(0))
    dashboards_agree(controller, in_days(60))


def test_accepting_a_lead_counts_its_co_executors(world: World) -> None:
    co_user = next(u for u in User.objects.filter(organisation=world.co_executor) if u.is_active)
    submit(world, world.co, co_user)
    consistent()
    lead = submit(world, world.lead)
    report_accept(actor=world.person("controller_own"), report=lead)
    consistent()


def test_counts_follow_the_controllers_decisions(world: World) -> None:
    controller = world.person("controller_own")
    deadline_extend(
        actor=controller,
        activity=world.standalone,
        new_deadline=in_days(80),
        reason="Мерзімі ұзартылды",
        obligation=world.own,
    )
    consistent()
    deadline_extend(
        actor=controller, activity=world.standalone, new_deadline=in_days(90), reason="Барлығы"
    )
    consistent()
    activity_mark_executed(actor=controller, activity=world.with_lead, reason="Орындалды")
    consistent()
    activity_control_remove(actor=controller, activity=world.standalone, reason="Алынды")
    consistent()
    activity_control_restore(actor=controller, activity=world.standalone, reason="Қайтарылды")
    consistent()
    dashboards_agree(controller, in_days(100))


def test_counts_follow_the_controlling_department(
    world: World, make_user: Callable[..., User]
) -> None:
    admin = world.person("administrator")
    plan_controller_set(actor=admin, plan=world.plan, organisation=world.other_department)
    consistent()
    # Each department sees from the counts what it sees from the obligations.
    dashboards_agree(world.person("controller_own"), in_days(60))
    dashboards_agree(world.person("controller_other"), in_days(60))


def test_counts_follow_an_organisation_merge(world: World) -> None:
    submit(world, world.own)
    organisation_merge(
        actor=world.person("administrator"),
        duplicate=world.ministry,
        into=world.other,
        reason="Бір орган",
    )
    consistent()
    observer = world.person("observer")
    dashboards_agree(observer, in_days(60))
    board = discipline_dashboard(observer, DisciplineFilter(), on=in_days(60))
    assert world.ministry.pk not in {g.key for g in board.organisations}


def test_counts_follow_plan_imports(regions: None, seed_path: Callable[[str], Path]) -> None:
    for prefix in ("000", "001"):
        path = seed_path(prefix)
        plan_file_import(actor=None, data=path.read_bytes(), filename=path.name)
        consistent()
    assert DisciplineCount.objects.exists()


def test_the_check_finds_a_change_made_behind_the_services_back(world: World) -> None:
    Obligation.objects.filter(pk=world.own.pk).update(accepted_at=dt.datetime.now(dt.UTC))
    assert discipline_counts_check() != []
    discipline_counts_rebuild()
    consistent()


@pytest.mark.parametrize("days", [-400, -30, 0, 1, 8, 40, 400])
def test_dashboards_from_counts_equal_those_from_obligations(
    make_user: Callable[..., User], days: int
) -> None:
    world = dw.build(dt.date(2026, 5, 20))
    on = world.today + dt.timedelta(days=days)
    observer = make_user(Role.OBSERVER)
    executor = make_user(Role.EXECUTOR, organisation=world.ministry1)
    controller = make_user(Role.CONTROLLER)
    for user in (observer, executor, controller):
        dashboards_agree(user, on)
    for f in (
        DisciplineFilter(organisation_id=world.ministry2.pk),
        DisciplineFilter(region_id=world.region1.pk),
        DisciplineFilter(date_from=world.today - dt.timedelta(30), date_to=world.today),
        DisciplineFilter(plan_id=world.plan1.pk),
    ):
        dashboards_agree(observer, on, f)


def test_the_list_count_read_from_counts_is_the_lists_length(
    make_user: Callable[..., User],
) -> None:
    world = dw.build(dt.date(2026, 5, 20))
    observer = make_user(Role.OBSERVER)
    executor = make_user(Role.EXECUTOR, organisation=world.akimat1)
    for user in (observer, executor):
        for f in (
            ObligationFilter(),
            ObligationFilter(region_id=world.region1.pk),
            ObligationFilter(quarter="2026-Q2"),
            ObligationFilter(status="overdue"),
        ):
            listed = obligation_list_for(user, f)
            assert listed.counter is not None or f.status
            assert Paginator(listed, 50).count == len(list(obligation_list_for(user, f)))


def test_the_command_finds_and_repairs_what_disagrees(world: World) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("discipline_counts", stdout=out)
    assert out.getvalue().startswith("0 counts disagree")
    Obligation.objects.filter(pk=world.own.pk).update(accepted_at=dt.datetime.now(dt.UTC))
    out = io.StringIO()
    call_command("discipline_counts", "--repair", stdout=out)
    assert not out.getvalue().startswith("0 counts disagree")
    assert "rows written" in out.getvalue()
    consistent()


def test_rows_are_updated_in_one_order(world: World) -> None:
    """Two services adding to the same rows in different orders deadlocked under load: every
    transaction updates the rows it adds to in the order of their keys."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = world.person("administrator")
    with CaptureQueriesContext(connection) as queries:
        plan_controller_set(actor=admin, plan=world.plan, organisation=world.other_department)
    updated = [
        int(match.group(1))
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "control_disciplinecount"')
        and (match := re.search(r'WHERE "control_disciplinecount"\."id" = (\d+)', query["sql"]))
    ]
    assert len(updated) >= 3
    assert updated == sorted(updated)
    consistent()
