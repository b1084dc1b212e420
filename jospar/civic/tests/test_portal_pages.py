"""The portal's pages as people see them: the map and its JSON, the list (with a query-count
test), one report's page, filing, the figures and region pages, following a region."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.civic.models import CitizenReport, Follow, ReportEvent, ReportState
from jospar.civic.services import (
    report_answer,
    report_mark_done,
    report_mark_solved_by_citizen,
)
from jospar.civic.tests.conftest import ALMATY, ALMATY_NEAR, ASTANA, MOSCOW, World, jpeg_with_exif
from jospar.civic.tests.conftest import upload as make_upload
from jospar.core.errors import Conflict, PermissionRefused
from jospar.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- the map --------------------------------------------------------------------------------


def test_map_page_and_its_data(world: World, file_report: Callable[..., CitizenReport]) -> None:
    red = file_report()
    green = file_report(point=ASTANA, topic=world.lighting, survey={})
    report_mark_done(actor=world.astana_official, report=green, text="Lamps replaced.")
    page = client_for().get(reverse("civic:map"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="portal-map"' in html
    assert "leaflet.js" in html
    config = json.loads(
        html.split('id="portal-map-config" type="application/json">')[1].split("<")[0]
    )
    assert config["tiles"] == ""

    regions = client_for().get(reverse("civic:boundaries")).json()
    assert len(regions["features"]) >= 17
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in regions["features"])

    data = client_for().get(reverse("civic:map-clusters"), {"bbox": "40,46,56,88", "zoom": "14"})
    clusters = data.json()["clusters"]
    by_url = {c["url"]: c for c in clusters}
    red_one = by_url[reverse("civic:report", kwargs={"report_id": red.pk})]
    green_one = by_url[reverse("civic:report", kwargs={"report_id": green.pk})]
    assert (red_one["red"], red_one["green"]) == (1, 0)
    assert (green_one["red"], green_one["green"]) == (0, 1)

    # Zoomed out, the two cities' reports are counted in bubbles; filters narrow them.
    far = client_for().get(reverse("civic:map-clusters"), {"bbox": "40,46,56,88", "zoom": "2"})
    assert sum(c["count"] for c in far.json()["clusters"]) == 2
    done_only = client_for().get(
        reverse("civic:map-clusters"), {"bbox": "40,46,56,88", "zoom": "14", "state": "done"}
    )
    assert [c["green"] for c in done_only.json()["clusters"]] == [1]
    bad = client_for().get(reverse("civic:map-clusters"), {"bbox": "nonsense"})
    assert bad.status_code == 400


def test_map_links_to_the_list_with_the_same_filters(world: World) -> None:
    page = client_for().get(reverse("civic:map"), {"topic": "roads", "state": "open"})
    assert f"{reverse('civic:list')}?topic=roads&amp;state=open" in page.content.decode()
    listing = client_for().get(reverse("civic:list"), {"topic": "roads", "state": "open"})
    assert f"{reverse('civic:map')}?topic=roads&amp;state=open" in listing.content.decode()


# --- the list -------------------------------------------------------------------------------


def test_list_filters_and_links_each_row(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    roads = file_report()
    lights = file_report(topic=world.lighting, survey={}, point=ASTANA)
    html = client_for().get(reverse("civic:list")).content.decode()
    assert reverse("civic:report", kwargs={"report_id": roads.pk}) in html
    assert reverse("civic:report", kwargs={"report_id": lights.pk}) in html
    only = client_for().get(reverse("civic:list"), {"topic": "lighting"}).content.decode()
    assert reverse("civic:report", kwargs={"report_id": roads.pk}) not in only
    assert reverse("civic:report", kwargs={"report_id": lights.pk}) in only
    region = client_for().get(reverse("civic:list"), {"region": world.almaty.pk}).content.decode()
    assert reverse("civic:report", kwargs={"report_id": lights.pk}) not in region
    # A filter that does not parse is ignored, never an error page.
    assert client_for().get(reverse("civic:list"), {"from": "yesterday"}).status_code == 200


def _many(world: World, n: int) -> None:
    from django.utils import timezone

    now = timezone.now()
    CitizenReport.objects.bulk_create(
        [
            CitizenReport(
                topic=world.roads,
                description=f"Pothole number {i}",
                public_description=f"Pothole number {i}",
                latitude=ALMATY[0],
                longitude=ALMATY[1],
                region=world.almaty,
                akimat=world.almaty_akimat,
                state=ReportState.PUBLISHED,
                submitted_at=now,
                published_at=now,
                updated_at=now,
            )
            for i in range(n)
        ]
    )


def _queries(url: str, params: dict[str, Any] | None = None, user: Any = None) -> int:
    client = client_for(user)
    client.get(url, params or {})  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_list_costs_the_same_for_20_and_200_reports(world: World) -> None:
    _many(world, 20)
    small = _queries(reverse("civic:list"))
    _many(world, 180)
    large = _queries(reverse("civic:list"))
    assert small == large
    assert large <= 8


def test_a_long_list_is_counted_up_to_a_bound(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A million public reports are not counted on each request: past the bound the list says
    "more than", and a narrower filter is counted exactly."""
    from jospar.core import keyset

    counted = keyset.bounded_count
    monkeypatch.setattr(keyset, "bounded_count", lambda qs, bound=26: counted(qs, 26))
    _many(world, 30)
    html = client_for().get(reverse("civic:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 26 reports" in html
    assert html.count('class="report-row ') == 25  # a full page
    lights = (
        client_for()
        .get(reverse("civic:list"), {"topic": "lighting"}, HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "More than" not in lights
    assert "0 reports" in lights


# --- one report -----------------------------------------------------------------------------


def test_report_page_shows_the_public_copy(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(
        description="Pothole; call me at +7 701 123 45 67 or aigerim@mail.kz",
        media=[make_upload("pit.jpg", jpeg_with_exif(), "image/jpeg")],
    )
    report_answer(actor=world.official, report=report, text="We will repair it this week.")
    html = client_for().get(reverse("civic:report", kwargs={"report_id": report.pk})).content
    text = html.decode()
    assert "701 123 45 67" not in text
    assert "aigerim@mail.kz" not in text
    assert "[***]" in text
    assert "We will repair it this week." in text
    assert 'id="photos"' in text
    assert "Айгерім С." in text  # not anonymous: first name and an initial
    assert "Сейітқызы" not in text
    assert 'data-colour="red"' in text


def test_report_page_of_a_report_not_public_is_404_for_others(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    settings.CIVIC_PREMODERATION = True
    report = file_report()
    url = reverse("civic:report", kwargs={"report_id": report.pk})
    assert client_for().get(url).status_code == 404
    assert client_for(world.neighbour).get(url).status_code == 404
    assert client_for(world.astana_official).get(url).status_code == 404
    assert client_for(world.citizen).get(url).status_code == 200
    assert client_for(world.official).get(url).status_code == 200
    assert (
        client_for().get(reverse("civic:report", kwargs={"report_id": 999999})).status_code == 404
    )


def test_actions_shown_depend_on_who_looks(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    url = reverse("civic:report", kwargs={"report_id": report.pk})
    anonymous = client_for().get(url).content.decode()
    assert 'id="support-btn"' not in anonymous
    assert 'id="comment-form"' not in anonymous
    neighbour = client_for(world.neighbour).get(url).content.decode()
    assert 'id="support-btn"' in neighbour
    assert 'id="comment-form"' in neighbour
    assert 'id="solved-btn"' not in neighbour
    author = client_for(world.citizen).get(url).content.decode()
    assert 'id="solved-btn"' in author
    assert 'id="support-btn"' not in author
    official = client_for(world.official).get(url).content.decode()
    assert 'id="to-queue"' in official
    assert 'id="to-queue"' not in client_for(world.astana_official).get(url).content.decode()


def test_a_refused_comment_keeps_the_text(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    url = reverse("civic:report", kwargs={"report_id": report.pk})
    long_text = "x" * 3100 + " keep me"
    response = client_for(world.neighbour).post(url, {"action": "comment", "text": long_text})
    assert response.status_code == 400
    assert "keep me" in response.content.decode()
    assert 'id="action-error"' in response.content.decode()


# --- solved by the citizen ------------------------------------------------------------------


def test_solved_by_the_citizen_is_done_audited_and_counted(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    from jospar.civic.selectors.reports import figures

    report = file_report()
    client_for(world.citizen).post(
        reverse("civic:report", kwargs={"report_id": report.pk}),
        {"action": "solved", "note": "We filled it with neighbours; call 8 701 123 45 67"},
    )
    report.refresh_from_db()
    assert report.state == ReportState.DONE
    assert report.confirmation == "confirmed"
    event = ReportEvent.objects.get(report=report, kind="solved_by_citizen")
    assert "[***]" in event.public_note
    assert AuditEvent.objects.filter(
        action="civic.report.solved_by_citizen", object_id=str(report.pk)
    ).exists()
    found = figures()
    assert found["solved_by_citizens"] == 1
    assert found["solved_promptly"] == 0
    # Only the author, only an open report.
    other = file_report()
    with pytest.raises(PermissionRefused):
        report_mark_solved_by_citizen(actor=world.neighbour, report=other)
    with pytest.raises(Conflict):
        report_mark_solved_by_citizen(actor=world.citizen, report=report)


# --- filing ---------------------------------------------------------------------------------


def _filing(**overrides: Any) -> dict[str, Any]:
    data = {
        "topic": "roads",
        "description": "A deep pothole in front of school 12.",
        "latitude": str(ALMATY[0]),
        "longitude": str(ALMATY[1]),
        "address": "",
        "region": "",
        "q-roads-problem": "pothole",
    }
    data.update(overrides)
    return data


def test_filing_needs_a_confirmed_sign_in(world: World, unconfirmed: Any) -> None:
    url = reverse("civic:file")
    assert client_for().get(url).status_code == 302
    assert client_for(unconfirmed).get(url).status_code == 403
    page = client_for(world.citizen).get(url)
    assert page.status_code == 200
    assert 'id="file-map"' in page.content.decode()
    assert 'data-topic="roads"' in page.content.decode()


def test_filing_a_report_with_photos(world: World) -> None:
    data = _filing(is_anonymous="on")
    data["media"] = [
        make_upload("a.jpg", jpeg_with_exif(), "image/jpeg"),
        make_upload("b.jpg", jpeg_with_exif((30, 20)), "image/jpeg"),
    ]
    response = client_for(world.citizen).post(reverse("civic:file"), data)
    report = CitizenReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("civic:report", kwargs={"report_id": report.pk})
    assert report.is_anonymous
    assert report.survey == {"problem": "pothole"}
    assert report.media.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"latitude": str(MOSCOW[0]), "longitude": str(MOSCOW[1])}, "location", "outside"),
        ({"latitude": "", "longitude": ""}, "location", "pin"),
        ({"q-roads-problem": ""}, "q-roads-problem", ""),
    ],
)
def test_filing_errors_keep_what_was_typed(
    world: World, overrides: dict[str, Any], field: str, words: str
) -> None:
    data = _filing(description="Unique words typed by the citizen", **overrides)
    response = client_for(world.citizen).post(reverse("civic:file"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unique words typed by the citizen" in html
    assert 'class="error-box"' in html
    assert CitizenReport.objects.count() == 0


def test_a_wrong_file_is_refused_and_files_must_be_attached_again(world: World) -> None:
    data = _filing(description="Typed before the wrong file")
    data["media"] = [make_upload("evil.jpg", b"<?php echo 1; ?>", "image/jpeg")]
    response = client_for(world.citizen).post(reverse("civic:file"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="media-error"' in html
    assert 'id="files-lost"' in html
    assert "Typed before the wrong file" in html
    assert CitizenReport.objects.count() == 0


def test_nearby_reports_are_offered_before_filing(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    first = file_report(actor=world.neighbour)
    data = _filing(latitude=str(ALMATY_NEAR[0]), longitude=str(ALMATY_NEAR[1]))
    response = client_for(world.citizen).post(reverse("civic:file"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="nearby-before"' in html
    assert f"№{first.pk}" in html
    assert 'name="action" value="support"' in html
    assert CitizenReport.objects.count() == 1
    again = client_for(world.citizen).post(reverse("civic:file"), {**data, "nearby_seen": "1"})
    assert again.status_code == 302
    assert CitizenReport.objects.count() == 2
    live = client_for(world.citizen).get(
        reverse("civic:nearby"),
        {"topic": "roads", "latitude": str(ALMATY_NEAR[0]), "longitude": str(ALMATY_NEAR[1])},
    )
    assert f"№{first.pk}" in live.content.decode()


def test_an_address_without_a_pin_needs_the_region(world: World) -> None:
    data = _filing(latitude="", longitude="", address="Abai avenue 10", region=world.almaty.pk)
    response = client_for(world.citizen).post(reverse("civic:file"), data)
    assert response.status_code == 302
    report = CitizenReport.objects.get()
    assert report.location_is_approximate
    assert report.region == world.almaty


# --- figures and regions --------------------------------------------------------------------


def test_figures_and_region_pages(world: World, file_report: Callable[..., CitizenReport]) -> None:
    done = file_report()
    report_mark_done(actor=world.official, report=done, text="Repaired.")
    file_report(point=ASTANA, topic=world.lighting, survey={})
    national = client_for().get(reverse("civic:figures"))
    html = national.content.decode()
    assert national.status_code == 200
    assert 'id="fig-promptly">1<' in html
    assert 'id="league"' in html
    assert "<svg" in html
    region = client_for().get(reverse("civic:region", kwargs={"region_id": world.almaty.pk}))
    assert region.status_code == 200
    assert 'id="fig-promptly">1<' in region.content.decode()
    assert client_for().get(reverse("civic:region", kwargs={"region_id": 99999})).status_code == 404
    period = client_for().get(reverse("civic:figures"), {"from": "2001-01-01", "to": "2001-12-31"})
    assert 'id="fig-promptly">0<' in period.content.decode()


def test_following_a_region(world: World) -> None:
    url = reverse("civic:region", kwargs={"region_id": world.almaty.pk})
    refused = client_for().post(url, {"action": "follow"})
    assert refused.status_code == 302
    assert Follow.objects.count() == 0
    client_for(world.citizen).post(url, {"action": "follow"})
    follow = Follow.objects.get()
    assert follow.region == world.almaty
    assert follow.user == world.citizen
    assert 'value="unfollow"' in client_for(world.citizen).get(url).content.decode()
    client_for(world.citizen).post(url, {"action": "unfollow"})
    assert Follow.objects.count() == 0


def test_figures_pages_cost_a_fixed_number_of_queries(world: World) -> None:
    _many(world, 20)
    small = _queries(reverse("civic:figures"))
    _many(world, 180)
    assert _queries(reverse("civic:figures")) == small


def test_the_queue_shows_the_survey_by_its_questions_and_choices(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(survey={"problem": "pothole"})
    page = client_for(world.official).get(
        reverse("civic:queue-report", kwargs={"report_id": report.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = page.content.decode()
    assert "<dt>What is the problem?</dt><dd>Pothole</dd>" in text
    assert "<dt>problem</dt>" not in text
