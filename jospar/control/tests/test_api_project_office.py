"""The project office's read API: who reads a program's tree, a node's risks and the status
reports (own node, the parent's role, a sibling's, another region's, anonymous), the lists'
query counts, and nothing changed by a refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from jospar.control.tests.office_world import OfficeWorld, build_office
from jospar.core.models import AuditEvent, Role, User
from jospar.programs.models import NodeStatus, Risk, StatusReport, StatusSchedule
from jospar.programs.models_office import DeclaredStatus, Frequency

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(make_user: Callable[..., User]) -> OfficeWorld:
    world = build_office(make_user)
    world.people["controller"] = make_user(Role.CONTROLLER, username="controller")
    curator = world["curator"]
    schedule = StatusSchedule.objects.create(
        program=world.program,
        node=world.sub,
        frequency=Frequency.MONTHLY,
        starts_on=dt.date(2026, 1, 1),
        set_by=curator,
    )
    for region in (world.astana, world.almaty):
        StatusReport.objects.create(
            schedule=schedule,
            program=world.program,
            region=region,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 31),
            due_on=dt.date(2026, 2, 5),
            narrative=f"{region.code}: орындалды",
        )
    _risks(world, 2)
    NodeStatus.objects.create(
        node=world.project, status=DeclaredStatus.AT_RISK, reason="Кешігу", set_by=curator
    )
    return world


def _risks(world: OfficeWorld, n: int) -> None:
    for i in range(n):
        Risk.objects.create(
            node=world.project,
            title=f"Тәуекел {i}",
            probability=1 + i % 5,
            impact=2,
            owner=world["project_manager"],
            review_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            created_by=world["project_manager"],
        )


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _snapshot() -> tuple[int, ...]:
    return (
        Risk.objects.count(),
        StatusReport.objects.count(),
        NodeStatus.objects.count(),
        AuditEvent.objects.count(),
    )


RISK_READERS = {
    "project_manager": 200,  # a role on the node
    "sub_manager": 200,  # a role on its sub-program (the parent's parent)
    "curator": 200,  # a program-wide role
    "controller": 200,  # the control department
    "sibling_manager": 404,
    "other_sub_manager": 404,
    "event_manager": 404,  # a role on a node under it
    "astana_other_office": 404,  # a regional office of another sub-program
    "observer": 404,
    "stranger": 404,
}


@pytest.mark.parametrize(("name", "expected"), sorted(RISK_READERS.items()))
def test_who_reads_a_nodes_risks(office: OfficeWorld, name: str, expected: int) -> None:
    before = _snapshot()
    response = _client(office[name]).get(f"/api/program-nodes/{office.project.pk}/risks/")
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["count"] == 2
        first = response.json()["results"][0]
        assert first["score"] == first["probability"] * first["impact"]
    else:
        assert response.json()["code"] == "not_found"
    assert _snapshot() == before


def test_anonymous_is_refused_everywhere(office: OfficeWorld) -> None:
    report = StatusReport.objects.first()
    assert report is not None
    for url in (
        f"/api/programs/{office.program.pk}/tree/",
        f"/api/program-nodes/{office.project.pk}/risks/",
        f"/api/programs/{office.program.pk}/status-reports/",
        f"/api/status-reports/{report.pk}/",
    ):
        response = _client(None).get(url)
        assert response.status_code == 401, url
        assert set(response.json()) == {"code", "message", "fields"}


def test_the_tree_shows_the_readers_part_with_lights(office: OfficeWorld) -> None:
    url = f"/api/programs/{office.program.pk}/tree/"
    whole = _client(office["controller"]).get(url)
    assert whole.status_code == 200
    ids = {row["id"] for row in whole.json()["results"]}
    assert ids == {office.sub.pk, office.other_sub.pk, office.base.pk}
    # A role on the project: its own part, with its declared status and the light it gives.
    own = _client(office["project_manager"]).get(url)
    assert own.status_code == 200
    rows = {row["id"]: row for row in own.json()["results"]}
    assert rows[office.project.pk]["declared_status"] == "at_risk"
    assert rows[office.project.pk]["light"] == "amber"
    assert office.sub.pk not in rows
    # The parent, a sibling, another sub-program: not theirs.
    for node in (office.sub, office.base, office.sibling, office.other_sub):
        response = _client(office["project_manager"]).get(url, {"node": node.pk})
        assert response.status_code == 404, node
    below = _client(office["sub_manager"]).get(url, {"node": office.base.pk})
    assert {r["id"] for r in below.json()["results"]} >= {office.project.pk, office.sibling.pk}
    assert _client(office["stranger"]).get(url).status_code == 404
    assert _client(office["controller"]).get("/api/programs/999999/tree/").status_code == 404
    refused = _client(office["controller"]).get(url, {"node": "x"})
    assert refused.status_code == 400
    assert "node" in refused.json()["fields"]
    unknown = _client(office["controller"]).get(url, {"nod": 1})
    assert unknown.status_code == 400


STATUS_READERS = {
    "controller": {"astana", "almaty"},
    "curator": {"astana", "almaty"},
    "sub_head": {"astana", "almaty"},  # a role on the reports' sub-program
    "astana_office": {"astana"},  # a regional office: its region's only
    "almaty_office": {"almaty"},
    "regional_curator": {"astana"},
    "astana_other_office": {"astana"},
    "other_sub_head": set(),
    "sibling_manager": set(),
    "stranger": set(),
}


@pytest.mark.parametrize(("name", "regions"), sorted(STATUS_READERS.items()))
def test_who_reads_the_status_reports(office: OfficeWorld, name: str, regions: set[str]) -> None:
    before = _snapshot()
    client = _client(office[name])
    listed = client.get(f"/api/programs/{office.program.pk}/status-reports/")
    if not regions:
        assert listed.status_code == 404
    else:
        assert listed.status_code == 200
        codes = {office.astana.pk: "astana", office.almaty.pk: "almaty"}
        assert {codes[r["region"]] for r in listed.json()["results"]} == regions
    for report in StatusReport.objects.select_related("region"):
        detail = client.get(f"/api/status-reports/{report.pk}/")
        if report.region.code in regions:
            assert detail.status_code == 200
            assert detail.json()["narrative"].startswith(report.region.code)
        else:
            assert detail.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "regions"), sorted(STATUS_READERS.items()))
def test_the_pages_read_the_status_reports_by_the_same_rule(
    office: OfficeWorld, name: str, regions: set[str]
) -> None:
    """One rule for the pages and the API (`programs.access.status_report_regions`): the
    report's page opens for exactly the readers the API gives it to, and the program's list of
    reports links only those."""
    before = _snapshot()
    client = Client()
    client.force_login(office[name])
    listed = client.get(reverse("control:status-reports", args=[office.program.pk]))
    for report in StatusReport.objects.select_related("region"):
        url = reverse("control:status-report", args=[report.pk])
        page = client.get(url)
        if report.region.code in regions:
            assert page.status_code == 200
            assert report.narrative in page.content.decode()
        else:
            assert page.status_code == 404
            assert f'href="{url}"' not in listed.content.decode()
    assert _snapshot() == before


def _queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_the_lists_query_count_does_not_grow_with_rows(office: OfficeWorld) -> None:
    client = _client(office["controller"])
    urls = [
        f"/api/program-nodes/{office.project.pk}/risks/",
        f"/api/programs/{office.program.pk}/status-reports/",
        f"/api/programs/{office.program.pk}/tree/",
        f"/api/programs/{office.program.pk}/tree/?node={office.sub.pk}",
    ]
    for url in urls:  # the first request of a process reads what it then keeps
        client.get(url)
    few = [_queries(client, url) for url in urls]
    _risks(office, 8)
    schedule = StatusSchedule.objects.get()
    for month in range(2, 7):
        for region in (office.astana, office.almaty):
            StatusReport.objects.create(
                schedule=schedule,
                program=office.program,
                region=region,
                period_start=dt.date(2026, month, 1),
                period_end=dt.date(2026, month, 28),
                due_on=dt.date(2026, month + 1, 5),
            )
    from jospar.programs.models import NodeKind, ProgramNode

    for i in range(6):
        ProgramNode.objects.create(
            program=office.program,
            parent=office.sub,
            kind=NodeKind.BASE_PROJECT,
            position=10 + i,
            name_kk=f"Жоба {i}",
        )
    many = [_queries(client, url) for url in urls]
    assert many == few


def test_limit_and_offset_are_bounded(office: OfficeWorld) -> None:
    client = _client(office["controller"])
    url = f"/api/program-nodes/{office.project.pk}/risks/"
    page: Any = client.get(url, {"limit": 1, "offset": 1}).json()
    assert len(page["results"]) == 1
    assert page["count"] == 2
    assert client.get(url, {"limit": 100000}).status_code == 400
