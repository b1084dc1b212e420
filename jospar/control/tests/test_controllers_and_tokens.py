"""Which plans a controller controls; the controlling department set at import and by an
administrator; API tokens for document-management systems, issued in the administration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from jospar.control.services.plan_revisions import plan_controller_set, plan_file_import
from jospar.control.services.tokens import api_token_issue, api_token_revoke
from jospar.control.tests.conftest import World, snapshot
from jospar.core.errors import PermissionRefused
from jospar.core.models import AuditEvent, Role, User
from jospar.plans.access import can_control_plan, visible_plans
from jospar.plans.models import Plan
from jospar.plans.services.revisions import dominant_controller_code

pytestmark = pytest.mark.django_db


def test_controllers_see_their_departments_plans_and_unassigned_ones(
    world: World, make_user: Callable[..., User]
) -> None:
    unassigned = Plan.objects.create(title_ru="Без отдела")
    own, other = world.person("controller_own"), world.person("controller_other")
    assert set(visible_plans(own)) == {world.plan, unassigned}
    assert set(visible_plans(other)) == {unassigned}
    nowhere = make_user(Role.CONTROLLER, username="no_department")
    assert set(visible_plans(nowhere)) == {unassigned}
    assert can_control_plan(own, world.plan)
    assert not can_control_plan(other, world.plan)
    assert can_control_plan(other, unassigned)
    assert not can_control_plan(world.person("observer"), unassigned)
    assert set(visible_plans(world.person("observer"))) == {world.plan, unassigned}


def test_plan_controller_set_is_for_administrators_and_audited(world: World) -> None:
    for role in ("controller_own", "observer", "executor_own"):
        before = snapshot()
        with pytest.raises(PermissionRefused):
            plan_controller_set(
                actor=world.person(role), plan=world.plan, organisation=world.other_department
            )
        assert snapshot() == before
    admin = world.person("administrator")
    plan_controller_set(
        actor=admin, plan=world.plan, organisation=world.other_department, reason="Бұйрық"
    )
    world.plan.refresh_from_db()
    assert world.plan.controller_organisation == world.other_department
    event = AuditEvent.objects.filter(action="plan.controller_set").get()
    assert event.before == {"controller_organisation": world.department.pk}
    assert event.after == {"controller_organisation": world.other_department.pk}
    assert event.reason == "Бұйрық"
    # The same again changes nothing and writes nothing.
    plan_controller_set(actor=admin, plan=world.plan, organisation=world.other_department)
    assert AuditEvent.objects.filter(action="plan.controller_set").count() == 1
    assert can_control_plan(world.person("controller_other"), world.plan)
    assert not can_control_plan(world.person("controller_own"), world.plan)


def test_the_import_assigns_the_department_its_controller_column_names(
    regions: None, seed_path: Callable[[str], Any], make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="importer")
    path = seed_path("003")
    plan = plan_file_import(actor=admin, data=path.read_bytes(), filename=path.name).plan
    assert plan.controller_organisation is not None
    assert "Ішкі саясат бөлімі" in plan.controller_organisation.name_kk
    assert plan.controller_organisation.aliases.filter(code="ІСБ").exists()
    event = AuditEvent.objects.filter(action="plan.imported").get()
    assert event.after is not None
    assert event.after["controller_organisation"] == plan.controller_organisation_id
    # A plan without a controller column stays unassigned: every controller sees it.
    other = seed_path("000")
    plain = plan_file_import(actor=admin, data=other.read_bytes(), filename=other.name).plan
    assert plain.controller_organisation is None


def test_a_dominant_code_is_one_most_cells_give() -> None:
    def cells(*codes: list[str] | None) -> list[dict[str, Any]]:
        return [{"controller": c} for c in codes]

    assert dominant_controller_code(cells(["ІСБ"], ["ІСБ"], ["ІСБ", "МҚБ"], None)) == "ІСБ"
    assert dominant_controller_code(cells(["ІСБ"], ["МҚБ"])) is None
    assert dominant_controller_code(cells(["ІСБ"], ["МҚБ"], ["ІСБ"], ["А"])) is None
    assert dominant_controller_code(cells(None, None)) is None


def test_the_controlling_department_page(world: World) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.person("administrator"))
    url = reverse("control:plan-controller", args=[world.plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisation": "", "reason": "Қайта қаралады"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.controller_organisation is None


# --- API tokens -----------------------------------------------------------------------------


def test_tokens_are_issued_and_revoked_by_administrators_only(world: World) -> None:
    admin, user = world.person("administrator"), world.person("executor_own")
    before = snapshot()
    with pytest.raises(PermissionRefused):
        api_token_issue(actor=world.person("controller_own"), user=user)
    assert snapshot() == before
    assert not Token.objects.exists()
    first = api_token_issue(actor=admin, user=user)
    second = api_token_issue(actor=admin, user=user)
    assert first.key != second.key
    assert list(Token.objects.values_list("key", flat=True)) == [second.key]
    events = AuditEvent.objects.filter(action="api_token.issued")
    assert events.count() == 2
    assert all(second.key not in str(e.after) for e in events)
    assert api_token_revoke(actor=admin, user=user)
    assert not Token.objects.exists()


def test_a_document_management_system_works_with_its_token(world: World) -> None:
    token = api_token_issue(actor=world.person("administrator"), user=world.person("executor_own"))
    client = Client(headers={"authorization": f"Token {token.key}"})
    rows = client.get("/api/obligations/").json()["results"]
    assert {r["organisation"] for r in rows} == {world.ministry.pk}
    created = client.post(
        f"/api/obligations/{world.own.pk}/reports/",
        {"text": "ЭҚЖ арқылы жіберілді", "lang": "kk"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    submitted = client.post(f"/api/reports/{created.json()['id']}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    # Token requests need no CSRF token; a wrong token is refused.
    bad = Client(headers={"authorization": "Token nope"})
    assert bad.get("/api/obligations/").status_code == 401


def test_tokens_in_the_administration(world: World, make_user: Callable[..., User]) -> None:
    admin = world.person("administrator")
    admin.is_staff = True
    admin.save()
    client = Client(headers={"accept-language": "en"})
    client.force_login(admin)
    add = reverse("admin:authtoken_tokenproxy_add")
    assert client.get(add).status_code == 200
    user = world.person("executor_own")
    response = client.post(add, {"user": user.pk}, follow=True)
    assert response.status_code == 200
    token = Token.objects.get(user=user)
    assert response.content.decode().count(token.key) == 1  # shown once, in the message
    tokens = reverse("admin:authtoken_tokenproxy_changelist")
    assert token.key not in client.get(tokens).content.decode()
    # From the list of users: issue a new key (the old one stops working), then revoke.
    users = reverse("admin:core_user_changelist")
    response = client.post(
        users, {"action": "issue_api_token", "_selected_action": [user.pk]}, follow=True
    )
    renewed = Token.objects.get(user=user)
    assert renewed.key != token.key
    assert renewed.key in response.content.decode()
    client.post(users, {"action": "revoke_api_tokens", "_selected_action": [user.pk]})
    assert not Token.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    # Someone who is not an administrator does not see tokens at all.
    staff = make_user(Role.CONTROLLER, username="staff_controller", is_staff=True)
    client.force_login(staff)
    assert client.get(tokens).status_code == 403
