"""Who may do what on the portal's pages: a permission matrix for every action (anonymous,
citizen, author, official of this akimat, official of another, moderator) that also checks
nothing changed on a refusal; the akimat's queue and the moderators' desk; privacy of the
public pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jospar.civic.models import (
    AbuseReport,
    CitizenReport,
    Follow,
    ReportAnswer,
    ReportComment,
    ReportEvent,
    ReportState,
    ReportSupport,
)
from jospar.civic.services import abuse_report_file, comment_add, report_mark_done
from jospar.civic.tests.conftest import ALMATY, World, jpeg_with_exif, upload
from jospar.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "citizen", "author", "official", "other_official", "moderator")


def _person(world: World, who: str) -> Any:
    return {
        "anonymous": None,
        "citizen": world.neighbour,
        "author": world.citizen,
        "official": world.official,
        "other_official": world.astana_official,
        "moderator": world.moderator,
    }[who]


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _state(report: CitizenReport) -> tuple[Any, ...]:
    report.refresh_from_db()
    return (
        report.state,
        report.confirmation,
        report.support_count,
        report.assigned_to_id,
        report.duplicate_of_id,
        report.hidden,
        ReportEvent.objects.filter(report=report).count(),
        ReportComment.objects.filter(report=report).count(),
        ReportSupport.objects.filter(report=report).count(),
        ReportAnswer.objects.filter(report=report).count(),
        Follow.objects.filter(report=report).count(),
        AbuseReport.objects.filter(report=report).count(),
        AuditEvent.objects.count(),
    )


# Who succeeds at each action on the public page; everyone else is refused.
PUBLIC_ALLOWED = {
    "support": {"citizen", "official", "other_official", "moderator"},
    "comment": {"citizen", "author", "official", "other_official", "moderator"},
    "follow": {"citizen", "official", "other_official", "moderator"},  # the author follows
    "abuse": {"citizen", "author", "official", "other_official", "moderator"},
    "solved": {"author"},
    "confirm": {"author"},
    "dispute": {"author"},
}
PUBLIC_DATA = {
    "support": {},
    "comment": {"text": "The same on the next street."},
    "follow": {},
    "abuse": {"reason": "Insults"},
    "solved": {"note": "We fixed it."},
    "confirm": {},
    "dispute": {"reason": "Still there."},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", sorted(PUBLIC_ALLOWED))
def test_public_actions_permission_matrix(
    world: World, file_report: Callable[..., CitizenReport], action: str, who: str
) -> None:
    report = file_report()
    if action in ("confirm", "dispute"):
        report_mark_done(actor=world.official, report=report, text="Repaired.")
    before = _state(report)
    url = reverse("civic:report", kwargs={"report_id": report.pk})
    response = client_for(_person(world, who)).post(url, {"action": action, **PUBLIC_DATA[action]})
    after = _state(report)
    if who in PUBLIC_ALLOWED[action]:
        assert response.status_code == 302, response.content.decode()[:500]
        assert after != before
    else:
        assert response.status_code in (302, 403, 409), response.status_code
        if who == "anonymous":
            assert reverse("civic:login") in response["Location"]
        assert after == before


OFFICIAL_DATA: dict[str, Callable[[World, CitizenReport], dict[str, str]]] = {
    "assign": lambda w, r: {"official": str(w.official.pk)},
    "start": lambda w, r: {},
    "answer": lambda w, r: {"text": "We will repair it."},
    "done": lambda w, r: {"text": "Repaired."},
    "reject": lambda w, r: {"reason": "Private land."},
    "duplicate": lambda w, r: {"original": str(r.pk)},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", sorted(OFFICIAL_DATA))
def test_official_actions_permission_matrix(
    world: World, file_report: Callable[..., CitizenReport], action: str, who: str
) -> None:
    original = file_report(actor=world.neighbour)
    report = file_report(description="Another pothole at the same crossing, deeper.")
    before = _state(report)
    url = reverse("civic:queue-report", kwargs={"report_id": report.pk})
    data = {"action": action, **OFFICIAL_DATA[action](world, original)}
    response = client_for(_person(world, who)).post(url, data)
    after = _state(report)
    # The akimat's official does everything; a moderator rejects and marks duplicates.
    allowed = who == "official" or (who == "moderator" and action in ("reject", "duplicate"))
    if allowed:
        assert response.status_code == 302, response.content.decode()[:800]
        assert after != before
    else:
        assert response.status_code in (302, 403, 404), response.status_code
        assert after == before


def test_queue_tabs_are_the_officials_own(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    mine = file_report()
    theirs = file_report(point=(51.128, 71.43))
    assert client_for().get(reverse("civic:queue")).status_code == 302
    assert client_for(world.neighbour).get(reverse("civic:queue")).status_code == 403
    page = client_for(world.official).get(reverse("civic:queue")).content.decode()
    assert reverse("civic:queue-report", kwargs={"report_id": mine.pk}) in page
    assert reverse("civic:queue-report", kwargs={"report_id": theirs.pk}) not in page
    other = reverse("civic:queue-report", kwargs={"report_id": theirs.pk})
    assert client_for(world.official).get(other).status_code == 404
    # Taken into work and assigned: it moves from "new" to "assigned" and "in progress".
    client_for(world.official).post(
        reverse("civic:queue-report", kwargs={"report_id": mine.pk}), {"action": "start"}
    )
    for tab, present in (("new", False), ("assigned", True), ("in_progress", True)):
        html = client_for(world.official).get(reverse("civic:queue"), {"tab": tab}).content
        assert (reverse("civic:queue-report", kwargs={"report_id": mine.pk}) in html.decode()) is (
            present
        )


def test_overdue_tab(world: World, file_report: Callable[..., CitizenReport]) -> None:
    report = file_report()
    CitizenReport.objects.filter(pk=report.pk).update(
        response_due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    html = client_for(world.official).get(reverse("civic:queue"), {"tab": "overdue"}).content
    assert reverse("civic:queue-report", kwargs={"report_id": report.pk}) in html.decode()


def test_queue_costs_the_same_for_20_and_200_reports(world: World) -> None:
    def many(n: int) -> None:
        now = timezone.now()
        CitizenReport.objects.bulk_create(
            [
                CitizenReport(
                    topic=world.roads,
                    description="Pothole",
                    public_description="Pothole",
                    latitude=ALMATY[0],
                    longitude=ALMATY[1],
                    region=world.almaty,
                    akimat=world.almaty_akimat,
                    state=ReportState.IN_PROGRESS,
                    assigned_to=world.official,
                    submitted_at=now,
                    published_at=now,
                    updated_at=now,
                )
                for _ in range(n)
            ]
        )

    def count() -> int:
        client = client_for(world.official)
        client.get(reverse("civic:queue"), {"tab": "in_progress"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("civic:queue"), {"tab": "in_progress"}).status_code == 200
        return len(captured)

    many(20)
    small = count()
    many(180)
    assert count() == small


def test_done_with_after_photos_and_an_answer_required(
    world: World,
    file_report: Callable[..., CitizenReport],
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = file_report()
    url = reverse("civic:queue-report", kwargs={"report_id": report.pk})
    refused = client_for(world.official).post(url, {"action": "done", "text": ""})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    # The photo's public copy is made by a task once the request has committed.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.official).post(
            url,
            {
                "action": "done",
                "text": "Asphalt laid.",
                "media": [upload("after.jpg", jpeg_with_exif(), "image/jpeg")],
            },
        )
    report.refresh_from_db()
    assert report.state == ReportState.DONE
    public = client_for().get(reverse("civic:report", kwargs={"report_id": report.pk}))
    assert 'id="after-photos"' in public.content.decode()


def test_moderators_desk(world: World, file_report: Callable[..., CitizenReport]) -> None:
    report = file_report()
    comment = comment_add(actor=world.neighbour, report=report, text="Rude words here")
    abuse = abuse_report_file(actor=world.citizen, report=report, comment=comment, reason="Rude")
    url = reverse("civic:moderation")
    assert client_for(world.official).get(url).status_code == 403
    assert (
        client_for(world.citizen).post(url, {"action": "dismiss", "id": abuse.pk}).status_code
        == 403
    )
    abuse.refresh_from_db()
    assert abuse.resolved_at is None
    page = client_for(world.moderator).get(url).content.decode()
    assert "Rude words here" in page
    client_for(world.moderator).post(url, {"action": "hide", "id": abuse.pk, "reason": "Insult"})
    comment.refresh_from_db()
    assert comment.hidden
    public = client_for().get(reverse("civic:report", kwargs={"report_id": report.pk}))
    assert "Rude words here" not in public.content.decode()


def test_moderator_releases_a_held_report(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    from jospar.civic.services import report_hold

    settings.CIVIC_PREMODERATION = True
    report = file_report()
    report_hold(actor=world.moderator, report=report, reason="Check the photo")
    client_for(world.moderator).post(
        reverse("civic:moderation"), {"action": "release", "id": report.pk}
    )
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED


def test_the_moderation_queue_is_paged_oldest_first(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    """Thousands can wait at national scale: 25 a page, the oldest first, counted; the two
    lists page apart, and a page number people get wrong is read as the nearest page."""
    from jospar.civic.views import queue as queue_views

    settings.CIVIC_PREMODERATION = True
    reports = [file_report() for _ in range(queue_views.MODERATION_PAGE_SIZE + 3)]
    client = client_for(world.moderator)
    url = reverse("civic:moderation")

    def items(query: dict[str, str]) -> list[int]:
        html = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        waiting = html.split('id="waiting"', 1)[1].split('id="abuse"', 1)[0]
        return [int(n) for n in re.findall(r'name="id" value="(\d+)"', waiting)][::2]

    first, second = items({}), items({"waiting_page": "2"})
    assert first + second == [r.pk for r in reports]  # oldest first, none twice, none missed
    assert len(first) == queue_views.MODERATION_PAGE_SIZE
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{len(reports)} reports wait, the oldest first." in html
    assert "waiting_page=2#waiting" in html
    for wrong, expected in (("abc", first), ("0", first), ("999", second)):
        assert items({"waiting_page": wrong}) == expected, wrong
    assert items({"abuse_page": "7"}) == first  # the other list's page leaves this one alone

    def queries(query: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url, query)
        return len(captured)

    assert queries({}) == queries({"waiting_page": "2"})


# --- privacy --------------------------------------------------------------------------------

SECRETS = ("Айгерім", "Сейітқызы", "aigerim@example.kz", "870512300123", "701 555 12 34")


def test_an_anonymous_reports_author_and_personal_data_never_appear_in_public(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(
        description=(
            "Pothole near my house. My IIN 870512300123, phone +7 701 555 12 34, "
            "mail aigerim@example.kz"
        ),
        is_anonymous=True,
    )
    comment_add(actor=world.citizen, report=report, text="Still there; write to aigerim@example.kz")
    pages = [
        client_for().get(reverse("civic:report", kwargs={"report_id": report.pk})),
        client_for(world.neighbour).get(reverse("civic:report", kwargs={"report_id": report.pk})),
        client_for().get(reverse("civic:list")),
        client_for().get(reverse("civic:map")),
        client_for().get(reverse("civic:region", kwargs={"region_id": world.almaty.pk})),
        client_for().get(reverse("civic:figures")),
        client_for().get(reverse("civic:map-clusters"), {"bbox": "40,46,56,88", "zoom": "14"}),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            text = json.dumps(response.json(), ensure_ascii=False)
        for secret in SECRETS:
            assert secret not in text, (response.request["PATH_INFO"], secret)
    report_page = pages[0].content.decode()
    assert "[***]" in report_page
