"""Evidence by form of completion: a report is refused without the evidence its activity's
kinds ask for, accepted with it, or with a reason the controller accepts in a comment; the
evidence follows a revision, is read through the API and shown to the controller."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jospar.control.models import ReportEvidence, ReportState
from jospar.control.services.evidence import EvidenceInput, report_evidence_add
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_accept, report_return
from jospar.control.tests.conftest import World, in_days, pdf_bytes, png_bytes, snapshot
from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ACT = EvidenceInput(kind="act", number="125", date=dt.date(2030, 1, 15))
MEDIA = EvidenceInput(
    kind="media", url="https://kazinform.kz/news/1", outlet="Kazinform", date=dt.date(2030, 1, 16)
)
EVENT = EvidenceInput(kind="event", date=dt.date(2030, 1, 20), place="Астана", participants=120)


def pdf(name: str = "act.pdf") -> tuple[Any, str]:
    return SimpleUploadedFile(name, pdf_bytes()), name


def png(name: str = "photo.png") -> tuple[Any, str]:
    return SimpleUploadedFile(name, png_bytes()), name


def _kinds(world: World, kinds: list[str]) -> None:
    world.standalone.completion_kinds = kinds
    world.standalone.save(update_fields=["completion_kinds"])
    world.with_lead.completion_kinds = kinds
    world.with_lead.save(update_fields=["completion_kinds"])


def test_submission_is_refused_per_kind_without_evidence(world: World, media: Path) -> None:
    _kinds(world, ["act", "media", "event", "other"])
    own = world.person("executor_own")
    draft = report_draft_save(actor=own, obligation=world.own, text="Орындалды", lang="kk")
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        report_submit(actor=own, report=draft)
    assert caught.value.code == "evidence_missing"
    assert set(caught.value.fields) == {"evidence_act", "evidence_media", "evidence_event"}
    assert snapshot() == before
    # One kind given: the others are still asked for.
    report_evidence_add(actor=own, report=draft, data=ACT, files=[pdf()])
    with pytest.raises(ServiceError) as caught:
        report_submit(actor=own, report=draft)
    assert set(caught.value.fields) == {"evidence_media", "evidence_event"}


def test_incomplete_evidence_is_refused_field_by_field(world: World, media: Path) -> None:
    _kinds(world, ["act", "event"])
    own = world.person("executor_own")
    draft = report_draft_save(actor=own, obligation=world.own, text="Орындалды", lang="kk")
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        report_evidence_add(actor=own, report=draft, data=EvidenceInput(kind="act"))
    assert set(caught.value.fields) == {"number", "date", "files"}
    with pytest.raises(ServiceError) as caught:
        # A PDF is no photo of an event.
        report_evidence_add(actor=own, report=draft, data=EVENT, files=[pdf("p.pdf")])
    assert set(caught.value.fields) == {"files"}
    with pytest.raises(ServiceError) as caught:
        report_evidence_add(
            actor=own, report=draft, data=EvidenceInput(kind="draft_law", url="ftp://x")
        )
    assert set(caught.value.fields) == {"url"}
    assert snapshot() == before


def test_submitted_with_evidence_then_copied_to_a_revision(world: World, media: Path) -> None:
    _kinds(world, ["act", "media", "event"])
    own = world.person("executor_own")
    draft = report_draft_save(actor=own, obligation=world.own, text="Орындалды", lang="kk")
    report_evidence_add(actor=own, report=draft, data=ACT, files=[pdf()])
    report_evidence_add(actor=own, report=draft, data=MEDIA)
    report_evidence_add(actor=own, report=draft, data=EVENT, files=[png(), png("b.png")])
    report = report_submit(actor=own, report=draft)
    assert report.state == ReportState.SUBMITTED
    event = AuditEvent.objects.filter(action="report.submitted").latest("id")
    assert event.after is not None
    assert sorted(event.after["evidence"]) == ["act", "event", "media"]
    controller = world.person("controller_own")
    report_return(actor=controller, report=report, comment="Фото аз", new_deadline=in_days(5))
    revision = report_draft_save(actor=own, obligation=world.own, text="Түзетілді", lang="kk")
    assert revision.pk != report.pk
    copied = {e.kind: e for e in revision.evidence.all()}
    assert set(copied) == {"act", "media", "event"}
    assert copied["event"].participants == 120
    assert copied["event"].files.count() == 2
    # The copy's files are the revision's own attachments, not the returned version's.
    assert set(copied["act"].files.values_list("report", flat=True)) == {revision.pk}
    assert report_submit(actor=own, report=revision).state == ReportState.SUBMITTED


def test_a_reason_instead_needs_the_controllers_comment(world: World, media: Path) -> None:
    _kinds(world, ["draft_law"])
    own = world.person("executor_own")
    draft = report_draft_save(actor=own, obligation=world.lead, text="Орындалды", lang="kk")
    reason = EvidenceInput(kind="draft_law", missing_reason="Жоба Үкіметте келісілуде")
    report_evidence_add(actor=own, report=draft, data=reason)
    report = report_submit(actor=own, report=draft)
    controller = world.person("controller_own")
    client = Client()
    client.force_login(controller)
    queue = client.get(reverse("control:review")).content.decode()
    assert "data-reasons-given" in queue
    with pytest.raises(ServiceError) as caught:
        report_accept(actor=controller, report=report, comment="")
    assert caught.value.code == "comment_required"
    review = report_accept(actor=controller, report=report, comment="Себебі негізді")
    assert review.comment == "Себебі негізді"
    event = AuditEvent.objects.filter(action="report.accepted").latest("id")
    assert event.after is not None
    assert event.after["accepted_without_evidence"] is True


def test_a_co_executors_input_is_not_held_to_evidence(world: World) -> None:
    _kinds(world, ["act"])
    draft = report_draft_save(actor=world.co_user, obligation=world.co, text="Үлес", lang="kk")
    assert report_submit(actor=world.co_user, report=draft).state == ReportState.SUBMITTED


def test_other_asks_for_nothing(world: World) -> None:
    _kinds(world, ["other"])
    own = world.person("executor_own")
    draft = report_draft_save(actor=own, obligation=world.own, text="Орындалды", lang="kk")
    assert report_submit(actor=own, report=draft).state == ReportState.SUBMITTED


def test_the_page_asks_refuses_and_shows_the_evidence(world: World, media: Path) -> None:
    _kinds(world, ["act", "media"])
    client = Client(headers={"accept-language": "ru"})
    client.force_login(world.person("executor_own"))
    page = reverse("control:obligation", args=[world.own.pk])
    html = client.get(page).content.decode()
    assert 'id="evidence-form-act"' in html
    assert 'id="evidence-form-media"' in html
    refused = client.post(
        reverse("control:report-save", args=[world.own.pk]),
        {"text": "Сделано", "lang": "ru", "action": "submit"},
    )
    assert refused.status_code == 400
    assert refused.content.decode().count('class="error-text"') == 2
    bad = client.post(
        reverse("control:evidence-add", args=[world.own.pk]), {"kind": "act", "number": "7"}
    )
    assert bad.status_code == 400
    assert "has-error" in bad.content.decode()
    added = client.post(
        reverse("control:evidence-add", args=[world.own.pk]),
        {
            "kind": "act",
            "number": "7",
            "date": "2030-01-15",
            "files": SimpleUploadedFile("act.pdf", pdf_bytes()),
        },
    )
    assert added.status_code == 302
    client.post(
        reverse("control:evidence-add", args=[world.own.pk]),
        {"kind": "media", "missing_reason": "Материал эфирде ғана болды"},
    )
    done = client.post(
        reverse("control:report-save", args=[world.own.pk]),
        {"text": "Сделано", "lang": "ru", "action": "submit"},
    )
    assert done.status_code == 302
    # The controller reads the evidence beside the report under review.
    controller = Client(headers={"accept-language": "ru"})
    controller.force_login(world.person("controller_own"))
    html = controller.get(page).content.decode()
    assert 'id="review"' in html
    assert 'data-evidence-kind="act"' in html
    assert "№ 7" in html
    assert "evidence-missing" in html
    assert "Материал эфирде ғана болды" in html


def test_api_adds_reads_and_refuses_evidence(world: World, media: Path) -> None:
    _kinds(world, ["information", "event"])
    own = world.person("executor_own")
    draft = report_draft_save(actor=own, obligation=world.own, text="Орындалды", lang="kk")
    client = Client()
    client.force_login(own)
    url = f"/api/reports/{draft.pk}/evidence/"
    for bad in (
        {"kind": "speech"},
        {"kind": "event", "participants": "many"},
        {"kind": "event", "date": "2030-02-30"},
        {"kind": "event", "place": "x" * 501},
        {"kind": "event", "date": "2030-01-20", "place": "Астана", "participants": 10},
    ):
        response = client.post(url, bad, content_type="application/json")
        assert response.status_code == 400, bad
        assert set(response.json()) == {"code", "message", "fields"}
    assert client.post(url, [1, 2], content_type="application/json").status_code == 400
    assert ReportEvidence.objects.count() == 0
    made = client.post(
        url, {"kind": "information", "files": SimpleUploadedFile("i.pdf", pdf_bytes())}
    )
    assert made.status_code == 201, made.json()
    assert made.json()["files"][0]["original_name"] == "i.pdf"
    made = client.post(
        url,
        {
            "kind": "event",
            "date": "2030-01-20",
            "place": "Астана",
            "participants": "45",
            "files": [SimpleUploadedFile("a.png", png_bytes())],
        },
    )
    assert made.status_code == 201, made.json()
    obligation = client.get(f"/api/obligations/{world.own.pk}/").json()
    assert obligation["completion_kinds"] == ["information", "event"]
    assert obligation["evidence_required"] == ["information", "event"]
    body = client.get(f"/api/reports/{draft.pk}/").json()
    assert [e["kind"] for e in body["evidence"]] == ["event", "information"]
    assert body["evidence"][0]["participants"] == 45
    assert client.post(f"/api/reports/{draft.pk}/submit/").status_code == 200
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/reports/{id}/evidence/" in schema["paths"]
    assert "evidence" in schema["components"]["schemas"]["Report"]["properties"]
