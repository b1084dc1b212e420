"""The report costs a fixed number of queries: 20 activities and 200 cost the same, and the
writers never query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.control.exports import data
from jospar.control.exports.data import consolidated_report
from jospar.control.exports.render import render_report
from jospar.control.models import (
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportEvidence,
    ReportKind,
    ReportLink,
    ReportState,
)
from jospar.control.models_exports import ReportExport
from jospar.core.models import Organisation, OrganisationKind, Role, User
from jospar.plans.models import Activity, ActivityExecutor, Plan

pytestmark = pytest.mark.django_db

DUE = dt.date(2016, 3, 15)
PERIOD = (dt.date(2016, 1, 1), dt.date(2016, 3, 31))


def build(rows: int, author: User) -> Plan:
    """A plan of ``rows`` activities in two sections; each activity has a lead and a co-executor,
    both owing a report in the period, the lead's submitted with a link and an attachment."""
    plan = Plan.objects.create(title_ru=f"План {rows}", title_kk=f"Жоспар {rows}")
    for i in range(rows):
        activity = Activity.objects.create(
            plan=plan,
            number=str(i + 1),
            position=i + 1,
            section_ru="Раздел 1" if i < rows // 2 else "Раздел 2",
            title_ru=f"Мероприятие {i}",
            title_kk=f"Іс-шара {i}",
            completion_form_ru=["информация в АП"],
            deadline_text_ru="ежеквартально",
            report_dates=[DUE.isoformat()],
        )
        lead_org = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru=f"М{i}")
        co_org = Organisation.objects.create(kind=OrganisationKind.AGENCY, name_ru=f"А{i}")
        lead = ActivityExecutor.objects.create(
            activity=activity, position=1, code_ru=f"М{i}", organisation=lead_org, lead=True
        )
        co = ActivityExecutor.objects.create(
            activity=activity, position=2, code_ru=f"А{i}", organisation=co_org, by_agreement=True
        )
        lead_ob = Obligation.objects.create(
            activity=activity, executor=lead, organisation=lead_org, due_on=DUE, deadline=DUE
        )
        Obligation.objects.create(
            activity=activity,
            executor=co,
            organisation=co_org,
            due_on=DUE,
            deadline=DUE,
            lead_obligation=lead_ob,
        )
        report = ExecutionReport.objects.create(
            obligation=lead_ob,
            kind=ReportKind.REPORT,
            state=ReportState.SUBMITTED,
            text=f"Исполнено {i}",
            author=author,
        )
        ReportLink.objects.create(report=report, url=f"https://example.kz/{i}", title="ссылка")
        attachment = ReportAttachment.objects.create(
            report=report,
            file=f"reports/{i}/a.pdf",
            original_name=f"{i}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
        act = ReportEvidence.objects.create(report=report, kind="act", number=str(i), date=DUE)
        act.files.set([attachment])
    return plan


def _queries(plan: Plan) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as reading:
        report = consolidated_report(
            plan=plan, lang="ru", period_start=PERIOD[0], period_end=PERIOD[1]
        )
    assert len(report.rows) == plan.activities.count()
    assert all(len(row.entries) == 1 and row.entries[0].reported for row in report.rows)
    with CaptureQueriesContext(connection) as writing:
        for fmt in ("docx", "xlsx"):
            render_report(report, fmt)
    return len(reading.captured_queries), len(writing.captured_queries)


def test_builder_costs_the_same_for_20_and_200_activities(make_user: Callable[..., User]) -> None:
    author = make_user(Role.ADMINISTRATOR)
    small, large = build(20, author), build(200, author)
    assert _queries(small) == _queries(large)
    reading, writing = _queries(large)
    # Obligations, activities, executors, reports, links, files, evidence and their files.
    assert reading <= 8
    assert writing == 0


def test_chosen_reports_read_by_ids_or_by_subquery_give_the_same_report(
    make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = build(6, make_user(Role.ADMINISTRATOR))

    def read() -> tuple[object, str]:
        with CaptureQueriesContext(connection) as reading:
            report = consolidated_report(
                plan=plan, lang="ru", period_start=PERIOD[0], period_end=PERIOD[1]
            )
        return report, " ".join(q["sql"] for q in reading.captured_queries[1:])

    by_ids, sql = read()
    # Read by the ids of the rows: the latest-report subquery (its LIMIT 1) runs once,
    # in the first query.
    assert "LIMIT 1" not in sql
    monkeypatch.setattr(data, "CHOSEN_AS_LIST", 2)
    by_subquery, sql = read()
    assert "LIMIT 1" in sql
    assert by_subquery == by_ids


def test_request_page_lists_exports_in_fixed_queries(
    make_user: Callable[..., User], client: Client
) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    plan = build(1, admin)
    client.force_login(admin)
    url = reverse("control:export-request", args=[plan.pk])

    def add(n: int) -> None:
        for i in range(n):
            ReportExport.objects.create(
                plan=plan,
                lang="kk",
                format="docx",
                period_start=PERIOD[0],
                period_end=PERIOD[1],
                requested_by=make_user(Role.OBSERVER, username=f"o{ReportExport.objects.count()}"),
                activity_count=i,
            )

    add(3)
    client.get(url)  # warm the session and the roles
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
