"""Moving a plan's whole schedule: what moves, what stays, the counts, the history, who may."""

from __future__ import annotations

import datetime as dt

import pytest

from jospar.control.discipline_counts import discipline_counts_check
from jospar.control.models import ControlDecision, ControlDecisionKind, Obligation
from jospar.control.services.decisions import activity_control_remove
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.schedule_shift import plan_schedule_shift
from jospar.control.tests.conftest import World
from jospar.core.calendar import next_working_day
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _deadlines(world: World) -> dict[int, dt.date | None]:
    return dict(Obligation.objects.filter(activity__plan=world.plan).values_list("pk", "deadline"))


def test_every_open_deadline_moves_by_whole_weeks_and_the_rest_stays(world: World) -> None:
    controller, executor = world.person("controller_own"), world.person("executor_own")
    draft = report_draft_save(actor=executor, obligation=world.lead, text="Done", lang="ru")
    report_submit(actor=executor, report=draft)
    activity_control_remove(actor=controller, activity=world.with_lead, reason="Алынды")
    before = _deadlines(world)
    stays = {world.lead.pk, world.co.pk}  # submitted; of an activity off control
    moved = plan_schedule_shift(actor=controller, plan=world.plan, weeks=3, reason="Кешігу")
    after = _deadlines(world)
    expected = {
        pk: (next_working_day(day + dt.timedelta(weeks=3)) if pk not in stays and day else day)
        for pk, day in before.items()
    }
    assert after == expected
    assert moved == len([pk for pk in before if pk not in stays and before[pk]])
    assert moved > 0
    decisions = ControlDecision.objects.filter(kind=ControlDecisionKind.EXTENDED)
    assert {d.obligation_id: d.new_deadline for d in decisions} == {
        pk: day for pk, day in after.items() if pk not in stays
    }
    event = AuditEvent.objects.get(action="plan.schedule_shifted")
    assert event.after is not None
    assert event.before is not None
    assert event.after["weeks"] == 3
    assert set(event.before["deadlines"]) == {str(pk) for pk in after if pk not in stays}
    assert discipline_counts_check() == []


@pytest.mark.parametrize("who", ["executor_own", "observer", "controller_other"])
def test_only_the_plans_controller_moves_it_and_a_refusal_changes_nothing(
    world: World, who: str
) -> None:
    person = world.person(who)
    before = _deadlines(world)
    audit = AuditEvent.objects.count()
    with pytest.raises((PermissionRefused, ServiceError)):
        plan_schedule_shift(actor=person, plan=world.plan, weeks=2, reason="Кешігу")
    assert _deadlines(world) == before
    assert AuditEvent.objects.count() == audit
    assert not ControlDecision.objects.exists()


@pytest.mark.parametrize("weeks", [0, -1, 1_001])
def test_a_shift_out_of_bounds_or_without_a_reason_is_refused(world: World, weeks: int) -> None:
    controller = world.person("controller_own")
    before = _deadlines(world)
    with pytest.raises(ServiceError):
        plan_schedule_shift(actor=controller, plan=world.plan, weeks=weeks, reason="Кешігу")
    with pytest.raises(ServiceError):
        plan_schedule_shift(actor=controller, plan=world.plan, weeks=2, reason="  ")
    assert _deadlines(world) == before
