"""Plans in the admin: every page opens for an administrator, nothing can be edited there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jospar.control.services.plan_revisions import plan_file_import
from jospar.core.models import Role
from jospar.plans.models import Activity, Plan, PlanRevision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_admin_pages_open_and_refuse_changes(
    regions: None,
    seed_path: Callable[[str], Path],
    make_user: Callable[..., Any],
    client: Client,
    lang: str,
) -> None:
    path = seed_path("003")
    plan = plan_file_import(actor=None, data=path.read_bytes(), filename=path.name).plan
    admin = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies["django_language"] = lang
    activity = Activity.objects.filter(plan=plan).first()
    revision = PlanRevision.objects.get(plan=plan)
    assert activity is not None
    for name, args in [
        ("admin:plans_plan_changelist", []),
        ("admin:plans_plan_change", [plan.pk]),
        ("admin:plans_activity_changelist", []),
        ("admin:plans_activity_change", [activity.pk]),
        ("admin:plans_planrevision_change", [revision.pk]),
        ("admin:plans_glossaryentry_changelist", []),
        ("admin:plans_planupload_changelist", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    before = plan.title_kk
    response = client.post(
        reverse("admin:plans_plan_change", args=[plan.pk]), {"title_kk": "forged"}
    )
    assert response.status_code == 403
    assert Plan.objects.get(pk=plan.pk).title_kk == before
    assert client.get(reverse("admin:plans_plan_delete", args=[plan.pk])).status_code == 403
