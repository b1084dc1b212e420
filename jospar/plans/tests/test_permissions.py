"""Who may do what: every page and API endpoint against every kind of person.

Columns: anonymous, executor of another organisation, executor of the plan's organisation,
observer, controller, administrator. A refusal must change nothing (uploads, plans, revisions,
obligations, audit rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jospar.control.models import Obligation
from jospar.core.models import Organisation, Region, User
from jospar.plans.models import Plan, PlanUpload
from jospar.plans.services.upload import plan_upload_create
from jospar.plans.tests.conftest import seed, snapshot

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "executor_other", "executor_own", "observer", "controller", "administrator")


@dataclass
class World:
    plan: Plan
    draft: PlanUpload
    people: dict[str, User | None]

    @property
    def activity_id(self) -> int:
        activity = self.plan.activities.filter(executors__organisation__isnull=False).first()
        assert activity is not None
        return activity.pk

    @property
    def revision_id(self) -> int:
        return self.plan.revisions.get().pk


@pytest.fixture
def world(people: dict[str, User | None], saved_000: Plan) -> World:
    admin = people["administrator"]
    assert admin is not None
    path = seed("003")
    draft = plan_upload_create(actor=admin, data=path.read_bytes(), filename=path.name)
    return World(plan=saved_000, draft=draft, people=people)


def _file() -> SimpleUploadedFile:
    path = seed("003")
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")


@dataclass
class Endpoint:
    method: str
    url: Callable[[World], str]
    expected: tuple[int, ...]  # one status per ROLES column
    data: Callable[[World], dict[str, Any]] | None = None
    htmx: bool = False
    writes: bool = False


LOGIN = 302
VIEW_ALL = (LOGIN, 200, 200, 200, 200, 200)
VIEW_PLAN = (LOGIN, 404, 200, 200, 200, 200)
ADMIN_PAGE = (LOGIN, 403, 403, 403, 403, 200)
UPLOAD_OBJECT = (LOGIN, 404, 404, 404, 404, 200)
API_ALL = (401, 200, 200, 200, 200, 200)
API_PLAN = (401, 404, 200, 200, 200, 200)

ENDPOINTS: dict[str, Endpoint] = {
    # Pages
    "plans:list": Endpoint("get", lambda w: reverse("plans:list"), VIEW_ALL),
    "plans:detail": Endpoint("get", lambda w: reverse("plans:detail", args=[w.plan.pk]), VIEW_PLAN),
    "plans:activity": Endpoint(
        "get", lambda w: reverse("plans:activity", args=[w.activity_id]), VIEW_PLAN
    ),
    "plans:revision": Endpoint(
        "get", lambda w: reverse("plans:revision", args=[w.plan.pk, w.revision_id]), VIEW_PLAN
    ),
    "plans:obligations": Endpoint("get", lambda w: reverse("plans:obligations"), VIEW_ALL),
    "plans:obligations?plan": Endpoint(
        "get", lambda w: reverse("plans:obligations") + f"?plan={w.plan.pk}", VIEW_PLAN
    ),
    "plans:upload GET": Endpoint("get", lambda w: reverse("plans:upload"), ADMIN_PAGE),
    "plans:upload POST": Endpoint(
        "post",
        lambda w: reverse("plans:upload"),
        (LOGIN, 403, 403, 403, 403, 302),
        data=lambda w: {"file": _file()},
        writes=True,
    ),
    "plans:upload-review": Endpoint(
        "get", lambda w: reverse("plans:upload-review", args=[w.draft.pk]), UPLOAD_OBJECT
    ),
    "plans:upload-status": Endpoint(
        "get",
        lambda w: reverse("plans:upload-status", args=[w.draft.pk]),
        (LOGIN, 404, 404, 404, 404, 204),
    ),
    "plans:upload-cell": Endpoint(
        "get",
        lambda w: reverse("plans:upload-cell", args=[w.draft.pk]) + "?activity=4&field=title",
        UPLOAD_OBJECT,
        htmx=True,
    ),
    "plans:upload-correct": Endpoint(
        "post",
        lambda w: reverse("plans:upload-correct", args=[w.draft.pk]),
        UPLOAD_OBJECT,
        data=lambda w: {"activity": "4", "field": "title", "value": "Жаңа"},
        htmx=True,
        writes=True,
    ),
    "plans:upload-save": Endpoint(
        "post",
        lambda w: reverse("plans:upload-save", args=[w.draft.pk]),
        (LOGIN, 404, 404, 404, 404, 302),
        writes=True,
    ),
    "plans:upload-discard": Endpoint(
        "post",
        lambda w: reverse("plans:upload-discard", args=[w.draft.pk]),
        (LOGIN, 404, 404, 404, 404, 302),
        writes=True,
    ),
    # API
    "api plans": Endpoint("get", lambda w: "/api/plans/", API_ALL),
    "api plan": Endpoint("get", lambda w: f"/api/plans/{w.plan.pk}/", API_PLAN),
    "api plan activities": Endpoint(
        "get", lambda w: f"/api/plans/{w.plan.pk}/activities/", API_PLAN
    ),
    "api obligations": Endpoint("get", lambda w: "/api/obligations/", API_ALL),
    "api obligations?plan": Endpoint(
        "get", lambda w: f"/api/obligations/?plan={w.plan.pk}", API_PLAN
    ),
    "api organisations": Endpoint("get", lambda w: "/api/organisations/", API_ALL),
    "api organisation": Endpoint(
        "get",
        lambda w: f"/api/organisations/{Organisation.objects.order_by('id').first().pk}/",  # type: ignore[union-attr]
        API_ALL,
    ),
    "api regions": Endpoint("get", lambda w: "/api/regions/?geometry=1", API_ALL),
    "api region": Endpoint(
        "get",
        lambda w: f"/api/regions/{Region.objects.order_by('id').first().pk}/",  # type: ignore[union-attr]
        API_ALL,
    ),
    "api plan-imports dry run": Endpoint(
        "post",
        lambda w: "/api/plan-imports/?dry_run=1",
        (401, 403, 403, 403, 403, 200),
        data=lambda w: {"file": _file()},
        writes=True,
    ),
    "api plan-imports": Endpoint(
        "post",
        lambda w: "/api/plan-imports/",
        (401, 403, 403, 403, 403, 201),
        data=lambda w: {"file": _file()},
        writes=True,
    ),
}


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix(name: str, world: World) -> None:
    endpoint = ENDPOINTS[name]
    got: list[int] = []
    # The administrator comes last: the only one whose request may change something.
    for role in ROLES:
        client = Client(headers={"accept-language": "en"})
        person = world.people[role]
        if person is not None:
            client.force_login(person)
        before = snapshot()
        url = endpoint.url(world)
        headers = {"HX-Request": "true"} if endpoint.htmx else {}
        if endpoint.method == "get":
            response = client.get(url, headers=headers)
        else:
            data = endpoint.data(world) if endpoint.data else {}
            response = client.post(url, data, headers=headers)
        got.append(response.status_code)
        if role == "anonymous" and response.status_code == LOGIN:
            assert response["Location"].startswith(reverse("login"))
        if response.status_code >= 400 or role != "administrator":
            assert snapshot() == before, f"{name}: {role} changed something"
        if url.startswith("/api/") and response.status_code >= 400:
            body = response.json()
            assert set(body) == {"code", "message", "fields"}, body
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, endpoint.expected, strict=True)), (
        name
    )


def test_executor_sees_only_own_obligations(world: World) -> None:
    own = world.people["executor_own"]
    assert own is not None
    assert own.organisation_id is not None
    client = Client()
    client.force_login(own)
    data = client.get("/api/obligations/?limit=200").json()
    assert data["count"] > 0
    assert {row["organisation"] for row in data["results"]} == {own.organisation_id}
    assert (
        data["count"]
        == Obligation.objects.filter(organisation_id=own.organisation_id, in_force=True).count()
    )
    other = world.people["executor_other"]
    client.force_login(other)  # type: ignore[arg-type]
    assert client.get("/api/obligations/").json()["count"] == 0
    assert client.get("/api/plans/").json()["count"] == 0
    page = client.get(reverse("plans:obligations"))
    assert page.context["page"].paginator.count == 0
