"""Proposals (rubric, keyword, similar text), their decisions, the link a confirmation attaches
to the execution report, the monitoring pages and the quarterly report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.control.models import ReportLink
from jospar.control.tests.conftest import World
from jospar.core.models import AuditEvent
from jospar.media.models import (
    ActivityKeywords,
    MatchProposal,
    MonitoringReport,
    ProposalState,
    Publication,
    Source,
)
from jospar.media.services.matching import proposals_make
from jospar.media.services.publications import NewPublication, publication_record
from jospar.media.services.reports import frozen_intact

TEXT = (
    "В рамках проекта «Туған жер» жители села отремонтировали школу и библиотеку. "
    "Акимат района выделил строительные материалы, а выпускники прошлых лет собрали средства "
    "на новые книги. Работы завершились к началу учебного года."
)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pub(world: World) -> Publication:
    world.standalone.title_ru = "Провести конференцию «Туған жер» в регионах"
    world.standalone.save()
    ActivityKeywords.objects.create(activity=world.with_lead, keywords=["библиотеку"])
    source = Source.objects.create(
        name="Аудан жаңалықтары",
        kind="regional",
        method="feed",
        region=world.region,
        declared_audience=12000,
    )
    found = publication_record(
        source=source,
        new=NewPublication(
            url="https://audan.example/news/1?utm_source=tg",
            title="Туған жер: школа отремонтирована",
            text=TEXT,
            published_on=dt.date(2026, 10, 5),
        ),
    )
    assert found is not None
    return found


@pytest.mark.django_db
def test_proposals_by_rubric_and_keyword(world: World, pub: Publication) -> None:
    assert proposals_make(publication=pub) == 2
    assert proposals_make(publication=pub) == 0 or MatchProposal.objects.count() == 2
    rubric = MatchProposal.objects.get(activity=world.standalone)
    assert rubric.reason == "rubric"
    assert rubric.detail == "туған жер"
    keyword = MatchProposal.objects.get(activity=world.with_lead)
    assert keyword.reason == "keyword"


@pytest.mark.django_db
def test_an_executor_confirms_and_the_link_joins_the_report(world: World, pub: Publication) -> None:
    proposals_make(publication=pub)
    proposal = MatchProposal.objects.get(activity=world.standalone)
    url = reverse("media:proposal-decide", args=[proposal.pk])
    # Someone else's organisation may not decide: nothing changes.
    _client(world.person("executor_other")).post(url, {"decision": "confirm"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PROPOSED
    assert not ReportLink.objects.exists()
    response = _client(world.person("executor_own")).post(url, {"decision": "confirm"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED
    link = ReportLink.objects.get()
    assert proposal.report_link_id == link.pk
    assert link.url == pub.url
    assert "Аудан жаңалықтары" in link.title
    assert "2026-10-05" in link.title
    assert link.report.obligation == world.own
    assert AuditEvent.objects.filter(action="media.proposal_confirmed").count() == 1
    assert AuditEvent.objects.filter(action="report.link_added").count() == 1
    # The controller rejects the other proposal.
    other = MatchProposal.objects.get(activity=world.with_lead)
    _client(world.person("controller_own")).post(
        reverse("media:proposal-decide", args=[other.pk]), {"decision": "reject"}
    )
    other.refresh_from_db()
    assert other.state == ProposalState.REJECTED


@pytest.mark.django_db
def test_pages_show_publications_sources_and_search(world: World, pub: Publication) -> None:
    client = _client(world.person("observer"))
    listing = client.get(reverse("media:publications"))
    assert listing.status_code == 200
    assert "Туған жер: школа отремонтирована" in listing.content.decode()
    found = client.get(reverse("media:publications"), {"q": "библиотек", "lang": "ru"})
    assert "Туған жер: школа" in found.content.decode()
    none = client.get(reverse("media:publications"), {"q": "космодром"})
    assert "Туған жер: школа" not in none.content.decode()
    page = client.get(reverse("media:publication", args=[pub.pk]))
    assert page.status_code == 200
    sources = client.get(reverse("media:sources"))
    assert "Аудан жаңалықтары" in sources.content.decode()
    menu = client.get(reverse("media:publications")).content.decode()
    assert 'id="nav-monitoring"' in menu
    outsider = _client(_nobody())
    assert outsider.get(reverse("media:publications")).status_code == 403
    assert outsider.get(reverse("media:publication", args=[pub.pk])).status_code == 404


def _nobody() -> Any:
    from jospar.core.models import User

    return User.objects.create_user(username="citizen-x", password="correct-horse-battery")


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_20_and_200(world: World, pub: Publication) -> None:
    client = _client(world.person("observer"))
    source = pub.source

    def add(n: int) -> None:
        start = Publication.objects.count()
        for i in range(start, start + n):
            Publication.objects.create(source=source, url=f"https://x.example/{i}", url_hash=str(i))

    add(20)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("media:publications"))
    add(180)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("media:publications"))
    assert len(few) == len(many)


@pytest.mark.django_db
def test_the_quarterly_report_is_built_written_and_frozen(world: World, pub: Publication) -> None:
    controller = _client(world.person("controller_own"))
    response = controller.post(reverse("media:report"), {"year": 2026, "quarter": 4, "lang": "kk"})
    assert response.status_code == 302
    report = MonitoringReport.objects.get()
    assert report.data["total"] == 1
    assert report.data["by_lang"] == {"ru": 1}
    assert report.data["declared_reach"] == 12000
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        got = controller.get(reverse("media:report-download", args=[report.pk]), {"format": fmt})
        assert got.status_code == 200
        assert b"".join(got).startswith(magic)
    controller.post(reverse("media:report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.submitted_at is not None
    assert frozen_intact(report)
    again = controller.post(reverse("media:report-submit", args=[report.pk]))
    assert again.status_code == 302
    report.refresh_from_db()
    assert frozen_intact(report)
    bad = controller.post(reverse("media:report"), {"year": "x", "quarter": 9, "lang": "en"})
    assert bad.status_code == 400
    observer = _client(world.person("observer"))
    assert observer.post(reverse("media:report"), {"year": 2026, "quarter": 4}).status_code == 403
    assert observer.get(reverse("media:report")).status_code == 200


@pytest.mark.django_db
def test_an_executor_uploads_exported_posts(world: World) -> None:
    source = Source.objects.create(name="Telegram: әкімдік", kind="social", method="upload")
    rows = (
        "url,text,date,title\n"
        "https://t.me/akimat/10,«Туған жер» жобасы аясында ауылда жаңа мектеп ашылды,"
        "2026-10-05T09:00:00+05:00,Жаңа мектеп\n"
        "not-a-link,ignored,,\n"
    )
    client = _client(world.person("executor_own"))
    url = reverse("media:source-upload", args=[source.pk])
    client.post(url, {"file": SimpleUploadedFile("posts.csv", rows.encode())})
    pub = Publication.objects.get(source=source)
    assert pub.lang == "kk"
    assert pub.published_on == dt.date(2026, 10, 5)
    client.post(url, {"file": SimpleUploadedFile("posts.csv", rows.encode())})
    assert Publication.objects.filter(source=source).count() == 1
    client.post(url, {"file": SimpleUploadedFile("posts.json", b"{not json")})
    assert AuditEvent.objects.filter(action="media.posts_imported").count() == 2
    observer = _client(world.person("observer"))
    observer.post(url, {"file": SimpleUploadedFile("posts.csv", rows.encode())})
    assert AuditEvent.objects.filter(action="media.posts_imported").count() == 2
