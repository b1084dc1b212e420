"""Every transition of a report, each refusal, and that a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from jospar.civic.events import EventKind
from jospar.civic.models import (
    CitizenReport,
    Confirmation,
    Follow,
    MediaStage,
    ReportAnswer,
    ReportEvent,
    ReportMedia,
    ReportState,
)
from jospar.civic.privacy import MASK
from jospar.civic.services import (
    moderation_hide,
    report_answer,
    report_assign,
    report_confirm,
    report_dispute,
    report_hold,
    report_mark_done,
    report_mark_duplicate,
    report_publish,
    report_reject,
    report_release,
    report_start,
)
from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent, Notification

from .conftest import ASTANA, World, jpeg_with_exif, upload

pytestmark = pytest.mark.django_db
S = ReportState


def _state(report: CitizenReport) -> dict[str, Any]:
    return {
        "row": CitizenReport.objects.filter(pk=report.pk).values().get(),
        "events": ReportEvent.objects.filter(report=report).count(),
        "answers": ReportAnswer.objects.filter(report=report).count(),
        "media": ReportMedia.objects.filter(report=report).count(),
        "follows": Follow.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


@contextmanager
def refused(report: CitizenReport, code: str) -> Iterator[None]:
    """The call inside is refused with ``code``, and nothing about the report changed."""
    before = _state(report)
    with pytest.raises(ServiceError) as error:
        yield
    assert error.value.code == code, error.value.as_dict()
    assert _state(report) == before


@pytest.fixture
def submitted(
    world: World, settings: Any, file_report: Callable[..., CitizenReport]
) -> CitizenReport:
    settings.CIVIC_PREMODERATION = True
    report = file_report()
    settings.CIVIC_PREMODERATION = False
    return report


@pytest.fixture
def published(world: World, file_report: Callable[..., CitizenReport]) -> CitizenReport:
    return file_report()


def _last_event(report: CitizenReport) -> ReportEvent:
    return ReportEvent.objects.filter(report=report).order_by("-at", "-id").first()  # type: ignore[return-value]


# --- before publication ---------------------------------------------------------------------


def test_a_moderator_publishes_a_submitted_report(world: World, submitted: CitizenReport) -> None:
    for who in (world.citizen, world.official, world.head):
        with refused(submitted, "forbidden"):
            report_publish(actor=who, report=submitted)
    report = report_publish(actor=world.moderator, report=submitted)
    assert report.state == S.PUBLISHED
    assert report.response_due_on is not None
    assert _last_event(report).kind == EventKind.PUBLISHED
    with refused(report, "invalid_state"):
        report_publish(actor=world.moderator, report=report)


def test_hold_and_release(world: World, submitted: CitizenReport) -> None:
    with refused(submitted, "reason_required"):
        report_hold(actor=world.moderator, report=submitted, reason="  ")
    with refused(submitted, "forbidden"):
        report_hold(actor=world.official, report=submitted, reason="x")
    with refused(submitted, "not_held"):
        report_release(actor=world.moderator, report=submitted)
    held = report_hold(actor=world.moderator, report=submitted, reason="Asks the author's IIN")
    assert held.held
    assert held.state == S.SUBMITTED
    assert not held.is_public
    event = _last_event(held)
    assert (event.kind, event.internal_note, event.public_note) == (
        EventKind.HELD,
        "Asks the author's IIN",
        "",
    )
    assert AuditEvent.objects.filter(action="civic.report.held", reason="Asks the author's IIN")
    with refused(held, "already_held"):
        report_hold(actor=world.moderator, report=held, reason="again")
    with refused(held, "held"):
        report_publish(actor=world.moderator, report=held)
    released = report_release(actor=world.moderator, report=held)
    assert released.state == S.PUBLISHED
    assert not released.held
    assert list(released.events.values_list("kind", flat=True))[-2:] == ["released", "published"]
    with refused(released, "invalid_state"):
        report_release(actor=world.moderator, report=released)


def test_a_published_report_is_hidden_not_held(world: World, published: CitizenReport) -> None:
    with refused(published, "already_published"):
        report_hold(actor=world.moderator, report=published, reason="late")
    hidden = moderation_hide(actor=world.moderator, report=published, reason="Insults")
    assert isinstance(hidden, CitizenReport)
    assert hidden.hidden
    assert not hidden.is_public


# --- the akimat's work ----------------------------------------------------------------------


def test_start_answer_and_done(world: World, published: CitizenReport) -> None:
    for who in (world.citizen, world.moderator, world.astana_official, world.department_official):
        with refused(published, "forbidden"):
            report_start(actor=who, report=published)
    started = report_start(actor=world.official, report=published)
    assert started.state == S.IN_PROGRESS
    assert started.assigned_to == world.official
    assert started.updated_at > published.updated_at
    with refused(started, "invalid_state"):
        report_start(actor=world.official, report=started)
    with refused(started, "answer_required"):
        report_mark_done(actor=world.official, report=started)
    with refused(started, "answer_required"):
        report_answer(actor=world.official, report=started, text="   ")
    answer = report_answer(
        actor=world.official,
        report=started,
        text="Жөндеу 15 мамырға жоспарланған. Сұрақтар бойынша: 8 727 272 27 27.",
    )
    assert answer.public_text == f"Жөндеу 15 мамырға жоспарланған. Сұрақтар бойынша: {MASK}."
    assert answer.organisation == world.almaty_akimat
    report = CitizenReport.objects.get(pk=started.pk)
    assert report.answered_at == answer.created_at
    assert _last_event(report).public_note == answer.public_text
    done = report_mark_done(
        actor=world.official,
        report=report,
        media=[upload("after.jpg", jpeg_with_exif(), "image/jpeg")],
    )
    assert done.state == S.DONE
    assert done.resolved_at
    assert done.closed_at
    assert done.answers.count() == 1  # the earlier answer is the one it was done with
    after = ReportMedia.objects.get(report=done, stage=MediaStage.AFTER)
    assert after.uploaded_by == world.official
    for action in (
        lambda: report_start(actor=world.official, report=done),
        lambda: report_answer(actor=world.official, report=done, text="more"),
        lambda: report_mark_done(actor=world.official, report=done, text="again"),
        lambda: report_reject(actor=world.official, report=done, reason="no"),
    ):
        with refused(done, "invalid_state"):
            action()


def test_done_with_its_answer_at_once_and_an_answer_starts_the_work(
    world: World, published: CitizenReport, file_report: Callable[..., CitizenReport]
) -> None:
    done = report_mark_done(actor=world.official, report=published, text="Жөнделді.")
    assert done.state == S.DONE
    assert done.answers.get().text == "Жөнделді."
    assert done.answered_at is not None
    assert _last_event(done).from_state == S.PUBLISHED

    other = file_report()
    report_answer(actor=world.official, report=other, text="Тексереміз.")
    other.refresh_from_db()
    assert other.state == S.IN_PROGRESS
    assert other.assigned_to == world.official


def test_a_department_official_answers_the_reports_routed_to_it(
    world: World, route_roads: Any, file_report: Callable[..., CitizenReport]
) -> None:
    routed = file_report()
    report_start(actor=world.department_official, report=routed)
    unrouted = file_report(topic=world.lighting, survey={})
    with refused(unrouted, "forbidden"):
        report_start(actor=world.department_official, report=unrouted)
    # The akimat's own official may answer both.
    report_start(actor=world.official, report=unrouted)


def test_assign(world: World, route_roads: Any, file_report: Callable[..., CitizenReport]) -> None:
    report = file_report()
    with refused(report, "forbidden"):
        report_assign(actor=world.citizen, report=report, official=world.official)
    with refused(report, "forbidden"):
        report_assign(actor=world.astana_official, report=report, official=world.astana_official)
    with refused(report, "not_an_official"):
        report_assign(actor=world.official, report=report, official=world.astana_official)
    with refused(report, "not_an_official"):
        report_assign(actor=world.official, report=report, official=world.citizen)
    assigned = report_assign(
        actor=world.official, report=report, official=world.department_official
    )
    assert assigned.assigned_to == world.department_official
    assert assigned.state == S.PUBLISHED
    event = _last_event(assigned)
    assert event.kind == EventKind.ASSIGNED
    assert event.public_note == ""
    with refused(assigned, "already_assigned"):
        report_assign(actor=world.official, report=assigned, official=world.department_official)
    # An administrator may assign too.
    report_assign(actor=world.admin, report=assigned, official=world.official)


def test_reject(world: World, published: CitizenReport, submitted: CitizenReport) -> None:
    with refused(published, "reason_required"):
        report_reject(actor=world.official, report=published, reason="")
    with refused(published, "forbidden"):
        report_reject(actor=world.citizen, report=published, reason="no")
    with refused(submitted, "invalid_state"):
        report_reject(actor=world.official, report=submitted, reason="spam")
    rejected = report_reject(
        actor=world.official,
        report=published,
        reason="Это частная территория; обратитесь к КСК по тел. 8 701 111 22 33.",
    )
    assert rejected.state == S.REJECTED
    assert rejected.closed_at
    assert _last_event(rejected).public_note == (
        f"Это частная территория; обратитесь к КСК по тел. {MASK}."
    )
    spam = report_reject(actor=world.moderator, report=submitted, reason="Spam")
    assert spam.state == S.REJECTED


def test_duplicate(world: World, file_report: Callable[..., CitizenReport]) -> None:
    original = file_report()
    copy = file_report()
    third = file_report(actor=world.neighbour)
    with refused(copy, "invalid_original"):
        report_mark_duplicate(actor=world.official, report=copy, original=copy)
    hidden = file_report()
    moderation_hide(actor=world.moderator, report=hidden, reason="abuse")
    with refused(copy, "invalid_original"):
        report_mark_duplicate(actor=world.official, report=copy, original=hidden)
    with refused(copy, "forbidden"):
        report_mark_duplicate(actor=world.citizen, report=copy, original=original)
    marked = report_mark_duplicate(actor=world.official, report=copy, original=original)
    assert marked.state == S.DUPLICATE
    assert marked.duplicate_of == original
    # A duplicate of a duplicate points at the first report; its followers follow it now.
    again = report_mark_duplicate(actor=world.moderator, report=third, original=copy)
    assert again.duplicate_of == original
    assert Follow.objects.filter(user=world.neighbour, report=original).exists()
    with refused(marked, "invalid_state"):
        report_mark_duplicate(actor=world.official, report=marked, original=original)


# --- the author's word ----------------------------------------------------------------------


def test_confirm(world: World, published: CitizenReport) -> None:
    with refused(published, "invalid_state"):
        report_confirm(actor=world.citizen, report=published)
    done = report_mark_done(actor=world.official, report=published, text="Жөнделді.")
    for who in (world.neighbour, world.official):
        with refused(done, "forbidden"):
            report_confirm(actor=who, report=done)
    confirmed = report_confirm(actor=world.citizen, report=done)
    assert confirmed.confirmation == Confirmation.CONFIRMED
    assert confirmed.state == S.DONE
    with refused(confirmed, "already_confirmed"):
        report_confirm(actor=world.citizen, report=confirmed)
    with refused(confirmed, "already_confirmed"):
        report_dispute(actor=world.citizen, report=confirmed, reason="no")


def test_a_disputed_report_goes_back_to_the_akimat(world: World, published: CitizenReport) -> None:
    done = report_mark_done(actor=world.official, report=published, text="Жөнделді.")
    with refused(done, "reason_required"):
        report_dispute(actor=world.citizen, report=done, reason="")
    with refused(done, "forbidden"):
        report_dispute(actor=world.neighbour, report=done, reason="no")
    disputed = report_dispute(actor=world.citizen, report=done, reason="Шұңқыр әлі де бар.")
    assert disputed.state == S.IN_PROGRESS
    assert disputed.confirmation == Confirmation.DISPUTED
    assert disputed.resolved_at is None
    assert disputed.closed_at is None
    event = _last_event(disputed)
    assert (event.kind, event.from_state, event.to_state) == ("disputed", "done", "in_progress")
    with refused(disputed, "invalid_state"):
        report_dispute(actor=world.citizen, report=disputed, reason="again")
    # Done again: the author may give their word again.
    redone = report_mark_done(actor=world.official, report=disputed, text="Енді жөнделді.")
    assert redone.confirmation == Confirmation.NONE
    report_confirm(actor=world.citizen, report=redone)


def test_every_change_moves_updated_at_and_writes_history_and_audit(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(point=ASTANA)
    steps: list[Callable[[CitizenReport], object]] = [
        lambda r: report_start(actor=world.astana_official, report=r),
        lambda r: report_answer(actor=world.astana_official, report=r, text="Тексерілуде."),
        lambda r: report_mark_done(actor=world.astana_official, report=r),
        lambda r: report_dispute(actor=world.citizen, report=r, reason="Жоқ."),
    ]
    for step in steps:
        before = _state(report)
        step(report)
        after = _state(report)
        assert after["row"]["updated_at"] > before["row"]["updated_at"]
        assert after["events"] == before["events"] + 1
        assert after["audit"] > before["audit"]
