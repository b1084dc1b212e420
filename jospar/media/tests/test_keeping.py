"""The administrator's source pages, rubrics with their cadence, the monitoring activity's mark
and the quarterly report attached to its execution report: services, pages, who may do what
(nothing changes on a refusal), hostile input, and queries that do not grow with the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.control.models import ExecutionReport, ReportAttachment
from jospar.control.tests.conftest import World
from jospar.core.models import AuditEvent
from jospar.media.models import (
    MonitoringActivity,
    MonitoringReport,
    MonitoringReportUse,
    Publication,
    PublicationRubric,
    Rubric,
    Source,
)
from jospar.media.services.publications import NewPublication, publication_record
from jospar.media.services.reports import monitoring_report_build, monitoring_report_submit
from jospar.media.services.rubrics import RubricInput, cadence, periods, rubric_create

PEOPLE = (
    "anonymous",
    "executor_own",
    "executor_other",
    "observer",
    "controller_own",
    "controller_other",
    "administrator",
)
HOSTILE = ("\x00", "a\x00b", "x" * 5000, "9223372036854775808", "-1", "²", "javascript:alert(1)")


def _client(world: World, who: str) -> Client:
    client = Client()
    user = world.people[who]
    if user is not None:
        client.force_login(user)
    return client


def _source_state() -> list[tuple[Any, ...]]:
    return list(
        Source.objects.order_by("pk").values_list(
            "name", "kind", "method", "url", "region_id", "languages", "declared_audience", "active"
        )
    )


VALID = {
    "name": "Егемен Қазақстан",
    "kind": "national",
    "method": "feed",
    "url": "https://egemen.example/rss",
    "languages": ["kk", "ru"],
    "declared_audience": "250000",
}


# --- sources ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_creates_edits_and_disables_a_source(world: World) -> None:
    admin = _client(world, "administrator")
    assert admin.get(reverse("media:source-new")).status_code == 200
    response = admin.post(reverse("media:source-new"), {**VALID, "region": world.region.pk})
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("media:source-edit", args=[source.pk])
    assert (source.name, source.languages, source.declared_audience) == (
        "Егемен Қазақстан",
        ["kk", "ru"],
        250000,
    )
    assert source.region == world.region
    # Editing the address asks it afresh: no old validators, no backoff.
    Source.objects.filter(pk=source.pk).update(etag='"x"', failures_in_row=3, flagged=True)
    edit = reverse("media:source-edit", args=[source.pk])
    assert admin.get(edit).status_code == 200
    admin.post(edit, {**VALID, "url": "https://egemen.example/sitemap.xml", "method": "sitemap"})
    source.refresh_from_db()
    assert (source.method, source.etag, source.flagged, source.failures_in_row) == (
        "sitemap",
        "",
        False,
        0,
    )
    admin.post(reverse("media:source-active", args=[source.pk]), {"active": "0"})
    source.refresh_from_db()
    assert source.active is False
    page = admin.get(reverse("media:sources")).content.decode()
    assert 'data-state="disabled"' in page
    admin.post(reverse("media:source-active", args=[source.pk]), {"active": "1"})
    source.refresh_from_db()
    assert source.active is True
    actions = list(
        AuditEvent.objects.filter(action__startswith="media.source_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "media.source_created",
        "media.source_updated",
        "media.source_disabled",
        "media.source_enabled",
    ]


@pytest.mark.django_db
def test_a_source_is_refused_field_by_field(world: World) -> None:
    admin = _client(world, "administrator")
    cases = [
        ({**VALID, "name": ""}, "name"),
        ({**VALID, "url": "ftp://x.example/feed"}, "url"),
        ({**VALID, "url": ""}, "url"),
        ({**VALID, "method": "upload"}, "url"),  # an uploaded source has no address
        ({**VALID, "languages": ["de"]}, "languages"),
        ({**VALID, "declared_audience": "-5"}, "declared_audience"),
        ({**VALID, "region": "999999"}, "region"),
    ]
    for data, field in cases:
        response = admin.post(reverse("media:source-new"), data)
        assert response.status_code == 400, field
        assert (
            f"s-{field.replace('declared_audience', 'audience')}-error" in response.content.decode()
        )
    for value in HOSTILE:
        for name in ("name", "url", "kind", "method", "region", "declared_audience", "languages"):
            response = admin.post(reverse("media:source-new"), {**VALID, name: value})
            assert response.status_code in (302, 400), (name, value)
    # Only the hostile values that are a valid name made sources ("-1", "²", a long enough name).
    assert all(s.url == VALID["url"] for s in Source.objects.all())
    assert all("\x00" not in s.name for s in Source.objects.all())


@pytest.mark.django_db
def test_only_an_administrator_keeps_sources(world: World) -> None:
    source = Source.objects.create(
        name="Хабар", kind="national", method="feed", url="https://h.kz/rss"
    )
    before = _source_state()
    for who in PEOPLE:
        if who == "administrator":
            continue
        client = _client(world, who)
        expected = 302 if who == "anonymous" else 404
        assert client.get(reverse("media:source-new")).status_code == expected, who
        assert client.post(reverse("media:source-new"), VALID).status_code == expected, who
        edit = reverse("media:source-edit", args=[source.pk])
        assert client.get(edit).status_code == expected, who
        assert client.post(edit, {**VALID, "name": "X"}).status_code == expected, who
        active = reverse("media:source-active", args=[source.pk])
        assert client.post(active, {"active": "0"}).status_code == expected, who
    assert _source_state() == before
    assert not AuditEvent.objects.filter(action__startswith="media.source_").exists()
    admin = _client(world, "administrator")
    assert admin.get(reverse("media:source-edit", args=[source.pk + 1000])).status_code == 404


# --- rubrics and cadence -----------------------------------------------------------------------


def _pub(source: Source, n: int, day: dt.date, text: str) -> Publication:
    found = publication_record(
        source=source,
        new=NewPublication(url=f"https://r.example/{n}", title="", text=text, published_on=day),
    )
    assert found is not None
    return found


def test_periods_of_a_quarter() -> None:
    since, until = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    assert len(periods("month", since, until)) == 3
    assert periods("quarter", since, until) == [(since, until)]
    weeks = periods("week", since, until)
    assert weeks[0][0] == dt.date(2026, 10, 5)  # the first Monday in the quarter
    assert all(end - start == dt.timedelta(days=6) for start, end in weeks)
    assert periods("month", dt.date(2026, 10, 15), until)[0][0] == dt.date(2026, 11, 1)


@pytest.mark.django_db
def test_a_rubric_is_found_and_its_cadence_checked(world: World) -> None:
    source = Source.objects.create(name="Аудан", kind="regional", method="feed")
    text = "«{}» айдары аясында ауылдағы мектеп туралы жаңа мақала жарияланды, оқыңыздар."
    _pub(source, 1, dt.date(2026, 10, 5), text.format("Туған жер"))
    _pub(source, 2, dt.date(2026, 10, 20), text.format("ТУҒАН ЖЕР"))
    _pub(
        source,
        3,
        dt.date(2026, 11, 3),
        "Рубрика «Туган жер»: в селе открыли новую школу, подробности.",
    )
    _pub(source, 4, dt.date(2026, 11, 4), "Туған жерім туралы өлең оқылды, жиналғандар риза болды.")
    admin = world.person("administrator")
    rubric = rubric_create(
        actor=admin,
        activity=world.standalone,
        data=RubricInput(name="«Туған жер»", expected=2, period="month"),
    )
    assert rubric.name == "Туған жер"
    # Found in the texts already collected: both spellings, not «Туған жерім».
    assert PublicationRubric.objects.filter(rubric=rubric).count() == 3
    # A new publication is tagged when it is recorded.
    _pub(source, 5, dt.date(2026, 11, 20), text.format("Туған жер"))
    [row] = cadence([rubric], dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert [(p.found, p.expected, p.met) for p in row.periods] == [
        (2, 2, True),
        (2, 2, True),
        (0, 2, False),
    ]
    client = _client(world, "controller_own")
    page = client.get(
        reverse("media:activity", args=[world.standalone.pk]), {"year": 2026, "quarter": 4}
    ).content.decode()
    assert "Туған жер" in page
    assert page.count('data-met="1"') == 2
    assert page.count('data-met="0"') == 1
    report = monitoring_report_build(actor=admin, year=2026, quarter=4, lang="ru")
    [entry] = report.data["cadence"]
    assert (entry["expected"], entry["found"], entry["periods_met"]) == (6, 4, 2)
    # The plan's controller edits it; renaming looks again; another controller may not.
    edit = reverse("media:rubric", args=[rubric.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {"name": "Туған жерім", "aliases": "", "expected": "1", "period": "week", "active": "1"},
    )
    rubric.refresh_from_db()
    assert (rubric.name, rubric.period, rubric.expected) == ("Туған жерім", "week", 1)
    assert PublicationRubric.objects.filter(rubric=rubric).count() == 1
    other = _client(world, "controller_other")
    assert other.get(edit).status_code == 404
    assert other.post(edit, {"name": "X", "expected": "3", "period": "month"}).status_code == 404
    rubric.refresh_from_db()
    assert rubric.name == "Туған жерім"


@pytest.mark.django_db
def test_rubric_forms_refuse_and_only_keepers_add(world: World) -> None:
    url = reverse("media:rubric-add", args=[world.standalone.pk])
    for who in PEOPLE:
        if who in ("administrator", "controller_own"):
            continue
        response = _client(world, who).post(
            url, {"name": "Ұлттық код", "expected": 2, "period": "month"}
        )
        assert response.status_code in (302, 404), who
        if who != "anonymous":
            assert response.status_code == 404, who
    assert not Rubric.objects.exists()
    admin = _client(world, "administrator")
    for data in (
        {"name": "", "expected": 2, "period": "month"},
        {"name": "Ұлттық код", "expected": 0, "period": "month"},
        {"name": "Ұлттық код", "expected": "1e9", "period": "month"},
        {"name": "Ұлттық код", "expected": 2, "period": "year"},
        {"name": "a\x00b", "expected": 2, "period": "month"},
        {"name": "x" * 5000, "expected": 2, "period": "month"},
    ):
        assert admin.post(url, data).status_code in (302, 400)  # 400: the edge refuses NUL
    assert not Rubric.objects.exists()
    admin.post(
        url,
        {
            "name": "Ұлттық код",
            "aliases": "Национальный код; Ulttyq kod",
            "expected": 2,
            "period": "month",
        },
    )
    rubric = Rubric.objects.get()
    assert rubric.aliases == ["Национальный код", "Ulttyq kod"]
    assert admin.get(reverse("media:rubric", args=[rubric.pk + 99])).status_code == 404


# --- the monitoring activity and its report ----------------------------------------------------


@pytest.fixture
def submitted(world: World) -> MonitoringReport:
    admin = world.person("administrator")
    source = Source.objects.create(name="Аудан", kind="regional", method="feed")
    _pub(
        source,
        1,
        dt.date(2026, 10, 5),
        "«Туған жер» айдары: ауылда жаңа мектеп ашылды, оқушылар қуанышты.",
    )
    report = monitoring_report_build(actor=admin, year=2026, quarter=4, lang="kk")
    return monitoring_report_submit(actor=admin, report=report)


@pytest.mark.django_db
def test_the_executor_attaches_the_frozen_report_with_one_action(
    world: World, submitted: MonitoringReport
) -> None:
    mark = reverse("media:activity-mark", args=[world.standalone.pk])
    # Only the plan's controller or an administrator marks the activity.
    for who in ("executor_own", "observer", "controller_other"):
        assert _client(world, who).post(mark, {"marked": "1"}).status_code == 404
    assert not MonitoringActivity.objects.exists()
    _client(world, "controller_own").post(mark, {"marked": "1"})
    assert MonitoringActivity.objects.filter(activity=world.standalone).exists()
    attach = reverse("media:report-attach", args=[submitted.pk])
    own = world.own
    # Someone else's organisation, a controller, an observer: refused, nothing written.
    for who in ("executor_other", "controller_own", "observer", "administrator"):
        response = _client(world, who).post(attach, {"obligation": own.pk})
        assert response.status_code in (302, 404), who
    assert not ExecutionReport.objects.exists()
    assert not MonitoringReportUse.objects.exists()
    # A draft report is refused.
    draft = monitoring_report_build(
        actor=world.person("administrator"), year=2026, quarter=3, lang="ru"
    )
    executor = _client(world, "executor_own")
    executor.post(reverse("media:report-attach", args=[draft.pk]), {"obligation": own.pk})
    assert not MonitoringReportUse.objects.exists()
    # The page offers the button; one POST attaches.
    page = executor.get(reverse("media:activity", args=[world.standalone.pk])).content.decode()
    assert f'value="{own.pk}"' in page
    response = executor.post(attach, {"obligation": own.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("control:obligation", args=[own.pk])
    use = MonitoringReportUse.objects.get()
    report = ExecutionReport.objects.get(obligation=own)
    assert use.execution_report == report
    assert report.state == "draft"
    attachment = ReportAttachment.objects.get(report=report)
    assert attachment.original_name == "monitoring-2026-Q4-kk.docx"
    assert use.attachment == attachment
    assert submitted.data_sha256 in report.text
    assert AuditEvent.objects.filter(action="media.report_attached").count() == 1
    assert AuditEvent.objects.filter(action="report.attachment_added").count() == 1
    # Twice is refused.
    executor.post(attach, {"obligation": own.pk})
    assert MonitoringReportUse.objects.count() == 1
    assert ReportAttachment.objects.count() == 1
    # An activity not marked is refused.
    unmarked = world.lead
    executor.post(attach, {"obligation": unmarked.pk})
    assert MonitoringReportUse.objects.count() == 1
    for value in HOSTILE:
        assert executor.post(attach, {"obligation": value}).status_code in (302, 400, 404)


@pytest.mark.django_db
def test_the_report_page_offers_the_quarters_obligation(
    world: World, submitted: MonitoringReport
) -> None:
    MonitoringActivity.objects.create(
        activity=world.standalone,
        marked_by=world.person("administrator"),
        marked_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    )
    own = world.own
    own.due_on = dt.date(2027, 1, 5)
    own.save()
    page = _client(world, "executor_own").get(reverse("media:report")).content.decode()
    assert reverse("media:report-attach", args=[submitted.pk]) in page
    other = _client(world, "executor_other").get(reverse("media:report")).content.decode()
    assert reverse("media:report-attach", args=[submitted.pk]) not in other


@pytest.mark.django_db
def test_the_activity_page_costs_the_same_queries_for_few_and_many(world: World) -> None:
    source = Source.objects.create(name="Аудан", kind="regional", method="feed")
    admin = world.person("administrator")
    rubric_create(
        actor=admin,
        activity=world.standalone,
        data=RubricInput(name="Туған жер", expected=1, period="week"),
    )
    client = _client(world, "controller_own")
    url = reverse("media:activity", args=[world.standalone.pk])

    def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            _pub(
                source,
                i,
                dt.date(2026, 10, 1) + dt.timedelta(days=i % 80),
                f"«Туған жер» жаңалығы нөмір {i} ауылдан хабар",
            )

    add(0, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": 2026, "quarter": 4})
    add(3, 30)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"year": 2026, "quarter": 4})
    assert len(few) == len(many)
    with CaptureQueriesContext(connection) as sources_few:
        client.get(reverse("media:sources"))
    for n in range(10):
        Source.objects.create(name=f"S{n}", kind="regional", method="feed")
    with CaptureQueriesContext(connection) as sources_many:
        client.get(reverse("media:sources"))
    assert len(sources_few) == len(sources_many)
