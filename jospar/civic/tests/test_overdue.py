"""Answer dates on Kazakhstan's real calendar, and telling the akimat once of an overdue one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jospar.civic.events import EventKind
from jospar.civic.models import CitizenReport, Topic
from jospar.civic.notify import KIND_OVERDUE
from jospar.civic.services import report_answer, report_publish
from jospar.civic.status import is_overdue, overdue_q
from jospar.civic.tasks import mark_overdue
from jospar.core.models import AuditEvent, Notification, Role, User

from .conftest import World

pytestmark = pytest.mark.django_db
ALMATY_TZ = ZoneInfo("Asia/Almaty")
D = dt.date.fromisoformat


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(D(day), dt.time(hour), tzinfo=ALMATY_TZ)


@pytest.fixture
def three_days(world: World) -> Topic:
    Topic.objects.filter(pk=world.roads.pk).update(response_working_days=3)
    world.roads.refresh_from_db()
    return world.roads


def _publish_on(
    monkeypatch: Any, moment: dt.datetime, settings: Any, file: Callable[[], CitizenReport]
) -> CitizenReport:
    monkeypatch.setattr(timezone, "now", lambda: moment)
    settings.CIVIC_PREMODERATION = False
    return file()


def test_published_on_a_friday_before_independence_day(
    world: World,
    three_days: Topic,
    monkeypatch: Any,
    settings: Any,
    file_report: Callable[..., CitizenReport],
) -> None:
    """Friday 13 December 2024; Monday the 16th is Independence Day: 3 working days are the
    17th, 18th and 19th. Overdue from Friday the 20th, not before."""
    report = _publish_on(monkeypatch, _at("2024-12-13"), settings, file_report)
    assert report.response_due_on == D("2024-12-19")
    for day, late in [("2024-12-16", False), ("2024-12-19", False), ("2024-12-20", True)]:
        assert is_overdue(report, D(day)) is late
        assert CitizenReport.objects.filter(overdue_q(D(day)), pk=report.pk).exists() is late


def test_new_year_and_a_working_sunday(
    world: World,
    three_days: Topic,
    monkeypatch: Any,
    settings: Any,
    file_report: Callable[..., CitizenReport],
) -> None:
    """Friday 27 December 2024: the 30th and 31st, then 1–3 January off, Sunday 5 January a
    working day (moved from 3 January): the answer is due on Sunday the 5th."""
    report = _publish_on(monkeypatch, _at("2024-12-27"), settings, file_report)
    assert report.response_due_on == D("2025-01-05")


def test_due_date_counts_from_publication_not_from_filing(
    world: World,
    three_days: Topic,
    monkeypatch: Any,
    settings: Any,
    file_report: Callable[..., CitizenReport],
) -> None:
    settings.CIVIC_PREMODERATION = True
    monkeypatch.setattr(timezone, "now", lambda: _at("2024-12-10"))
    report = file_report()
    assert report.response_due_on is None
    monkeypatch.setattr(timezone, "now", lambda: _at("2024-12-13", 17))
    published = report_publish(actor=world.moderator, report=report)
    assert published.response_due_on == D("2024-12-19")


def test_the_akimat_is_told_once_and_the_task_is_idempotent(
    world: World,
    three_days: Topic,
    monkeypatch: Any,
    settings: Any,
    file_report: Callable[..., CitizenReport],
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
) -> None:
    report = _publish_on(monkeypatch, _at("2024-12-13"), settings, file_report)
    answered = _publish_on(monkeypatch, _at("2024-12-13"), settings, file_report)
    report_answer(actor=world.official, report=answered, text="Жоспарланды.")
    inactive = make_user(Role.CIVIC_OFFICIAL, organisation=world.almaty_akimat, is_active=False)
    astana = make_user(Role.CIVIC_OFFICIAL, organisation=world.astana_akimat)

    # The citizen's letter about the answer is not what this test reads.
    Notification.objects.update(email_wanted=False)

    monkeypatch.setattr(timezone, "now", lambda: _at("2024-12-19", 9))
    assert mark_overdue(on="2024-12-19") == {"checked": 0, "marked": 0}
    # The 21st is a Saturday: nothing is sent on a day off.
    assert mark_overdue(on="2024-12-21") == {"checked": 0, "marked": 0}

    monkeypatch.setattr(timezone, "now", lambda: _at("2024-12-20", 8))
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_overdue(on="2024-12-20") == {"checked": 1, "marked": 1}
    report.refresh_from_db()
    assert report.overdue_notified_at is not None
    event = report.events.get(kind=EventKind.OVERDUE)
    assert "19.12.2024" in event.public_note
    told = Notification.objects.filter(kind=KIND_OVERDUE)
    assert set(told.values_list("recipient", flat=True)) == {world.official.pk, world.head.pk}
    assert inactive.pk not in told.values_list("recipient", flat=True)
    assert astana.pk not in told.values_list("recipient", flat=True)
    assert {m.to[0] for m in mailbox} == {world.official.email, world.head.email}
    assert AuditEvent.objects.filter(action="civic.report.overdue").count() == 1

    # Again the same day, and the next working day: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_overdue(on="2024-12-20") == {"checked": 0, "marked": 0}
        assert mark_overdue(on="2024-12-23") == {"checked": 0, "marked": 0}
    assert told.count() == 2
    assert len(mailbox) == 2
    assert report.events.filter(kind=EventKind.OVERDUE).count() == 1


def test_the_department_and_the_assigned_official_are_told(
    world: World,
    three_days: Topic,
    route_roads: Any,
    monkeypatch: Any,
    settings: Any,
    file_report: Callable[..., CitizenReport],
) -> None:
    report = _publish_on(monkeypatch, _at("2024-12-13"), settings, file_report)
    assert report.department == world.roads_department
    monkeypatch.setattr(timezone, "now", lambda: _at("2024-12-20", 8))
    mark_overdue(on="2024-12-20")
    told = set(Notification.objects.filter(kind=KIND_OVERDUE).values_list("recipient", flat=True))
    assert told == {world.official.pk, world.department_official.pk, world.head.pk}
