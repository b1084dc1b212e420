"""Who may request, follow and download reports: every page and API call of the exports against
every kind of person. A refusal changes nothing (exports, audit rows, stored files).

Columns: anonymous, executor of another organisation, executor of an organisation the plan
names, observer, controller, administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jospar.control.access.exports import access_report_export
from jospar.control.models_exports import ExportStatus, ReportExport
from jospar.control.services.exports import report_export_request
from jospar.control.tests.exports_world import Q1_2016, World, build_world, snapshot
from jospar.core.models import Organisation, OrganisationKind, Role, User

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "executor_other", "executor_own", "observer", "controller", "administrator")
LOGIN = 302


@dataclass
class Exports:
    world: World
    by_executor: ReportExport
    by_observer: ReportExport


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def exports(make_user: Callable[..., User], regions: None) -> Exports:
    # The Russian text alone: who may see what does not depend on the plan's languages.
    world = build_world(make_user, both_languages=False)

    def request(role: str, fmt: str) -> ReportExport:
        return report_export_request(
            actor=world.user(role),
            plan=world.plan,
            lang="ru",
            format=fmt,
            period_start=Q1_2016[0],
            period_end=Q1_2016[1],
        )

    return Exports(
        world=world,
        by_executor=request("executor_own", "xlsx"),
        by_observer=request("observer", "docx"),
    )


@dataclass
class Endpoint:
    method: str
    url: Callable[[Exports], str]
    expected: tuple[int, ...]  # one status per ROLES column
    data: dict[str, Any] | Callable[[Exports], dict[str, Any]] | None = None
    json: bool = False
    writes: bool = False


def _page(name: str, attr: str) -> Callable[[Exports], str]:
    return lambda e: reverse(name, args=[getattr(e, attr).pk])


def _plan_data(e: Exports) -> dict[str, Any]:
    return {"plan": e.world.plan.pk, "lang": "ru", "format": "xlsx", "period": "2016Q1"}


OWN_EXPORT = (LOGIN, 404, 200, 404, 200, 200)
OBSERVER_EXPORT = (LOGIN, 404, 404, 200, 200, 200)
FORM = {"period": "Q1", "year": "2016", "lang": "ru", "format": "xlsx"}

ENDPOINTS: dict[str, Endpoint] = {
    "request page": Endpoint(
        "get",
        lambda e: reverse("control:export-request", args=[e.world.plan.pk]),
        (LOGIN, 404, 200, 200, 200, 200),
    ),
    "request POST": Endpoint(
        "post",
        lambda e: reverse("control:export-request", args=[e.world.plan.pk]),
        (LOGIN, 404, 302, 302, 302, 302),
        data=FORM,
        writes=True,
    ),
    "detail (executor's)": Endpoint(
        "get", _page("control:export-detail", "by_executor"), OWN_EXPORT
    ),
    "status (executor's)": Endpoint(
        "get", _page("control:export-status", "by_executor"), OWN_EXPORT
    ),
    "download (executor's)": Endpoint(
        "get", _page("control:export-download", "by_executor"), OWN_EXPORT
    ),
    "detail (observer's)": Endpoint(
        "get", _page("control:export-detail", "by_observer"), OBSERVER_EXPORT
    ),
    "download (observer's)": Endpoint(
        "get", _page("control:export-download", "by_observer"), OBSERVER_EXPORT
    ),
    "api POST": Endpoint(
        "post",
        lambda e: "/api/report-exports/",
        (401, 404, 201, 201, 201, 201),
        data=_plan_data,
        json=True,
        writes=True,
    ),
    "api detail (executor's)": Endpoint(
        "get",
        lambda e: f"/api/report-exports/{e.by_executor.pk}/",
        (401, 404, 200, 404, 200, 200),
    ),
    "api download (executor's)": Endpoint(
        "get",
        lambda e: f"/api/report-exports/{e.by_executor.pk}/download/",
        (401, 404, 200, 404, 200, 200),
    ),
    "api detail (observer's)": Endpoint(
        "get",
        lambda e: f"/api/report-exports/{e.by_observer.pk}/",
        (401, 404, 404, 200, 200, 200),
    ),
}


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _stored_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix(exports: Exports, media: Path, name: str) -> None:
    """One endpoint against every column (one world per endpoint: building it is the cost)."""
    endpoint = ENDPOINTS[name]
    for role, expected in zip(ROLES, endpoint.expected, strict=True):
        person = exports.world.people[role]
        client = Client()
        if person is not None:
            client.force_login(person)
        url = endpoint.url(exports)
        data = endpoint.data(exports) if callable(endpoint.data) else endpoint.data
        before, files = snapshot(), _stored_files(media)
        if endpoint.method == "get":
            response = client.get(url)
        elif endpoint.json:
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        assert response.status_code == expected, (name, role, response.status_code)
        if person is None or expected >= 400:
            assert snapshot() == before, (name, role)
            assert _stored_files(media) == files, (name, role)
        elif endpoint.writes:
            assert snapshot()["exports"] == before["exports"] + 1, (name, role)
        if expected == 200 and "download" in name:
            assert _content(response)[:2] == b"PK", (name, role)  # a zip: XLSX or DOCX


def test_executor_requests_only_its_own_part(exports: Exports) -> None:
    export = exports.by_executor
    assert export.organisation_id == exports.world.own.pk
    assert export.status == ExportStatus.DONE
    assert exports.by_observer.organisation_id is None
    assert export.file.name != exports.by_observer.file.name


def test_controller_of_another_department_sees_nothing(
    exports: Exports, make_user: Callable[..., User], client: Client
) -> None:
    """Once the plan is given to a department, the other departments' controllers lose it."""
    department = Organisation.objects.create(kind=OrganisationKind.PRESIDENTIAL, name_ru="ОВП")
    elsewhere = Organisation.objects.create(kind=OrganisationKind.PRESIDENTIAL, name_ru="Другой")
    plan = exports.world.plan
    plan.controller_organisation = department
    plan.save(update_fields=["controller_organisation"])
    theirs = make_user(Role.CONTROLLER, organisation=department, username="ovp")
    stranger = make_user(Role.CONTROLLER, organisation=elsewhere, username="stranger")
    assert access_report_export(theirs, exports.by_executor.pk) == exports.by_executor
    client.force_login(stranger)
    before = snapshot()
    assert client.get(reverse("control:export-request", args=[plan.pk])).status_code == 404
    assert client.post(reverse("control:export-request", args=[plan.pk]), FORM).status_code == 404
    url = reverse("control:export-download", args=[exports.by_executor.pk])
    assert client.get(url).status_code == 404
    assert snapshot() == before


def test_inactive_user_is_refused(exports: Exports, client: Client) -> None:
    executor = exports.world.user("executor_own")
    client.force_login(executor)
    executor.is_active = False
    executor.save(update_fields=["is_active"])
    url = reverse("control:export-download", args=[exports.by_executor.pk])
    assert client.get(url).status_code in (302, 404)
