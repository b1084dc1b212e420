"""The pages of saved plans and the control schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jospar.control.models import Obligation
from jospar.control.services.plan_revisions import plan_file_import
from jospar.core.models import Region, Role, User
from jospar.plans.models import Plan
from jospar.plans.tests.conftest import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def observer_client(make_user: Callable[..., User]) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(make_user(Role.OBSERVER))
    return client


def test_plan_list_shows_counts_and_languages(
    observer_client: Client, saved_000: Plan, importer: User
) -> None:
    path = seed("001")
    plan_file_import(actor=importer, data=path.read_bytes(), filename=path.name)
    response = observer_client.get(reverse("plans:list"))
    assert response.status_code == 200
    [(plan, langs)] = response.context["rows"]
    assert plan.pk == saved_000.pk
    assert langs == ["kk", "ru"]
    assert plan.activity_count == 28
    assert plan.obligation_count == Obligation.objects.filter(in_force=True).count()
    assert plan.warning_activity_count > 0
    html = response.content.decode()
    assert "30.10.2015" in html
    assert "№ 10" in html


def test_plan_detail_in_the_users_language(
    observer_client: Client, saved_000: Plan, importer: User
) -> None:
    path = seed("001")
    plan_file_import(actor=importer, data=path.read_bytes(), filename=path.name)
    url = reverse("plans:detail", args=[saved_000.pk])
    russian = observer_client.get(url, headers={"accept-language": "ru"}).content.decode()
    kazakh = observer_client.get(url, headers={"accept-language": "kk"}).content.decode()
    activity = saved_000.activities.get(number="1")
    assert activity.title_ru[:40] in russian
    assert activity.title_kk[:40] in kazakh
    # The interface speaks the glossary's words.
    assert "Ответственные исполнители" in russian
    assert "Жауапты орындаушылар" in kazakh
    assert "График контрольных сроков" in russian
    assert "Бақылау мерзімдерінің кестесі" in kazakh
    warned = observer_client.get(url, {"warnings": "1"})
    assert 0 < len(warned.context["activities"]) < 28


def test_revision_page_shows_source_text_and_changes(
    observer_client: Client, saved_000: Plan, importer: User
) -> None:
    path = seed("000")
    text = path.read_text(encoding="utf-8")
    changed = text.replace("2015 жылғы 16 қарашаға", "2015 жылғы 18 қарашаға", 1)
    assert changed != text
    outcome = plan_file_import(actor=importer, data=changed.encode(), filename="000-v2.txt")
    assert outcome.revision is not None
    assert outcome.revision.number == 2
    assert outcome.changes
    detail = observer_client.get(reverse("plans:detail", args=[saved_000.pk]))
    assert len(detail.context["revisions"]) == 2
    page = observer_client.get(reverse("plans:revision", args=[saved_000.pk, outcome.revision.pk]))
    html = page.content.decode()
    assert "2015 жылғы 18 қарашаға" in html  # the source text
    assert "Changes from the previous revision" in html
    change = outcome.changes[0]
    assert f"<td>{change['activity']}</td>" in html
    # A revision of another plan is not found through this plan.
    other = Plan.objects.create(title_ru="Другой")
    assert (
        observer_client.get(
            reverse("plans:revision", args=[other.pk, outcome.revision.pk])
        ).status_code
        == 404
    )


def test_activity_page(observer_client: Client, saved_000: Plan) -> None:
    activity = saved_000.activities.get(number="2")
    page = observer_client.get(reverse("plans:activity", args=[activity.pk]))
    assert page.status_code == 200
    assert activity.title_kk[:40] in page.content.decode()
    # Activity 2 is owed by the akimats: one row per region of the plan's day.
    regions = Region.objects.filter(obligations__activity=activity).distinct().count()
    assert regions == 16
    assert (
        page.context["page"].paginator.count
        == Obligation.objects.filter(activity=activity, in_force=True).count()
    )


def test_obligation_filters_and_pagination(observer_client: Client, saved_000: Plan) -> None:
    url = reverse("plans:obligations")
    everything = observer_client.get(url)
    total = Obligation.objects.filter(in_force=True).count()
    assert everything.context["page"].paginator.count == total
    assert len(everything.context["page"].object_list) == 50
    # Pages move by keyset: the second page starts after the first one's last row.
    first_page = everything.context["page"]
    assert first_page.next_cursor is not None
    second = observer_client.get(url, {"after": first_page.next_cursor})
    second_rows = {o.pk for o in second.context["page"].object_list}
    assert second_rows
    assert not second_rows & {o.pk for o in first_page.object_list}
    region = Region.objects.filter(obligations__isnull=False).first()
    assert region is not None
    by_region = observer_client.get(url, {"region": region.pk})
    assert (
        by_region.context["page"].paginator.count
        == Obligation.objects.filter(region=region).count()
    )
    day = dt.date(2015, 11, 16)
    by_day = observer_client.get(
        url, {"due_from": day.isoformat(), "due_to": day.isoformat(), "plan": str(saved_000.pk)}
    )
    rows = list(by_day.context["page"].object_list)
    assert rows
    assert {o.due_on for o in rows} == {day}
    assert 'name="plan"' in by_day.content.decode()
    junk = observer_client.get(url, {"due_from": "soon"})
    assert junk.status_code == 200
    assert junk.context["page"].paginator.count == total
    assert observer_client.get(url, {"plan": 999999}).status_code == 404


def test_upload_page_preselects_the_plan(importer_client: Client, saved_000: Plan) -> None:
    page = importer_client.get(reverse("plans:upload"), {"plan": saved_000.pk})
    assert page.context["form"].initial["target_plan"] == saved_000.pk
