"""Every list of the control loop costs a fixed number of queries: 20 rows and 200 rows cost
the same (obligations, the review queue, an activity's obligations and decisions, a lead's
co-executors' inputs, a report's versions; pages and API)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jospar.control.models import (
    ControlDecision,
    ControlDecisionKind,
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportKind,
    ReportLink,
    ReportState,
    Review,
    ReviewDecision,
)
from jospar.control.tests.conftest import in_days
from jospar.core.models import Organisation, OrganisationKind, Role, User
from jospar.plans.models import Activity, ActivityExecutor, Plan

pytestmark = pytest.mark.django_db


def _org(name: str, kind: str = OrganisationKind.MINISTRY) -> Organisation:
    org, _ = Organisation.objects.get_or_create(name_ru=name, defaults={"kind": kind})
    return org


@dataclass
class Built:
    plan: Plan
    standalone: Activity
    lead: Obligation


def build(n: int, author: User) -> Built:
    """A plan with ``n`` of everything: obligations of one executor (each with a submitted
    report, a file and a link), a lead with ``n`` co-executors (each with an input) and ``n``
    versions of its report, and ``n`` decisions."""
    department = _org("Отдел", OrganisationKind.PRESIDENTIAL)
    executor_org, lead_org = _org("Исполнитель"), _org("Ведущий")
    now = timezone.now()
    plan = Plan.objects.create(title_ru=f"План {n}", controller_organisation=department)
    standalone = Activity.objects.create(
        plan=plan, number="1", position=1, title_ru="Мероприятие", title_kk="Іс-шара"
    )
    with_lead = Activity.objects.create(plan=plan, number="2", position=2, title_ru="Свод")
    executors = ActivityExecutor.objects.bulk_create(
        ActivityExecutor(activity=standalone, position=i, code_ru="И", organisation=executor_org)
        for i in range(n)
    )
    own = Obligation.objects.bulk_create(
        Obligation(
            activity=standalone,
            executor=e,
            organisation=executor_org,
            due_on=in_days(i % 30),
            deadline=in_days(i % 30),
            submitted_at=now,
            submitted_on=timezone.localdate(),
        )
        for i, e in enumerate(executors)
    )
    lead_executor = ActivityExecutor.objects.create(
        activity=with_lead, position=0, code_ru="В", organisation=lead_org, lead=True
    )
    lead = Obligation.objects.create(
        activity=with_lead,
        executor=lead_executor,
        organisation=lead_org,
        due_on=in_days(5),
        deadline=in_days(5),
    )
    co_executors = ActivityExecutor.objects.bulk_create(
        ActivityExecutor(
            activity=with_lead, position=i + 1, code_ru="С", organisation=_org(f"С{i}")
        )
        for i in range(n)
    )
    co = Obligation.objects.bulk_create(
        Obligation(
            activity=with_lead,
            executor=e,
            organisation_id=e.organisation_id,
            due_on=in_days(5),
            deadline=in_days(5),
            lead_obligation=lead,
            submitted_at=now,
            submitted_on=timezone.localdate(),
        )
        for e in co_executors
    )
    reports = ExecutionReport.objects.bulk_create(
        [
            *(
                ExecutionReport(
                    obligation=o,
                    kind=ReportKind.REPORT,
                    state=ReportState.SUBMITTED,
                    text="Есеп",
                    author=author,
                    organisation_id=o.organisation_id,
                    submitted_at=now,
                )
                for o in own
            ),
            *(
                ExecutionReport(
                    obligation=o,
                    kind=ReportKind.INPUT,
                    state=ReportState.SUBMITTED,
                    text="Үлес",
                    author=author,
                    organisation_id=o.organisation_id,
                    submitted_at=now,
                )
                for o in co
            ),
            *(
                ExecutionReport(
                    obligation=lead,
                    kind=ReportKind.REPORT,
                    version=v,
                    state=ReportState.RETURNED if v < n else ReportState.SUBMITTED,
                    text=f"Нұсқа {v}",
                    author=author,
                    organisation=lead_org,
                    submitted_at=now,
                )
                for v in range(1, n + 1)
            ),
        ]
    )
    ReportAttachment.objects.bulk_create(
        ReportAttachment(
            report=r,
            file=f"reports/x/{r.pk}.pdf",
            original_name="esep.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
        )
        for r in reports
    )
    ReportLink.objects.bulk_create(ReportLink(report=r, url="https://egov.kz/") for r in reports)
    Review.objects.bulk_create(
        Review(
            report=r,
            decision=ReviewDecision.RETURNED,
            comment="Қайта",
            new_deadline=in_days(5),
            reviewer=author,
            decided_at=now,
        )
        for r in reports
        if r.state == ReportState.RETURNED
    )
    ControlDecision.objects.bulk_create(
        ControlDecision(
            activity=standalone,
            obligation=own[i % len(own)],
            kind=ControlDecisionKind.EXTENDED,
            reason="Хат",
            new_deadline=in_days(30),
            decided_by=author,
            decided_at=now - dt.timedelta(minutes=i),
        )
        for i in range(n)
    )
    return Built(plan=plan, standalone=standalone, lead=lead)


LISTS: dict[str, tuple[str, Callable[[Built], str]]] = {
    "control:obligations (executor)": ("executor", lambda b: reverse("control:obligations")),
    "control:obligations (controller)": ("controller", lambda b: reverse("control:obligations")),
    "control:obligations filtered": (
        "controller",
        lambda b: (
            reverse("control:obligations")
            + f"?plan={b.plan.pk}&status=submitted_on_time&quarter=2016-Q1&deadline_from=2000-01-01"
        ),
    ),
    "control:review": ("controller", lambda b: reverse("control:review")),
    "control:activity": (
        "controller",
        lambda b: reverse("control:activity", args=[b.standalone.pk]),
    ),
    "control:obligation (lead: inputs and versions)": (
        "lead",
        lambda b: reverse("control:obligation", args=[b.lead.pk]),
    ),
    "control:obligation (controller reviewing the lead)": (
        "controller",
        lambda b: reverse("control:obligation", args=[b.lead.pk]),
    ),
    "api obligations": ("controller", lambda b: "/api/obligations/?limit=200"),
    "api obligations (executor)": ("executor", lambda b: "/api/obligations/?limit=200"),
    "api obligation detail": ("controller", lambda b: f"/api/obligations/{b.lead.pk}/"),
    "api obligation reports": (
        "controller",
        lambda b: f"/api/obligations/{b.lead.pk}/reports/?limit=200",
    ),
    "api obligation inputs": ("lead", lambda b: f"/api/obligations/{b.lead.pk}/inputs/?limit=200"),
    "api activity decisions": (
        "controller",
        lambda b: f"/api/activities/{b.standalone.pk}/decisions/?limit=200",
    ),
}


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    return len(queries)


@pytest.mark.parametrize("name", list(LISTS))
def test_list_query_count_does_not_grow_with_rows(
    name: str, make_user: Callable[..., User], django_assert_max_num_queries: Any
) -> None:
    author = make_user(Role.EXECUTOR, username="author")
    people = {
        "controller": make_user(Role.CONTROLLER, organisation=_org("Отдел", "presidential")),
        "executor": make_user(Role.EXECUTOR, organisation=_org("Исполнитель")),
        "lead": make_user(Role.EXECUTOR, organisation=_org("Ведущий")),
    }
    role, url = LISTS[name]
    small = build(20, author)
    client = Client()
    client.force_login(people[role])
    client.get(url(small))  # warm caches (content types, session, calendar)
    with_20 = _count(client, url(small))
    big = build(200, author)
    client.get(url(big))
    with django_assert_max_num_queries(with_20):
        response = client.get(url(big))
    assert response.status_code == 200
