"""Notifications in the application: each person sees and marks only their own; the bell costs
one query; the list costs the same for 20 rows and 200; the e-mail setting is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import (
    AuditEvent,
    Notification,
    NotificationKind,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from jospar.core.selectors.notifications import organisation_heads
from jospar.core.services import organisation_head_set
from jospar.core.services.notifications import (
    NotificationDraft,
    notifications_create,
    user_notification_settings_set,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2016, 1, 6)


def notify(user: User, n: int = 1, *, url: str = "/plans/", start: int = 0) -> list[Notification]:
    drafts = [
        NotificationDraft(
            recipient=user,
            kind=NotificationKind.OVERDUE,
            event_key=f"test:{user.pk}:{start + i}",
            event_day=DAY,
            title=f"Notice {start + i}",
            body=f"Body {start + i}",
            url=url,
        )
        for i in range(n)
    ]
    notifications_create(drafts=drafts, batch=f"b{user.pk}-{start}")
    return list(Notification.objects.filter(recipient=user).order_by("id"))


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user(Role.EXECUTOR, username="alice", email="alice@example.kz")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user(Role.EXECUTOR, username="bob", email="bob@example.kz")


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    return client


def _state() -> list[tuple[int, object, object]]:
    return list(Notification.objects.order_by("id").values_list("id", "read_at", "emailed_at"))


def test_creating_twice_writes_once_and_decides_on_e_mail(
    alice: User, make_user: Callable[..., User]
) -> None:
    quiet = make_user(email="q@example.kz", email_notifications=False)
    no_address = make_user()
    drafts = [
        NotificationDraft(
            recipient=user,
            kind=NotificationKind.DUE,
            event_key=f"k:{user.pk}",
            event_day=DAY,
            title="t",
        )
        for user in (alice, quiet, no_address)
    ]
    assert notifications_create(drafts=[*drafts, drafts[0]], batch="one") == 3
    assert notifications_create(drafts=drafts, batch="two") == 0
    wanted = dict(Notification.objects.values_list("recipient_id", "email_wanted"))
    assert wanted == {alice.pk: True, quiet.pk: False, no_address.pk: False}


def test_a_person_sees_only_their_own_notifications(
    alice: User, bob: User, alice_client: Client
) -> None:
    notify(alice, 2)
    notify(bob, 1, start=10)
    page = alice_client.get(reverse("notifications"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Notice 0" in body
    assert "Notice 1" in body
    assert "Notice 10" not in body


@pytest.mark.parametrize("name", ["notification-open", "notification-read"])
def test_someone_elses_notification_is_not_found_and_stays_unread(
    alice: User, bob: User, alice_client: Client, name: str
) -> None:
    (theirs,) = notify(bob)
    before = _state()
    response = alice_client.post(reverse(name, args=[theirs.pk]))
    assert response.status_code == 404
    missing = alice_client.post(reverse(name, args=[theirs.pk + 1000]))
    assert missing.status_code == 404
    assert _state() == before


def test_the_pages_need_a_login_and_changes_need_a_post(alice: User, bob: User) -> None:
    (mine,) = notify(alice)
    anonymous = Client()
    assert anonymous.get(reverse("notifications")).status_code == 302
    assert anonymous.post(reverse("notification-read", args=[mine.pk])).status_code == 302
    assert anonymous.post(reverse("notifications-read-all")).status_code == 302
    signed_in = Client()
    signed_in.force_login(alice)
    assert signed_in.get(reverse("notification-read", args=[mine.pk])).status_code == 405
    assert signed_in.get(reverse("notification-open", args=[mine.pk])).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_opening_marks_read_and_goes_to_the_page(alice: User, alice_client: Client) -> None:
    (mine,) = notify(alice, url="/plans/activities/7/")
    response = alice_client.post(reverse("notification-open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/plans/activities/7/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_link_off_the_site_is_not_followed(alice: User, alice_client: Client) -> None:
    (mine,) = notify(alice, url="https://elsewhere.example/phish")
    response = alice_client.post(reverse("notification-open", args=[mine.pk]))
    assert response["Location"] == reverse("notifications")


def test_mark_read_and_mark_all_read(alice: User, bob: User, alice_client: Client) -> None:
    first, *rest = notify(alice, 3)
    (theirs,) = notify(bob, start=10)
    alice_client.post(reverse("notification-read", args=[first.pk]), {"next": "/notifications/"})
    first.refresh_from_db()
    assert first.read_at is not None
    assert all(Notification.objects.get(pk=n.pk).read_at is None for n in rest)
    page = alice_client.get(reverse("notifications")).content.decode()
    # Unread first.
    assert page.index("Notice 1") < page.index("Notice 0")
    response = alice_client.post(reverse("notifications-read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_e_mail_setting_is_the_persons_own_and_audited(
    alice: User, bob: User, alice_client: Client
) -> None:
    notify(alice, 2)
    response = alice_client.post(reverse("notification-settings"), {})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email_notifications is False
    # What waited to be e-mailed follows the choice.
    assert not Notification.objects.filter(recipient=alice, email_wanted=True).exists()
    event = AuditEvent.objects.get(action="user.notification_settings")
    assert event.actor == alice
    assert event.after == {"email_notifications": False}
    alice_client.post(reverse("notification-settings"), {"email_notifications": "on"})
    alice.refresh_from_db()
    assert alice.email_notifications is True
    with pytest.raises(PermissionRefused):
        user_notification_settings_set(actor=alice, user=bob, email_notifications=False)
    bob.refresh_from_db()
    assert bob.email_notifications is True


def test_the_bell_shows_the_unread_count_with_one_query(alice: User, alice_client: Client) -> None:
    notify(alice, 3)
    with CaptureQueriesContext(connection) as queries:
        page = alice_client.get(reverse("notifications"))
    body = page.content.decode()
    assert 'id="notification-bell"' in body
    assert '<span class="badge count">3</span>' in body
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    unread = [sql for sql in counting if "read_at" in sql and "core_notification" in sql]
    # The page asks twice (bell and heading); the request counts once.
    assert len(unread) == 1
    home = alice_client.get(reverse("home"), follow=True).content.decode()
    assert '<span class="badge count">3</span>' in home
    Notification.objects.update(read_at=timezone.now())
    home = alice_client.get(reverse("home"), follow=True).content.decode()
    assert 'class="badge count"' not in home


def test_the_list_costs_the_same_for_20_and_200(alice: User, alice_client: Client) -> None:
    def cost(n: int, start: int) -> int:
        Notification.objects.all().delete()
        notify(alice, n, start=start)
        alice_client.get(reverse("notifications"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(reverse("notifications"))
        assert response.status_code == 200
        return len(queries.captured_queries)

    assert cost(20, 0) == cost(200, 1000)


# --- the head of an organisation --------------------------------------------------------------


@pytest.fixture
def ministry() -> Organisation:
    return Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Министерство")


def test_the_head_is_set_by_an_administrator_through_an_audited_service(
    administrator: User, ministry: Organisation, make_user: Callable[..., User]
) -> None:
    minister = make_user(organisation=ministry)
    stranger = make_user()
    with pytest.raises(ServiceError) as refused:
        organisation_head_set(actor=administrator, organisation=ministry, head=stranger)
    assert "head" in refused.value.fields
    with pytest.raises(PermissionRefused):
        organisation_head_set(actor=minister, organisation=ministry, head=minister)
    organisation_head_set(actor=administrator, organisation=ministry, head=minister, reason="r")
    ministry.refresh_from_db()
    assert ministry.head == minister
    event = AuditEvent.objects.get(action="organisation.head_set")
    assert (event.before, event.after) == ({"head_id": None}, {"head_id": minister.pk})
    organisation_head_set(actor=administrator, organisation=ministry, head=minister)
    assert AuditEvent.objects.filter(action="organisation.head_set").count() == 1


def test_heads_fall_back_to_the_head_role(
    ministry: Organisation, make_user: Callable[..., User]
) -> None:
    agency = Organisation.objects.create(kind=OrganisationKind.AGENCY, name_ru="Агентство")
    deputy = make_user(Role.HEAD, organisation=ministry)
    minister = make_user(organisation=ministry)
    chair = make_user(Role.HEAD, organisation=agency)
    make_user(Role.HEAD, organisation=agency, is_active=False)
    assert organisation_heads([ministry.pk, agency.pk]) == {
        ministry.pk: [deputy],
        agency.pk: [chair],
    }
    ministry.head = minister
    ministry.save(update_fields=["head"])
    assert organisation_heads([ministry.pk]) == {ministry.pk: [minister]}
    minister.is_active = False
    minister.save()
    assert organisation_heads([ministry.pk]) == {ministry.pk: [deputy]}


def test_the_head_is_chosen_in_the_organisation_admin(
    superuser: User, ministry: Organisation, make_user: Callable[..., User]
) -> None:
    minister = make_user(organisation=ministry)
    outsider = make_user()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    url = reverse("admin:core_organisation_change", args=[ministry.pk])
    page = client.get(url).content.decode()
    assert f'<option value="{minister.pk}">' in page
    assert f'<option value="{outsider.pk}">' not in page
    data = {
        "kind": "ministry",
        "name_kk": "",
        "name_ru": "Министерство",
        "name_en": "",
        "abbr_kk": "",
        "abbr_ru": "",
        "parent": "",
        "valid_from": "",
        "valid_to": "",
        "head": str(outsider.pk),
        **{
            f"{prefix}-{key}": value
            for prefix in ("aliases", "successions_in", "successions_out")
            for key, value in (
                ("TOTAL_FORMS", "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            )
        },
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert not AuditEvent.objects.filter(action="organisation.head_set").exists()
    data["head"] = str(minister.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ministry.refresh_from_db()
    assert ministry.head == minister
    assert AuditEvent.objects.get(action="organisation.head_set").actor == superuser
    assert not AuditEvent.objects.filter(action="organisation.updated").exists()
