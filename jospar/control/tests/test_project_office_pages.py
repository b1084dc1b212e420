"""The project office's pages: every endpoint × who asks (the project's own manager, the
parent's, a sibling's, another region's office, a stranger), with nothing changed on a refusal;
the lists read in a fixed number of queries; hostile input answered with a 4xx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jospar.control.project_office.services import (
    status_report_save,
    status_report_submit,
    status_schedule_set,
)
from jospar.control.services.project_tasks import project_task_issue
from jospar.control.tests.conftest import in_days
from jospar.control.tests.office_world import OfficeWorld, build_office
from jospar.control.tests.test_project_office import _state
from jospar.core.models import User
from jospar.programs.models import BoardCard, NodeStatus, Risk, StatusReport
from jospar.programs.models_office import Frequency, StatusReportState
from jospar.programs.services.office import risk_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user: Callable[..., User]) -> OfficeWorld:
    return build_office(make_user)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _risk(w: OfficeWorld) -> Risk:
    return risk_add(
        actor=w["project_manager"],
        node=w.project,
        title="Risk",
        probability=2,
        impact=3,
        owner=w["project_head"],
        response="",
        review_on=in_days(5),
    )


def _tasks(w: OfficeWorld, n: int = 3) -> list[Any]:
    return [
        project_task_issue(
            actor=w["project_manager"],
            node=w.project,
            addressees=["Астана қаласының әкімдігі"],
            required_items=[f"Item {i}"],
            deadline=in_days(10 + i),
        )
        for i in range(n)
    ]


def _schedule(w: OfficeWorld) -> StatusReport:
    status_schedule_set(
        actor=w["curator"],
        program=w.program,
        node=w.sub,
        frequency=Frequency.MONTHLY,
        starts_on=(dt.date.today().replace(day=1) - dt.timedelta(days=40)).replace(day=1),
        regions=[w.astana, w.almaty],
    )
    report = (
        StatusReport.objects.filter(region=w.astana)
        .select_related("schedule", "program")
        .order_by("period_start")
        .first()
    )
    assert report is not None
    return report


# who → (may act on the project, may write Astana's report, may review it)
WHO = {
    "project_manager": "own",
    "sub_manager": "parent's",
    "sibling_manager": "sibling's",
    "almaty_office": "another region's",
    "astana_office": "the region's office",
    "sub_head": "the centre",
    "stranger": "no role",
}
MANAGES = {"project_manager", "sub_manager"}
WRITES = {"astana_office"}
REVIEWS = {"sub_head"}
READS = set(WHO) - {"stranger"}
# The Astana report of the sub-program's schedule (`programs.access.status_report_regions`):
# the roles on the sub-program or above it, and Astana's office; a project's manager under it,
# a sibling and another region's office read the program, not this report.
READS_THE_REPORT = {"sub_manager", "astana_office", "sub_head"}


@pytest.mark.parametrize("who", sorted(WHO))
def test_status_endpoint(w: OfficeWorld, who: str) -> None:
    before = _state()
    response = _client(w[who]).post(
        reverse("programs:status-set", args=[w.project.pk]),
        {"status": "at_risk", "reason": "Late venue"},
    )
    if who in MANAGES:
        assert response.status_code == 302
        assert NodeStatus.objects.get().status == "at_risk"
    else:
        assert response.status_code in (302, 403, 404)
        assert _state() == before


@pytest.mark.parametrize("who", sorted(WHO))
def test_risk_endpoints(w: OfficeWorld, who: str) -> None:
    risk = _risk(w)
    client = _client(w[who])
    page = client.get(reverse("programs:risks", args=[w.project.pk]))
    assert page.status_code == (200 if who in READS else 404)
    before = _state()
    form = {
        "title": "New",
        "probability": "4",
        "impact": "5",
        "owner": str(w["project_head"].pk),
        "response": "r",
        "review_on": in_days(3).isoformat(),
    }
    added = client.post(reverse("programs:risks", args=[w.project.pk]), form)
    edited = client.post(reverse("programs:risk", args=[risk.pk]), {**form, "title": "Edited"})
    closed = client.post(reverse("programs:risk-close", args=[risk.pk]), {"note": "gone"})
    if who in MANAGES:
        assert [added.status_code, edited.status_code, closed.status_code] == [302, 302, 302]
        assert Risk.objects.filter(title="New", probability=4, impact=5).exists()
        assert Risk.objects.get(pk=risk.pk).is_open is False
    else:
        assert added.status_code in (403, 404)
        assert edited.status_code in (403, 404)
        assert closed.status_code in (302, 404)
        assert _state() == before


@pytest.mark.parametrize("who", sorted(WHO))
def test_board_endpoints(w: OfficeWorld, who: str) -> None:
    tasks = _tasks(w)
    client = _client(w[who])
    page = client.get(reverse("control:board", args=[w.project.pk]))
    assert page.status_code == (200 if who in READS else 404)
    before = _state()
    moved = client.post(
        reverse("control:board-move", args=[w.project.pk]),
        {"task": str(tasks[2].pk), "direction": "up"},
    )
    ordered = client.post(
        reverse("control:board-order", args=[w.project.pk]),
        {"order": ",".join(str(t.pk) for t in reversed(tasks))},
        headers={"X-Requested-With": "fetch"},
    )
    if who in MANAGES:
        assert moved.status_code == 302
        assert ordered.status_code == 204
        cards = BoardCard.objects.filter(node=w.project).order_by("position")
        assert [c.task_id for c in cards] == [t.pk for t in reversed(tasks)]
    else:
        assert moved.status_code in (302, 404)
        assert ordered.status_code in (403, 404)
        assert _state() == before


@pytest.mark.parametrize("who", sorted(WHO))
def test_status_report_endpoints(w: OfficeWorld, who: str) -> None:
    report = _schedule(w)
    client = _client(w[who])
    listing = client.get(reverse("control:status-reports", args=[w.program.pk]))
    page = client.get(reverse("control:status-report", args=[report.pk]))
    assert listing.status_code == (200 if who in READS else 404)
    assert page.status_code == (200 if who in READS_THE_REPORT else 404)
    url = reverse("control:status-report", args=[report.pk])
    assert (f'href="{url}"' in listing.content.decode()) == (who in READS_THE_REPORT)
    before = _state()
    written = client.post(
        reverse("control:status-report", args=[report.pk]),
        {"narrative": "Done", "risks": "", "help_requests": "", "submit": "1"},
    )
    if who in WRITES:
        assert written.status_code == 302
        report.refresh_from_db()
        assert report.state == StatusReportState.SUBMITTED
    else:
        assert written.status_code in (403, 404)
        assert _state() == before


@pytest.mark.parametrize("who", sorted(WHO))
def test_review_and_schedule_endpoints(w: OfficeWorld, who: str) -> None:
    report = _schedule(w)
    office = w["astana_office"]
    report = status_report_save(
        actor=office, report=report, narrative="Done", risks="", help_requests=""
    )
    status_report_submit(actor=office, report=report)
    client = _client(w[who])
    before = _state()
    returned = client.post(
        reverse("control:status-report-review", args=[report.pk]),
        {"decision": "return", "comment": "More detail"},
    )
    scheduled = client.post(
        reverse("control:status-schedule", args=[w.program.pk]),
        {
            "frequency": "quarterly",
            "starts_on": dt.date.today().replace(day=1).isoformat(),
            "node": str(w.sub.pk),
            "regions": [str(w.astana.pk)],
        },
    )
    if who in REVIEWS:
        assert returned.status_code == 302
        assert scheduled.status_code == 302
        report.refresh_from_db()
        assert report.state == StatusReportState.RETURNED
    else:
        assert returned.status_code in (403, 404)
        assert scheduled.status_code in (403, 404)
        assert _state() == before


def test_hostile_input_is_a_4xx_and_changes_nothing(w: OfficeWorld) -> None:
    report = _schedule(w)
    tasks = _tasks(w, 2)
    client = _client(w["project_manager"])
    office = _client(w["astana_office"])
    centre = _client(w["sub_head"])
    before = _state()
    for value in ("\x00", "a\x00b", "9223372036854775808", "-1", "²", "x" * 30_000, "9999-12-31"):
        for response in (
            client.post(
                reverse("programs:status-set", args=[w.project.pk]),
                {"status": value, "reason": value},
            ),
            client.post(
                reverse("programs:risks", args=[w.project.pk]),
                {
                    "title": value,
                    "probability": value,
                    "impact": value,
                    "owner": value,
                    "review_on": value,
                    "response": value,
                },
            ),
            client.post(
                reverse("control:board-move", args=[w.project.pk]),
                {"task": value, "direction": value},
            ),
            client.post(
                reverse("control:board-order", args=[w.project.pk]),
                {"order": f"{tasks[0].pk},{value}"},
            ),
            office.post(
                reverse("control:status-report", args=[report.pk]),
                {"narrative": value, "risks": value, "help_requests": value},
            ),
            centre.post(
                reverse("control:status-schedule", args=[w.program.pk]),
                {"frequency": value, "starts_on": value, "node": value, "regions": value},
            ),
            centre.post(
                reverse("control:status-report-review", args=[report.pk]),
                {"decision": value, "comment": value, "new_deadline": value},
            ),
        ):
            assert response.status_code < 500
    after = _state()
    # Only hostile texts that are valid text may have been saved as the report's draft.
    assert after["statuses"] == before["statuses"]
    assert after["risks"] == before["risks"]
    assert after["cards"] == before["cards"]
    assert after["obligations"] == before["obligations"]


def test_lists_read_in_a_fixed_number_of_queries(
    w: OfficeWorld, django_assert_max_num_queries: Any
) -> None:
    _schedule(w)
    _tasks(w, 2)
    for _ in range(2):
        _risk(w)
    client = _client(w["project_manager"])
    centre = _client(w["sub_head"])
    urls = [
        (client, reverse("programs:risks", args=[w.project.pk])),
        (client, reverse("control:board", args=[w.project.pk])),
        (centre, reverse("control:status-reports", args=[w.program.pk])),
        (client, reverse("programs:node", args=[w.project.pk])),
    ]
    counts = {}
    for c, url in urls:
        with django_assert_max_num_queries(40) as ctx:
            assert c.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    # Many more rows: the same number of queries.
    _tasks(w, 12)
    for _ in range(12):
        _risk(w)
    status_schedule_set(
        actor=w["curator"],
        program=w.program,
        node=w.sub,
        frequency=Frequency.MONTHLY,
        starts_on=dt.date.today().replace(day=1) - dt.timedelta(days=300),
        regions=[w.astana, w.almaty],
    )
    for c, url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert c.get(url).status_code == 200
