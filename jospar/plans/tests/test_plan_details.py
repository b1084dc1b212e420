"""A plan's title, language and period can be corrected before saving, and its title later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jospar.core.models import AuditEvent, Role, User
from jospar.planparser import parse_plan
from jospar.planparser.corrections import apply_corrections
from jospar.planparser.model import Period
from jospar.plans.models import Plan, PlanUpload
from jospar.plans.tests.conftest import seed, snapshot

pytestmark = pytest.mark.django_db

NEW_TITLE = "Мемлекеттік рәміздерді насихаттау жөніндегі іс-шаралар жоспары"


def _details(client: Client, upload: PlanUpload, **fields: str) -> object:
    data = {"title": NEW_TITLE, "lang": "kk", "period_start": "", "period_end": "", **fields}
    return client.post(reverse("plans:upload-details", args=[upload.pk]), data)


def test_the_check_page_offers_the_details_form(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    html = importer_client.get(reverse("plans:upload-review", args=[draft_003.pk])).content
    assert b'id="plan-details-form"' in html
    assert reverse("plans:upload-details", args=[draft_003.pk]).encode() in html


def test_title_and_period_are_corrected_before_saving(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    response = _details(
        importer_client, draft_003, period_start="2016-01-01", period_end="2017-12-31"
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    draft_003.refresh_from_db()
    assert draft_003.parsed["title"] == NEW_TITLE
    assert draft_003.parsed["period"] == {"start": "2016-01-01", "end": "2017-12-31"}
    assert (draft_003.period_start, draft_003.period_end) == (
        dt.date(2016, 1, 1),
        dt.date(2017, 12, 31),
    )
    # The deadlines are read again with the new period, as the parser reads them.
    data = seed("003").read_bytes()
    fresh = parse_plan(data, filename=seed("003").name, period=Period(*draft_003_period()))
    for mine, theirs in zip(
        draft_003.parsed["activities"], fresh.to_json()["activities"], strict=True
    ):
        assert mine["reports"] == theirs["reports"], mine["number"]
    assert draft_003.parsed["activities"] != parse_plan(data).to_json()["activities"]
    # What is stored is the parse with the corrections replayed.
    original = parse_plan(data, filename=seed("003").name).to_json()
    assert apply_corrections(original, draft_003.corrections) == draft_003.parsed
    assert AuditEvent.objects.filter(action="plan_upload.details_corrected").count() == 1

    importer_client.post(reverse("plans:upload-save", args=[draft_003.pk]))
    plan = Plan.objects.get()
    assert plan.title_kk == NEW_TITLE


def draft_003_period() -> tuple[dt.date, dt.date]:
    return dt.date(2016, 1, 1), dt.date(2017, 12, 31)


def test_the_language_is_corrected(importer_client: Client, draft_003: PlanUpload) -> None:
    _details(importer_client, draft_003, lang="ru")
    draft_003.refresh_from_db()
    assert draft_003.lang == "ru"
    assert draft_003.parsed["lang"] == "ru"


def test_refusals_keep_the_draft(importer_client: Client, draft_003: PlanUpload) -> None:
    before = snapshot()
    parsed = draft_003.parsed
    empty = _details(importer_client, draft_003, title="   ")
    assert empty.status_code == 400  # type: ignore[attr-defined]
    backwards = _details(
        importer_client, draft_003, period_start="2017-01-01", period_end="2016-01-01"
    )
    assert backwards.status_code == 400  # type: ignore[attr-defined]
    draft_003.refresh_from_db()
    assert draft_003.parsed == parsed
    assert snapshot() == before


def test_only_importers_correct_details(
    client: Client, draft_003: PlanUpload, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(Role.CONTROLLER))
    before = snapshot()
    assert _details(client, draft_003).status_code == 404  # type: ignore[attr-defined]
    assert snapshot() == before


@pytest.fixture
def saved_plan(importer_client: Client, draft_003: PlanUpload) -> Plan:
    importer_client.post(reverse("plans:upload-save", args=[draft_003.pk]))
    return Plan.objects.get()


def test_an_administrator_corrects_a_saved_plans_title(
    importer_client: Client, saved_plan: Plan
) -> None:
    url = reverse("plans:title", args=[saved_plan.pk])
    page = importer_client.get(reverse("plans:detail", args=[saved_plan.pk])).content.decode()
    assert 'id="plan-title-form"' in page
    response = importer_client.post(
        url, {"lang": "ru", "title": "План мероприятий по символам", "reason": "с бумаги"}
    )
    assert response.status_code == 302
    saved_plan.refresh_from_db()
    assert saved_plan.title_ru == "План мероприятий по символам"
    event = AuditEvent.objects.get(action="plan.title_set")
    assert event.after == {"title_ru": "План мероприятий по символам"}
    assert event.reason == "с бумаги"
    refused = importer_client.post(url, {"lang": "kk", "title": " "})
    assert refused.status_code == 400


@pytest.mark.parametrize("role", [Role.CONTROLLER, Role.OBSERVER, Role.EXECUTOR])
def test_others_cannot_correct_a_title(
    client: Client, saved_plan: Plan, make_user: Callable[..., User], role: Role
) -> None:
    client.force_login(make_user(role))
    before = snapshot(), saved_plan.title_kk
    response = client.post(
        reverse("plans:title", args=[saved_plan.pk]), {"lang": "kk", "title": "Басқа"}
    )
    assert response.status_code in (403, 404)
    saved_plan.refresh_from_db()
    assert (snapshot(), saved_plan.title_kk) == before
    page = client.get(reverse("plans:detail", args=[saved_plan.pk]))
    assert b'id="plan-title-form"' not in page.content
