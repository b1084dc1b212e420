"""Who sees what (404 for "missing" and "not yours"), the private originals' download, Open311
keys, topics and routes, and the administration."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import Http404
from django.test import Client
from django.urls import reverse

from jospar.civic.access import (
    access_report_official,
    access_report_public,
    can_moderate,
    is_official_for,
)
from jospar.civic.models import (
    OPEN_STATES,
    CitizenReport,
    Open311Client,
    QuestionType,
    ReportMedia,
    ReportState,
    Topic,
    TopicQuestion,
    TopicRoute,
)
from jospar.civic.services import (
    moderation_hide,
    open311_client_authenticate,
    open311_client_issue,
    open311_client_revoke,
    report_mark_done,
    topic_question_save,
    topic_route_set,
    topic_save,
)
from jospar.civic.status import is_overdue, overdue_q
from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent, Organisation, OrganisationKind, User

from .conftest import World, jpeg_with_exif, upload

pytestmark = pytest.mark.django_db


def _sees(access: Callable[[Any, Any], CitizenReport], user: Any, report: CitizenReport) -> bool:
    try:
        access(user, report.pk)
    except Http404:
        return False
    return True


def test_the_access_matrix(
    world: World,
    file_report: Callable[..., CitizenReport],
    route_roads: Any,
    settings: Any,
    make_user: Callable[..., User],
) -> None:
    from django.contrib.auth.models import AnonymousUser

    public = file_report()
    settings.CIVIC_PREMODERATION = True
    waiting = file_report()
    settings.CIVIC_PREMODERATION = False
    moderation_hide(actor=world.moderator, report=file_report(), reason="x")
    hidden = CitizenReport.objects.filter(hidden=True).get()
    anonymous = AnonymousUser()
    everyone = {
        "anonymous": anonymous,
        "author": world.citizen,
        "neighbour": world.neighbour,
        "official": world.official,
        "department": world.department_official,
        "astana": world.astana_official,
        "moderator": world.moderator,
        "admin": world.admin,
    }
    public_rule = {
        "public": set(everyone),
        "waiting": {"author", "official", "department", "moderator", "admin"},
        "hidden": {"author", "official", "department", "moderator", "admin"},
    }
    official_rule = {"official", "department", "moderator", "admin"}
    for name, report in (("public", public), ("waiting", waiting), ("hidden", hidden)):
        for who, user in everyone.items():
            assert _sees(access_report_public, user, report) is (who in public_rule[name]), (
                name,
                who,
            )
            assert _sees(access_report_official, user, report) is (who in official_rule), (
                name,
                who,
            )
    for missing in (10**9, "abc", None):
        with pytest.raises(Http404):
            access_report_public(world.admin, missing)
    assert can_moderate(world.admin)
    assert can_moderate(world.moderator)
    assert not can_moderate(world.official)
    assert not can_moderate(anonymous)
    assert is_official_for(world.department_official, public)
    # A department official sees only what is routed to the department.
    lamps = file_report(topic=world.lighting, survey={})
    assert not _sees(access_report_official, world.department_official, lamps)
    assert _sees(access_report_official, world.official, lamps)


def test_the_original_is_downloaded_by_the_akimat_and_moderators_only(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    original = jpeg_with_exif()
    report = file_report(media=[upload("p.jpg", original)])
    media = ReportMedia.objects.get(report=report)
    url = reverse("civic:media-original", args=[media.pk])
    client = Client()
    assert client.get(url).status_code == 404
    for user, status in (
        (world.citizen, 404),
        (world.astana_official, 404),
        (world.official, 200),
        (world.moderator, 200),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == original  # type: ignore[attr-defined]
            assert response["Content-Disposition"].startswith("attachment")
            assert response["Content-Type"] == "image/jpeg"
            assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("civic:media-original", args=[10**9])).status_code == 404


def test_status_in_sql_and_python_agree(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    reports = [file_report() for _ in range(3)]
    report_mark_done(actor=world.official, report=reports[1], text="ok")
    CitizenReport.objects.filter(pk=reports[2].pk).update(answered_at=reports[2].submitted_at)
    today = dt.date.today()
    for day in (today, today + dt.timedelta(days=30)):
        in_sql = set(CitizenReport.objects.filter(overdue_q(day)).values_list("pk", flat=True))
        in_python = {r.pk for r in CitizenReport.objects.all() if is_overdue(r, day)}
        assert in_sql == in_python
    assert {r.state for r in CitizenReport.objects.all()} <= {*OPEN_STATES, ReportState.DONE}


# --- Open311 keys ---------------------------------------------------------------------------


def test_open311_keys(world: World) -> None:
    with pytest.raises(ServiceError) as refused:
        open311_client_issue(actor=world.official, name="App")
    assert refused.value.code == "forbidden"
    client, key = open311_client_issue(actor=world.admin, name="Qala", contact="dev@qala.kz")
    stored = Open311Client.objects.get(pk=client.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(Open311Client.objects.filter(pk=client.pk).values().get())
    assert stored.key_prefix == key[:12]
    assert key not in str(AuditEvent.objects.filter(action__startswith="civic.open311").values())
    assert open311_client_authenticate(key) == client
    assert Open311Client.objects.get(pk=client.pk).last_used_at is not None
    assert open311_client_authenticate(key + "x") is None
    assert open311_client_authenticate("") is None
    open311_client_revoke(actor=world.admin, client=client)
    assert open311_client_authenticate(key) is None
    with pytest.raises(ServiceError) as refused:
        open311_client_revoke(actor=world.admin, client=client)
    assert refused.value.code == "already_revoked"


# --- topics and routes ----------------------------------------------------------------------


def test_the_seeded_topics_are_complete_in_three_languages() -> None:
    topics = list(Topic.objects.prefetch_related("questions"))
    assert {t.code for t in topics} >= {
        "housing",
        "roads",
        "transport",
        "lighting",
        "waste",
        "ecology",
        "education",
        "health",
    }
    for topic in topics:
        assert topic.name_kk
        assert topic.name_ru
        assert topic.name_en
        assert 1 <= topic.response_working_days <= 30
        for question in topic.questions.all():
            assert question.text_kk
            assert question.text_ru
            assert question.text_en
            if question.datatype in (QuestionType.SINGLE, QuestionType.MULTI):
                assert all(v["key"] and v["name_kk"] and v["name_ru"] for v in question.values)


def test_topic_save_and_questions(world: World) -> None:
    topic = Topic(
        code="snow", name_kk="Қар", name_ru="Снег", name_en="Snow", response_working_days=0
    )
    with pytest.raises(ServiceError) as refused:
        topic_save(actor=world.admin, topic=topic)
    assert "response_working_days" in refused.value.fields
    topic.response_working_days = 3
    with pytest.raises(ServiceError):
        topic_save(actor=world.official, topic=topic)
    topic_save(actor=world.admin, topic=topic)
    assert AuditEvent.objects.filter(action="civic.topic.saved", object_id=str(topic.pk)).exists()
    bad = TopicQuestion(
        topic=topic,
        code="kind",
        datatype="singlevaluelist",
        text_kk="?",
        text_ru="?",
        text_en="?",
        values=[{"key": "a"}, {"key": "a"}],
    )
    with pytest.raises(ServiceError) as refused:
        topic_question_save(actor=world.admin, question=bad)
    assert "values" in refused.value.fields
    bad.values = [{"key": "a", "name_kk": "А"}, {"key": "b", "name_kk": "Б"}]
    topic_question_save(actor=world.admin, question=bad)
    plain = TopicQuestion(
        topic=topic,
        code="n",
        datatype="number",
        text_kk="?",
        text_ru="?",
        text_en="?",
        values=[{"key": "x"}],
    )
    with pytest.raises(ServiceError):
        topic_question_save(actor=world.admin, question=plain)


def test_topic_routes(world: World) -> None:
    route = topic_route_set(
        actor=world.admin,
        topic=world.roads,
        region=world.almaty,
        department=world.roads_department,
    )
    assert route is not None
    assert route.department == world.roads_department
    # The akimat itself is the default: no route is kept for it.
    assert (
        topic_route_set(
            actor=world.admin,
            topic=world.roads,
            region=world.almaty,
            department=world.almaty_akimat,
        )
        is None
    )
    assert not TopicRoute.objects.exists()
    merged = Organisation.objects.create(
        kind=OrganisationKind.STATE_INSTITUTION, name_ru="Старое", merged_into=world.almaty_akimat
    )
    with pytest.raises(ServiceError) as refused:
        topic_route_set(
            actor=world.admin, topic=world.roads, region=world.almaty, department=merged
        )
    assert refused.value.code == "merged_organisation"
    with pytest.raises(ServiceError):
        topic_route_set(
            actor=world.official, topic=world.roads, region=world.almaty, department=None
        )


# --- the administration ---------------------------------------------------------------------


@pytest.fixture
def admin_client(world: World) -> Client:
    User.objects.filter(pk=world.admin.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(User.objects.get(pk=world.admin.pk))
    return client


def test_admin_pages_open(
    admin_client: Client, world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(media=[upload("p.jpg", jpeg_with_exif())])
    for model in (
        "topic",
        "topicquestion",
        "topicroute",
        "citizenreport",
        "reportevent",
        "reportmedia",
        "reportanswer",
        "reportcomment",
        "abusereport",
        "reportsupport",
        "follow",
        "open311client",
        "citizenaccount",
    ):
        response = admin_client.get(reverse(f"admin:civic_{model}_changelist"))
        assert response.status_code == 200, model
    detail = admin_client.get(reverse("admin:civic_citizenreport_change", args=[report.pk]))
    assert detail.status_code == 200
    assert reverse("civic:media-original", args=[report.media.get().pk]).encode() in detail.content


def test_admin_issues_a_key_shown_once(admin_client: Client, world: World) -> None:
    response = admin_client.post(
        reverse("admin:civic_open311client_add"), {"name": "Qala", "contact": "dev@qala.kz"}
    )
    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("j311_")
    assert key.encode() in response.content
    client = Open311Client.objects.get()
    assert open311_client_authenticate(key) == client
    page = admin_client.get(reverse("admin:civic_open311client_change", args=[client.pk]))
    assert key.encode() not in page.content
    revoke = admin_client.post(
        reverse("admin:civic_open311client_changelist"),
        {"action": "revoke", ACTION_CHECKBOX_NAME: [client.pk]},
    )
    assert revoke.status_code == 302
    assert open311_client_authenticate(key) is None


def test_admin_hides_a_report_with_a_reason(
    admin_client: Client, world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    url = reverse("admin:civic_citizenreport_changelist")
    ask = admin_client.post(url, {"action": "hide", ACTION_CHECKBOX_NAME: [report.pk]})
    assert ask.status_code == 200
    assert b'name="reason"' in ask.content
    assert not CitizenReport.objects.get(pk=report.pk).hidden
    done = admin_client.post(
        url,
        {"action": "hide", ACTION_CHECKBOX_NAME: [report.pk], "apply": "yes", "reason": "Insults"},
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.hidden
    assert report.hidden_reason == "Insults"
    assert AuditEvent.objects.filter(action="civic.moderation.hidden", reason="Insults").exists()


def test_admin_edits_a_topic_through_the_service(admin_client: Client, world: World) -> None:
    topic = world.lighting
    data = {
        "code": topic.code,
        "name_kk": topic.name_kk,
        "name_ru": topic.name_ru,
        "name_en": "Street lights",
        "description_kk": "",
        "description_ru": "",
        "description_en": "",
        "group": topic.group,
        "keywords": "",
        "response_working_days": 7,
        "position": 5,
        "is_active": "on",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:civic_topic_change", args=[topic.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    topic.refresh_from_db()
    assert (topic.name_en, topic.response_working_days) == ("Street lights", 7)
    assert AuditEvent.objects.filter(action="civic.topic.saved", object_id=str(topic.pk)).exists()
