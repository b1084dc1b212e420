"""Status reports are obligations of the same control loop, so the reminder engine tells the
regional project office before, on and after the day a report is due — in each person's own
language, only the office of the report's region and sub-program, never twice on one day, and
again once the centre returns a report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from jospar.control.models import Obligation
from jospar.control.project_office.services import (
    status_report_return,
    status_report_save,
    status_report_submit,
    status_schedule_set,
)
from jospar.control.reminders import ReminderRules, reminders_send
from jospar.control.tests.office_world import OfficeWorld, build_office
from jospar.core.calendar import add_working_days, is_working_day
from jospar.core.models import Notification, NotificationKind, User
from jospar.programs.models import StatusReport
from jospar.programs.models_office import Frequency

pytestmark = pytest.mark.django_db

RULES = ReminderRules(before=(5, 1), overdue_every=5, digest_top=2)


@pytest.fixture
def w(make_user: Callable[..., User]) -> OfficeWorld:
    world = build_office(make_user)
    User.objects.filter(pk=world["astana_office"].pk).update(language="ru")
    User.objects.filter(pk=world["almaty_office"].pk).update(language="kk")
    status_schedule_set(
        actor=world["curator"],
        program=world.program,
        node=world.sub,
        frequency=Frequency.MONTHLY,
        starts_on=dt.date.today().replace(day=1),
        regions=[world.astana, world.almaty],
    )
    return world


def _obligation(w: OfficeWorld, region_code: str) -> Obligation:
    obligation = (
        Obligation.objects.filter(status_report__region__code=region_code, in_force=True)
        .select_related("status_report")
        .order_by("deadline")
        .first()
    )
    assert obligation is not None
    assert obligation.deadline is not None
    return obligation


def _previous_working_day(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _told(on: dt.date) -> list[tuple[str, str, str, int | None]]:
    return sorted(
        (n.recipient.username, n.kind, n.title, n.subject_id)
        for n in Notification.objects.filter(event_day=on).select_related("recipient")
    )


def test_the_regional_office_is_reminded_before_on_and_after_the_due_date(w: OfficeWorld) -> None:
    astana, almaty = _obligation(w, "astana"), _obligation(w, "almaty")
    deadline = astana.deadline
    assert deadline is not None
    assert almaty.deadline == deadline
    before_day = _previous_working_day(deadline)
    after_day = add_working_days(deadline, 1)

    reminders_send(on=before_day, rules=RULES)
    told = _told(before_day)
    # Only the writers of each region's report: not the other sub-program's office of the same
    # region, nor the regional curator, the centre or the task executors.
    assert {(name, subject) for name, _k, _t, subject in told} == {
        ("astana_office", astana.pk),
        ("almaty_office", almaty.pk),
    }
    assert {kind for _n, kind, _t, _s in told} == {NotificationKind.BEFORE}
    titles = {name: title for name, _k, title, _s in told}
    # Each in the recipient's language, naming the office's region in it.
    assert "Срок статус-отчёта через 1 рабочий день" in titles["astana_office"]
    assert "город Астана" in titles["astana_office"]
    assert "Статус-есепті тапсыруға 1 жұмыс күні қалды" in titles["almaty_office"]
    assert "Алматы қаласы" in titles["almaty_office"]
    note = Notification.objects.get(recipient=w["astana_office"], event_day=before_day)
    assert note.url == f"/control/status-reports/{astana.status_report_id}/"

    reminders_send(on=deadline, rules=RULES)
    assert {kind for _n, kind, _t, _s in _told(deadline)} == {NotificationKind.DUE}

    # Astana sends its report; Almaty does not.
    assert astana.status_report_id is not None
    report = StatusReport.objects.get(pk=astana.status_report_id)
    office = w["astana_office"]
    report = status_report_save(
        actor=office, report=report, narrative="Жасалды", risks="", help_requests=""
    )
    status_report_submit(actor=office, report=report)
    reminders_send(on=after_day, rules=RULES)
    assert [(n, k) for n, k, _t, _s in _told(after_day)] == [
        ("almaty_office", NotificationKind.OVERDUE)
    ]
    # Idempotent: a second run of the day tells nobody again.
    count = Notification.objects.count()
    reminders_send(on=after_day, rules=RULES)
    assert Notification.objects.count() == count

    # The centre returns Astana's report: the office is reminded again, with the return said.
    report.refresh_from_db()
    status_report_return(actor=w["sub_head"], report=report, comment="Аудандар бойынша")
    later = add_working_days(deadline, 6)
    reminders_send(on=later, rules=RULES)
    returned = Notification.objects.get(recipient=office, event_day=later)
    assert returned.kind == NotificationKind.OVERDUE
    assert "вернул" in returned.body


def test_nobody_is_told_of_a_report_no_longer_owed(w: OfficeWorld) -> None:
    astana = _obligation(w, "astana")
    assert astana.deadline is not None
    Obligation.objects.filter(status_report__isnull=False).update(in_force=False)
    reminders_send(on=astana.deadline, rules=RULES)
    assert not Notification.objects.exists()
