"""Support, comments, abuse reports, moderation, follows and their notifications."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count

from jospar.civic.events import EventKind
from jospar.civic.models import (
    AbuseReport,
    CitizenReport,
    CommentKind,
    Follow,
    ReportComment,
    ReportEvent,
    ReportMedia,
    ReportState,
    ReportSupport,
)
from jospar.civic.nearby import distance_m, nearby_open_reports
from jospar.civic.notify import KIND_NEW, KIND_UPDATE
from jospar.civic.privacy import MASK
from jospar.civic.services import (
    abuse_report_dismiss,
    abuse_report_file,
    comment_add,
    follow_add,
    follow_remove,
    moderation_hide,
    moderation_unhide,
    report_answer,
    report_mark_done,
    report_start,
    report_support,
)
from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent, Notification, User

from .conftest import ALMATY, ALMATY_NEAR, ASTANA, World, jpeg_with_exif, upload

pytestmark = pytest.mark.django_db


# --- support and nearby reports -------------------------------------------------------------


def test_nearby_open_reports_of_the_same_topic(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    near = file_report()
    assert distance_m(*ALMATY, *ALMATY_NEAR) < 150
    other_topic = file_report(topic=world.lighting, survey={})
    far = file_report(point=ASTANA)
    found = nearby_open_reports(world.roads, *ALMATY_NEAR)
    assert found == [near]
    assert 0 < found[0].distance_m < 150  # type: ignore[attr-defined]
    assert nearby_open_reports(world.lighting, *ALMATY_NEAR) == [other_topic]
    assert far not in nearby_open_reports(world.roads, *ALMATY)
    report_mark_done(actor=world.official, report=near, text="Жөнделді.")
    assert nearby_open_reports(world.roads, *ALMATY_NEAR) == []
    assert nearby_open_reports(world.roads, 43.2420, 76.945) == []  # about 450 m north


def test_support_instead_of_a_duplicate(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    with pytest.raises(ServiceError) as refused:
        report_support(actor=world.citizen, report=report)
    assert refused.value.code == "own_report"
    support = report_support(actor=world.neighbour, report=report)
    assert support.user == world.neighbour
    report.refresh_from_db()
    assert report.support_count == 1
    assert Follow.objects.filter(user=world.neighbour, report=report).exists()
    with pytest.raises(ServiceError) as refused:
        report_support(actor=world.neighbour, report=report)
    assert refused.value.code == "already_supported"
    report.refresh_from_db()
    assert report.support_count == 1
    done = report_mark_done(actor=world.official, report=report, text="Жөнделді.")
    with pytest.raises(ServiceError) as refused:
        report_support(actor=world.official, report=done)
    assert refused.value.code == "not_open"
    assert ReportSupport.objects.count() == 1


# --- comments -------------------------------------------------------------------------------


def test_comments_and_proposals_are_masked_and_told_to_followers(
    world: World, file_report: Callable[..., CitizenReport], django_capture_on_commit_callbacks: Any
) -> None:
    report = file_report()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_add(
            actor=world.neighbour,
            report=report,
            text="Мен де көрдім. Менің нөмірім +7 777 123 45 67, жазыңыз.",
        )
        proposal = comment_add(
            actor=world.neighbour,
            report=report,
            text="Асфальтты толық ауыстыру керек.",
            kind=CommentKind.PROPOSAL,
        )
    assert comment.public_text == f"Мен де көрдім. Менің нөмірім {MASK}, жазыңыз."
    assert proposal.kind == CommentKind.PROPOSAL
    events = list(report.events.filter(kind__in=["commented", "proposed"]))
    assert [e.public_note for e in events] == [comment.public_text, proposal.public_text]
    # The author follows the report and is told; the commenter is not told of their own.
    told = Notification.objects.filter(kind=KIND_UPDATE)
    assert set(told.values_list("recipient", flat=True)) == {world.citizen.pk}
    assert told.count() == 2
    assert all("+7 777" not in n.body and "123 45 67" not in n.body for n in told)
    with pytest.raises(ServiceError) as refused:
        comment_add(actor=world.neighbour, report=report, text="  ")
    assert refused.value.code == "comment_required"
    with pytest.raises(ServiceError) as refused:
        comment_add(actor=world.neighbour, report=report, text="x", kind="shout")
    assert refused.value.code == "invalid_kind"


def test_a_comment_needs_a_public_report_and_a_confirmed_account(
    world: World, file_report: Callable[..., CitizenReport], settings: Any, unconfirmed: User
) -> None:
    settings.CIVIC_PREMODERATION = True
    waiting = file_report()
    with pytest.raises(ServiceError) as refused:
        comment_add(actor=world.neighbour, report=waiting, text="Hi")
    assert refused.value.code == "not_found"
    settings.CIVIC_PREMODERATION = False
    public = file_report()
    with pytest.raises(ServiceError) as refused:
        comment_add(actor=unconfirmed, report=public, text="Hi")
    assert refused.value.code == "email_unconfirmed"
    assert not ReportComment.objects.exists()


# --- abuse and moderation -------------------------------------------------------------------


def test_anyone_reports_abuse_a_moderator_hides_it_with_a_reason(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    comment = comment_add(actor=world.neighbour, report=report, text="Оскорбительный текст")
    abuse = abuse_report_file(actor=None, report=report, comment=comment, reason="Оскорбление")
    assert abuse.reporter is None
    assert report.events.filter(kind=EventKind.ABUSE_REPORTED, public_note="").exists()
    with pytest.raises(ServiceError) as refused:
        abuse_report_file(actor=None, report=report, reason=" ")
    assert refused.value.code == "reason_required"
    with pytest.raises(ServiceError) as refused:
        moderation_hide(actor=world.official, comment=comment, reason="x")
    assert refused.value.code == "forbidden"
    with pytest.raises(ServiceError) as refused:
        moderation_hide(actor=world.moderator, comment=comment, report=report, reason="x")
    assert refused.value.code == "invalid_target"
    with pytest.raises(ServiceError) as refused:
        moderation_hide(actor=world.moderator, comment=comment, reason="")
    assert refused.value.code == "reason_required"
    assert not ReportComment.objects.get(pk=comment.pk).hidden

    moderation_hide(actor=world.moderator, comment=comment, reason="Оскорбление жителей")
    comment.refresh_from_db()
    assert comment.hidden
    assert comment.hidden_reason == "Оскорбление жителей"
    abuse.refresh_from_db()
    assert abuse.resolution == "hidden"
    assert abuse.resolved_by == world.moderator
    audit = AuditEvent.objects.get(action="civic.moderation.hidden")
    assert (audit.object_type, audit.reason) == ("civic.reportcomment", "Оскорбление жителей")
    with pytest.raises(ServiceError) as refused:
        moderation_hide(actor=world.moderator, comment=comment, reason="again")
    assert refused.value.code == "already_hidden"
    moderation_unhide(actor=world.moderator, comment=comment, reason="Mistake")
    comment.refresh_from_db()
    assert not comment.hidden
    assert comment.hidden_reason == ""

    other = abuse_report_file(actor=world.official, report=report, reason="Spam?")
    abuse_report_dismiss(actor=world.moderator, abuse=other, reason="Not spam")
    other.refresh_from_db()
    assert other.resolution == "dismissed"
    with pytest.raises(ServiceError) as refused:
        abuse_report_dismiss(actor=world.moderator, abuse=other)
    assert refused.value.code == "already_resolved"


def test_a_hidden_report_cannot_be_reported_by_the_public(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    moderation_hide(actor=world.moderator, report=report, reason="Insults")
    with pytest.raises(ServiceError) as refused:
        abuse_report_file(actor=None, report=report, reason="more")
    assert refused.value.code == "not_found"
    assert AbuseReport.objects.count() == 0


def test_hiding_a_photo_deletes_its_public_copy_and_showing_it_makes_a_new_one(
    world: World,
    file_report: Callable[..., CitizenReport],
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = file_report(media=[upload("p.jpg", jpeg_with_exif())])
    media = ReportMedia.objects.get(report=report)
    public_path = Path(media.public_file.path)
    thumb_path = Path(media.thumbnail.path)
    original_path = Path(media.original.path)
    assert public_path.exists()
    assert thumb_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_hide(actor=world.moderator, media=media, reason="A face is seen")
    media.refresh_from_db()
    assert media.hidden
    assert not media.public_file
    assert not media.thumbnail
    assert not public_path.exists()
    assert not thumb_path.exists()
    assert original_path.exists()
    # Made again from the original by the background task, after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        moderation_unhide(actor=world.moderator, media=media, reason="Blurred by the akimat")
    media.refresh_from_db()
    assert not media.hidden
    assert media.public_file
    assert Path(media.public_file.path).exists()
    # Hiding the whole report takes its photos off the public storage as well.
    with django_capture_on_commit_callbacks(execute=True):
        moderation_hide(actor=world.moderator, report=report, reason="Abuse")
    media.refresh_from_db()
    assert not media.public_file
    # Made again from the original by the background task, after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        moderation_unhide(actor=world.moderator, report=report, reason="Reviewed")
    media.refresh_from_db()
    assert media.public_file


# --- follows and notifications --------------------------------------------------------------


def test_follow_rules(world: World, file_report: Callable[..., CitizenReport]) -> None:
    report = file_report()
    with pytest.raises(ServiceError) as refused:
        follow_add(actor=world.neighbour)
    assert refused.value.code == "invalid_follow"
    with pytest.raises(ServiceError) as refused:
        follow_add(actor=world.neighbour, report=report, region=world.almaty)
    assert refused.value.code == "invalid_follow"
    boxes: list[Any] = [
        [1, 2, 3],
        [50, 70, 49, 71],
        [0, 0, 1, 1],
        ["a", 1, 2, 3],
        [float("nan")] * 4,
    ]
    for box in boxes:
        with pytest.raises(ServiceError) as refused:
            follow_add(actor=world.neighbour, bbox=box)
        assert refused.value.code == "invalid_area"
    first = follow_add(actor=world.neighbour, report=report)
    assert follow_add(actor=world.neighbour, report=report) == first
    area = follow_add(actor=world.neighbour, bbox=[43.2, 76.9, 43.3, 77.0], topic=world.roads)
    assert (
        follow_add(actor=world.neighbour, bbox=(43.2, 76.9, 43.3, 77.0), topic=world.roads) == area
    )
    region = follow_add(actor=world.neighbour, region=world.almaty)
    assert Follow.objects.filter(user=world.neighbour).count() == 3
    with pytest.raises(ServiceError) as refused:
        follow_remove(actor=world.citizen, follow=region)
    assert refused.value.code == "forbidden"
    follow_remove(actor=world.neighbour, follow=region)
    assert Follow.objects.filter(user=world.neighbour).count() == 2


def test_area_followers_hear_of_new_reports_once_and_never_twice_per_event(
    world: World,
    file_report: Callable[..., CitizenReport],
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
) -> None:
    watcher = make_user(username="watcher", email="watcher@example.kz", language="ru")
    follow_add(actor=watcher, region=world.almaty)
    follow_add(actor=watcher, bbox=[43.2, 76.9, 43.3, 77.0])  # the same place twice over
    lighting_only = make_user(username="lamps", email="lamps@example.kz")
    follow_add(actor=lighting_only, region=world.almaty, topic=world.lighting)
    elsewhere = make_user(username="astana-watcher", email="a@example.kz")
    follow_add(actor=elsewhere, bbox=[51.0, 71.2, 51.3, 71.6])

    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(
            description="Яма, звоните 8 701 555 44 33, Айгерім.", is_anonymous=True
        )
    told = Notification.objects.filter(kind=KIND_NEW)
    assert list(told.values_list("recipient__username", flat=True)) == ["watcher"]
    note = told.get()
    assert note.lang == "ru"
    assert str(report.pk) in note.title
    assert "Дороги" in note.title
    assert MASK in note.body
    assert "555 44 33" not in note.body
    assert "Айгерім С" not in note.body
    assert "Сейітқызы" not in note.title + note.body
    assert len(mailbox) == 1
    assert mailbox[0].to == ["watcher@example.kz"]
    assert "555 44 33" not in mailbox[0].body

    # The same event, told again (a retried task), adds nothing and sends nothing.
    from jospar.civic.notify import notify_area_followers

    event = report.events.get(kind=EventKind.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_area_followers(report=report, event=event) == 0
    assert told.count() == 1
    assert len(mailbox) == 1

    # A lighting report in Almaty reaches both Almaty followers, once each.
    with django_capture_on_commit_callbacks(execute=True):
        file_report(topic=world.lighting, survey={})
    counts = dict(
        Notification.objects.filter(kind=KIND_NEW)
        .values_list("recipient__username")
        .annotate(n=Count("id"))
    )
    assert counts == {"watcher": 2, "lamps": 1}


def test_report_followers_hear_of_each_change_once(
    world: World,
    file_report: Callable[..., CitizenReport],
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
) -> None:
    report = file_report()
    follow_add(actor=world.neighbour, report=report)
    follow_add(actor=world.neighbour, region=world.almaty)
    with django_capture_on_commit_callbacks(execute=True):
        report_start(actor=world.official, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        report_answer(actor=world.official, report=report, text="Жөндеу 15 мамырда.")
    updates = Notification.objects.filter(kind=KIND_UPDATE)
    per_person = dict(updates.values_list("recipient__username").annotate(n=Count("id")))
    assert per_person == {world.citizen.username: 2, world.neighbour.username: 2}
    assert len({n.event_key for n in updates}) == updates.count()
    assert {m.to[0] for m in mailbox} == {world.citizen.email, world.neighbour.email}
    # Internal events (an assignment) are not told.
    assert not updates.filter(title__icontains="assign").exists()
    events = set(ReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert {"started", "answered"} <= events


def test_an_email_groups_what_waits_for_a_person(
    world: World,
    file_report: Callable[..., CitizenReport],
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
) -> None:
    report = file_report()
    # Nothing committed yet: the two changes wait, and go out in one letter.
    report_start(actor=world.official, report=report)
    report_answer(actor=world.official, report=report, text="Жөндеу 15 мамырда.")
    from jospar.core.services.notification_email import notifications_email_send

    run = notifications_email_send()
    assert run.letters_sent == 1
    assert run.notifications_sent == 2
    assert len(mailbox) == 1
    assert mailbox[0].to == [world.citizen.email]
    assert notifications_email_send().letters_sent == 0


def test_a_closed_report_states_are_not_open(world: World, file_report: Callable[..., Any]) -> None:
    report = file_report()
    done = report_mark_done(actor=world.official, report=report, text="ok")
    assert done.state == ReportState.DONE
    assert not done.is_open
