"""Reminders of control deadlines: the schedule of events on Kazakhstan's real calendar, who is
told, and that nothing is told twice — run twice, raced, or after a failed letter."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jospar.control.models import Obligation
from jospar.control.reminders import (
    Event,
    ReminderRules,
    WorkingDays,
    event_on,
    obligation_events,
    reminders_send,
)
from jospar.control.status import status_of
from jospar.control.tasks import send_digests, send_reminders
from jospar.core.audit import audit_verify_chain
from jospar.core.calendar import calendar_cache_clear, calendar_seed
from jospar.core.models import (
    AuditEvent,
    Notification,
    NotificationKind,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from jospar.core.services import notifications as notification_services
from jospar.plans.models import Activity, ActivityExecutor, Plan

pytestmark = pytest.mark.django_db

RULES = ReminderRules(before=(5, 1), overdue_every=5, digest_top=2)
D = dt.date.fromisoformat


# --- the rules on the real calendar (pure) -----------------------------------------------------


def _events(deadline: dt.date, start: dt.date, end: dt.date) -> dict[dt.date, Event]:
    days = WorkingDays(start - dt.timedelta(days=40), end + dt.timedelta(days=40))
    found = {}
    day = start
    while day <= end:
        event = event_on(deadline, day, days=days, rules=RULES)
        if event is not None:
            found[day] = event
        day += dt.timedelta(days=1)
    return found


def test_new_year_2016_around_holidays_and_the_weekend() -> None:
    """Deadline Tuesday 2016-01-05. 1 January (Fri), 4 January (Mon, New Year observed) and
    7 January (Orthodox Christmas) are days off: 2015-12-29 is 3 working days before, not 5."""
    days = WorkingDays(D("2015-12-01"), D("2016-02-01"))
    assert days.between(D("2015-12-29"), D("2016-01-05")) == 3
    assert _events(D("2016-01-05"), D("2015-12-15"), D("2016-01-25")) == {
        D("2015-12-25"): Event(NotificationKind.BEFORE, 5),
        D("2015-12-31"): Event(NotificationKind.BEFORE, 1),
        D("2016-01-05"): Event(NotificationKind.DUE, 0),
        D("2016-01-06"): Event(NotificationKind.OVERDUE, 1),
        # 8, 11, 12, 13, 14 January: the 7th is Christmas.
        D("2016-01-14"): Event(NotificationKind.OVERDUE, 6),
        D("2016-01-21"): Event(NotificationKind.OVERDUE, 11),
    }


def test_a_transferred_working_saturday_gets_its_reminder() -> None:
    """7 and 8 March 2016 are days off; Saturday 5 March was made a working day. A deadline on
    Wednesday 9 March is one working day away on that Saturday."""
    assert _events(D("2016-03-09"), D("2016-02-25"), D("2016-03-10")) == {
        D("2016-03-01"): Event(NotificationKind.BEFORE, 5),
        D("2016-03-05"): Event(NotificationKind.BEFORE, 1),
        D("2016-03-09"): Event(NotificationKind.DUE, 0),
        D("2016-03-10"): Event(NotificationKind.OVERDUE, 1),
    }


def test_a_deadline_set_on_a_day_off_is_due_on_the_last_working_day_before_it() -> None:
    events = _events(D("2016-01-09"), D("2016-01-01"), D("2016-01-12"))  # a Saturday
    assert events[D("2016-01-08")] == Event(NotificationKind.DUE, 0)
    assert events[D("2016-01-11")] == Event(NotificationKind.OVERDUE, 1)
    assert D("2016-01-09") not in events
    assert D("2016-01-10") not in events


def test_nothing_happens_on_a_day_off() -> None:
    days = WorkingDays(D("2016-01-01"), D("2016-01-31"))
    for day in (D("2016-01-02"), D("2016-01-04"), D("2016-01-07")):
        assert event_on(D("2016-01-05"), day, days=days, rules=RULES) is None


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def ministry() -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.MINISTRY,
        name_kk="Мәдениет және спорт министрлігі",
        name_ru="Министерство культуры и спорта",
        abbr_kk="МСМ",
        abbr_ru="МКС",
    )


@pytest.fixture
def plan() -> Plan:
    return Plan.objects.create(
        title_kk="«Мәңгілік Ел» іс-шаралар жоспары", title_ru="План мероприятий «Мәңгілік Ел»"
    )


@pytest.fixture
def obligation_for(plan: Plan, ministry: Organisation) -> Callable[..., Obligation]:
    counter = {"n": 0}

    def make(deadline: str, organisation: Organisation | None = None, **facts: Any) -> Obligation:
        counter["n"] += 1
        n = counter["n"]
        activity = Activity.objects.create(
            plan=plan,
            number=str(n),
            position=n,
            title_kk=f"Конкурс өткізу {n}",
            title_ru=f"Провести конкурс {n}",
        )
        org = organisation or ministry
        executor = ActivityExecutor.objects.create(
            activity=activity, position=1, code_ru=org.abbr_ru, organisation=org
        )
        return Obligation.objects.create(
            activity=activity,
            executor=executor,
            organisation=org,
            due_on=D(deadline),
            deadline=D(deadline),
            **facts,
        )

    return make


@pytest.fixture
def executor(make_user: Callable[..., User], ministry: Organisation) -> User:
    return make_user(
        Role.EXECUTOR, organisation=ministry, email="executor@example.kz", language="ru"
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Callable[..., dict[str, Any]]:
    """The task as beat runs it, with what it queues on commit (the letters) executed."""

    def go(task: Any, on: str) -> dict[str, Any]:
        with django_capture_on_commit_callbacks(execute=True):
            result: dict[str, Any] = task(on=on)
        return result

    return go


def _rows(**filters: Any) -> list[Notification]:
    return list(Notification.objects.filter(**filters).order_by("id"))


# --- who is told, once -----------------------------------------------------------------------


def test_the_task_run_twice_the_same_day_sends_nothing_the_second_time(
    obligation_for: Callable[..., Obligation], executor: User, run: Callable[..., Any]
) -> None:
    obligation_for("2016-01-05")
    first = run(send_reminders, "2015-12-31")
    assert first["notifications"] == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    second = run(send_reminders, "2015-12-31")
    assert second["notifications"] == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert AuditEvent.objects.filter(action="reminders.sent").count() == 1
    assert audit_verify_chain().ok
    row = Notification.objects.get()
    assert row.kind == NotificationKind.BEFORE
    assert row.recipient == executor
    assert row.emailed_at is not None
    assert row.event_key.startswith(f"obligation:{row.subject_id}:before_1:2016-01-05:2015-12-31:")


def test_the_next_events_are_told_on_their_days(
    obligation_for: Callable[..., Obligation], executor: User, run: Callable[..., Any]
) -> None:
    obligation_for("2016-01-05")
    for day in ("2015-12-25", "2015-12-29", "2015-12-31", "2016-01-04", "2016-01-05"):
        run(send_reminders, day)
        run(send_reminders, day)
    for day in ("2016-01-06", "2016-01-07", "2016-01-08", "2016-01-14"):
        run(send_reminders, day)
    kinds = [(n.event_day.isoformat(), n.kind) for n in _rows()]
    assert kinds == [
        ("2015-12-25", "before"),
        ("2015-12-31", "before"),
        ("2016-01-05", "due"),
        ("2016-01-06", "overdue"),
        ("2016-01-14", "overdue"),
    ]
    assert len(mail.outbox) == 5


def test_two_runs_racing_lose_at_the_unique_constraint(
    obligation_for: Callable[..., Obligation],
    executor: User,
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second run read before the first committed: it believes no key is taken. The
    database's unique key drops its rows; it reports nothing written and sends nothing."""
    obligation_for("2016-01-05")
    run(send_reminders, "2016-01-06")
    assert Notification.objects.count() == 1
    monkeypatch.setattr(notification_services, "taken_event_keys", lambda keys: set())
    second = run(send_reminders, "2016-01-06")
    assert second["notifications"] == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    # And the constraint itself, without any check before it:
    row = Notification.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=executor,
            kind=row.kind,
            lang="ru",
            title="x",
            event_key=row.event_key,
            event_day=row.event_day,
        )


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: SQLite lets one writer in at a time, so two runs cannot race",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_write_and_send_each_notice_once(
    obligation_for: Callable[..., Obligation],
    executor: User,
    make_user: Callable[..., User],
    ministry: Organisation,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two workers run the task at the same moment, in their own transactions: both read that
    nothing was told yet, then both insert. The unique key lets one through."""
    # A transactional test starts after another one's flush, which empties the seeded calendar
    # (serialized_rollback would reload content types that the flush has already re-created).
    calendar_seed(actor=None, years=range(2015, 2018))
    calendar_cache_clear()
    make_user(Role.EXECUTOR, organisation=ministry, email="second@example.kz")
    for _ in range(3):
        obligation_for("2016-01-05")
    barrier = threading.Barrier(2, timeout=20)
    real = notification_services.taken_event_keys

    def read_then_wait(keys: Any) -> set[str]:
        taken = real(keys)
        barrier.wait()  # both runs have read before either writes
        return taken

    monkeypatch.setattr(notification_services, "taken_event_keys", read_then_wait)
    results: list[Any] = []

    def worker() -> None:
        try:
            results.append(send_reminders(on="2016-01-06"))
        except Exception as exc:  # reported below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r["notifications"] for r in results) == [0, 6]
    assert Notification.objects.count() == 6
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    # One letter per person (three obligations each), however many senders ran.
    assert sorted(m.to[0] for m in mail.outbox) == ["executor@example.kz", "second@example.kz"]
    assert AuditEvent.objects.filter(action="reminders.sent").count() == 1


def test_the_head_of_the_organisation_is_told_of_overdue_only(
    obligation_for: Callable[..., Obligation],
    executor: User,
    make_user: Callable[..., User],
    ministry: Organisation,
    run: Callable[..., Any],
) -> None:
    head = make_user(organisation=ministry, email="minister@example.kz", language="kk")
    ministry.head = head
    ministry.save(update_fields=["head"])
    obligation_for("2016-01-05")
    for day in ("2015-12-31", "2016-01-05", "2016-01-06", "2016-01-14"):
        run(send_reminders, day)
    told_head = _rows(recipient=head)
    assert [(n.kind, n.event_day.isoformat()) for n in told_head] == [
        ("overdue_head", "2016-01-06"),
        ("overdue_head", "2016-01-14"),
    ]
    assert all(n.lang == "kk" for n in told_head)
    assert [m.to for m in mail.outbox].count(["minister@example.kz"]) == 2


def test_the_head_opens_what_the_overdue_notice_links_to(
    obligation_for: Callable[..., Obligation],
    executor: User,
    make_user: Callable[..., User],
    ministry: Organisation,
    run: Callable[..., Any],
    client: Any,
) -> None:
    """The notice's link is the obligation's page; its head reads it (no report form), a head
    of another organisation gets 404, as for anything not theirs."""
    head = make_user(organisation=ministry, email="minister@example.kz")
    ministry.head = head
    ministry.save(update_fields=["head"])
    deputy = make_user(Role.HEAD, organisation=ministry, email="deputy@example.kz")
    elsewhere = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Другое")
    stranger = make_user(Role.HEAD, organisation=elsewhere, email="other-head@example.kz")
    obligation = obligation_for("2016-01-05")
    run(send_reminders, "2016-01-06")
    notice = Notification.objects.get(recipient=head)
    assert notice.url == f"/control/obligations/{obligation.pk}/"
    for reader in (head, deputy):
        client.force_login(reader)
        page = client.get(notice.url)
        assert page.status_code == 200
        assert b'id="report-form"' not in page.content
        client.logout()
    client.force_login(stranger)
    assert client.get(notice.url).status_code == 404


def test_without_a_head_set_users_with_the_head_role_are_told(
    obligation_for: Callable[..., Obligation],
    executor: User,
    make_user: Callable[..., User],
    ministry: Organisation,
    run: Callable[..., Any],
) -> None:
    deputy = make_user(Role.HEAD, organisation=ministry, email="deputy@example.kz")
    elsewhere = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Другое")
    make_user(Role.HEAD, organisation=elsewhere, email="other-head@example.kz")
    # A head who is also an executor there gets the executor's notice, not a second one.
    executor_head = make_user(Role.EXECUTOR, Role.HEAD, organisation=ministry)
    obligation_for("2016-01-05")
    run(send_reminders, "2016-01-06")
    assert {(n.recipient.username, n.kind) for n in _rows()} == {
        (executor.username, "overdue"),
        (executor_head.username, "overdue"),
        (deputy.username, "overdue_head"),
    }


def test_one_letter_for_many_obligations_of_one_person_and_kind(
    obligation_for: Callable[..., Obligation], executor: User, run: Callable[..., Any]
) -> None:
    for _ in range(40):
        obligation_for("2016-01-05")
    obligation_for("2016-01-04")  # a day off: due on 31 December, with the others' reminder
    run(send_reminders, "2015-12-31")
    assert Notification.objects.filter(recipient=executor).count() == 41
    assert len(mail.outbox) == 2  # 40 "one working day left", 1 "due today"
    before = next(m for m in mail.outbox if "40" in m.subject)
    assert isinstance(before, EmailMultiAlternatives)
    for n in range(1, 41):
        assert f"Провести конкурс {n}\n" in before.body
    html = str(before.alternatives[0][0])
    assert "http://127.0.0.1:8000/control/obligations/" in html
    assert "План мероприятий «Мәңгілік Ел»" in html
    assert "05.01.2016" in html


def test_the_letter_is_in_the_recipients_language_with_the_glossarys_words(
    obligation_for: Callable[..., Obligation],
    executor: User,
    make_user: Callable[..., User],
    ministry: Organisation,
    run: Callable[..., Any],
    settings: Any,
) -> None:
    settings.SITE_URL = "https://jospar.example.kz"
    make_user(Role.EXECUTOR, organisation=ministry, email="kk@example.kz", language="kk")
    obligation = obligation_for("2016-01-05")
    run(send_reminders, "2015-12-31")
    letters = {m.to[0]: m for m in mail.outbox}
    ru, kk = letters["executor@example.kz"], letters["kk@example.kz"]
    assert "контрольного срока" in ru.body.lower() or "контрольный срок" in ru.body.lower()
    assert "Провести конкурс 1" in ru.body
    assert "Министерство культуры и спорта" in ru.body
    assert "бақылау мерзімі" in kk.body.lower()
    assert "Конкурс өткізу 1" in kk.body
    assert "Мәдениет және спорт министрлігі" in kk.body
    link = f"https://jospar.example.kz/control/obligations/{obligation.pk}/"
    assert link in ru.body
    assert link in kk.body
    row = Notification.objects.get(recipient__email="kk@example.kz")
    assert row.lang == "kk"
    assert "бақылау мерзімі" in row.title.lower()


def test_submitted_and_accepted_obligations_get_nothing_a_returned_one_counts_again(
    obligation_for: Callable[..., Obligation], executor: User, run: Callable[..., Any]
) -> None:
    now = timezone.now()
    submitted = obligation_for("2016-01-05", submitted_at=now, submitted_on=D("2016-01-04"))
    accepted = obligation_for(
        "2016-01-05", submitted_at=now, submitted_on=D("2016-01-04"), accepted_at=now
    )
    returned = obligation_for(
        "2016-01-05",
        submitted_at=now - dt.timedelta(days=2),
        submitted_on=D("2016-01-04"),
        returned_at=now,
    )
    resubmitted = obligation_for(
        "2016-01-05",
        submitted_at=now,
        submitted_on=D("2016-01-06"),
        returned_at=now - dt.timedelta(days=1),
    )
    not_in_force = obligation_for("2016-01-05", in_force=False)
    run(send_reminders, "2016-01-06")
    told = {n.subject_id for n in _rows()}
    assert told == {returned.pk}
    for quiet in (submitted, accepted, resubmitted, not_in_force):
        assert quiet.pk not in told
    assert status_of(returned, D("2016-01-06")) == "overdue"
    # The controller gives the returned report a new deadline: reminders follow it.
    Obligation.objects.filter(pk=returned.pk).update(deadline=D("2016-01-13"))
    run(send_reminders, "2016-01-12")
    row = Notification.objects.filter(subject_id=returned.pk).latest("id")
    assert (row.kind, row.data["deadline"]) == ("before", "13.01.2016")
    assert "доработку" in row.body


def test_a_failed_letter_is_sent_on_the_next_run_and_never_twice(
    obligation_for: Callable[..., Obligation],
    executor: User,
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    obligation_for("2016-01-05")
    obligation_for("2016-01-05")

    def refuse(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("relay went away")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        run(send_reminders, "2015-12-31")
    assert mail.outbox == []
    rows = _rows()
    assert len(rows) == 2
    assert all(r.emailed_at is None and r.email_attempts == 1 for r in rows)
    assert "relay went away" in rows[0].email_error
    # The next run (a retry of the same day, or tomorrow's) sends them, in one letter.
    run(send_reminders, "2015-12-31")
    assert len(mail.outbox) == 1
    assert all(r.emailed_at is not None and not r.email_error for r in _rows())
    run(send_reminders, "2015-12-31")
    run(send_reminders, "2016-01-04")
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 2


def test_a_letter_claimed_by_another_sender_is_left_to_it(
    obligation_for: Callable[..., Obligation], executor: User, run: Callable[..., Any]
) -> None:
    from jospar.core.services.notification_email import notifications_email_send

    obligation_for("2016-01-05")
    with transaction.atomic():
        reminders_send(on=D("2015-12-31"))  # its letters not sent: no commit callbacks here
    Notification.objects.update(email_claim="other-sender", email_claimed_at=timezone.now())
    assert notifications_email_send().letters_sent == 0
    assert mail.outbox == []
    # A sender that died: its claim goes stale and the row is sent.
    Notification.objects.update(email_claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert notifications_email_send().letters_sent == 1
    assert len(mail.outbox) == 1


def test_e_mail_off_or_no_address_tells_in_the_application_only(
    obligation_for: Callable[..., Obligation],
    make_user: Callable[..., User],
    ministry: Organisation,
    run: Callable[..., Any],
) -> None:
    quiet = make_user(
        Role.EXECUTOR, organisation=ministry, email="q@example.kz", email_notifications=False
    )
    no_address = make_user(Role.EXECUTOR, organisation=ministry)
    retired = make_user(Role.EXECUTOR, organisation=ministry, email="r@example.kz")
    retired.is_active = False
    retired.save()
    obligation_for("2016-01-05")
    run(send_reminders, "2016-01-05")
    assert {n.recipient_id for n in _rows()} == {quiet.pk, no_address.pk}
    assert mail.outbox == []


def test_executors_of_other_organisations_and_other_roles_are_not_told(
    obligation_for: Callable[..., Obligation],
    executor: User,
    make_user: Callable[..., User],
    ministry: Organisation,
    run: Callable[..., Any],
) -> None:
    other = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Другое")
    make_user(Role.EXECUTOR, organisation=other, email="o@example.kz")
    make_user(Role.OBSERVER, organisation=ministry, email="obs@example.kz")
    obligation_for("2016-01-05")
    run(send_reminders, "2016-01-05")
    assert [n.recipient_id for n in _rows()] == [executor.pk]


def test_nothing_on_a_day_off(
    obligation_for: Callable[..., Obligation], executor: User, run: Callable[..., Any]
) -> None:
    obligation_for("2015-12-31")
    result = run(send_reminders, "2016-01-04")  # New Year observed, a Monday
    assert result["working_day"] is False
    assert Notification.objects.count() == 0


def test_the_selection_loads_only_obligations_with_an_event(
    obligation_for: Callable[..., Obligation],
    executor: User,
    django_assert_max_num_queries: Any,
) -> None:
    for deadline in ("2016-01-05", "2016-01-06", "2016-01-12", "2016-01-13", "2015-06-01"):
        obligation_for(deadline)
    with django_assert_max_num_queries(3):
        events = obligation_events(D("2016-01-05"), RULES)
    assert sorted((o.deadline.isoformat(), e.kind) for o, e in events if o.deadline) == [
        ("2016-01-05", "due"),
        ("2016-01-06", "before"),
        ("2016-01-13", "before"),  # 6, 8, 11, 12, 13 January: the 12th is 4 working days away
    ]


# --- the controller's digest -----------------------------------------------------------------


@pytest.fixture
def controller(make_user: Callable[..., User]) -> User:
    return make_user(Role.CONTROLLER, email="ovp@example.kz", language="ru")


def test_the_controller_digest_comes_once_a_working_day(
    obligation_for: Callable[..., Obligation],
    controller: User,
    run: Callable[..., Any],
    settings: Any,
) -> None:
    settings.CONTROL_DIGEST_TOP_ITEMS = 2
    now = timezone.now()
    for _ in range(3):
        obligation_for("2016-01-08")  # a Friday: overdue from Monday 11 January
    obligation_for("2016-01-09")  # a Saturday: overdue from Monday as well
    obligation_for("2015-12-30")  # overdue since earlier: counted in the total only
    waiting = obligation_for("2016-01-08", submitted_at=now, submitted_on=D("2016-01-08"))
    obligation_for("2016-01-08", submitted_at=now, submitted_on=D("2016-01-08"), accepted_at=now)
    first = run(send_digests, "2016-01-11")
    assert first["notifications"] == 1
    run(send_digests, "2016-01-11")
    assert len(mail.outbox) == 1
    digest = Notification.objects.get(kind=NotificationKind.DIGEST)
    assert digest.recipient == controller
    assert digest.lang == "ru"
    assert digest.data["overdue_count"] == 4
    assert digest.data["review_count"] == 1
    assert "11.01.2016" in digest.title
    overdue, review = digest.data["sections"]
    assert len(overdue["items"]) == 2  # the top two; the rest counted
    assert overdue["more"]
    assert [item["obligation"] for item in review["items"]] == [waiting.pk]
    assert "5" in digest.data["total"]
    letter = mail.outbox[0]
    assert letter.to == ["ovp@example.kz"]
    assert f"/control/obligations/{waiting.pk}/" in letter.body
    assert "http://127.0.0.1:8000/plans/obligations/" in letter.body
    # The next working day: a new digest, with only what still waits for review.
    run(send_digests, "2016-01-12")
    assert Notification.objects.filter(kind=NotificationKind.DIGEST).count() == 2
    latest = Notification.objects.filter(kind=NotificationKind.DIGEST).latest("event_day")
    assert latest.data["overdue_count"] == 0
    assert latest.data["review_count"] == 1
    assert len(mail.outbox) == 2


def test_no_digest_when_nothing_to_say_or_on_a_day_off(
    obligation_for: Callable[..., Obligation], controller: User, run: Callable[..., Any]
) -> None:
    obligation_for("2016-02-01")
    run(send_digests, "2016-01-06")
    obligation_for("2016-01-05")
    run(send_digests, "2016-01-09")  # a Saturday
    assert Notification.objects.count() == 0


def test_the_digest_covers_the_plans_the_controller_sees(
    obligation_for: Callable[..., Obligation],
    controller: User,
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jospar.control import reminders

    obligation_for("2016-01-05")
    monkeypatch.setattr(reminders, "visible_plans", lambda user: Plan.objects.none())
    run(send_digests, "2016-01-06")
    assert Notification.objects.count() == 0
