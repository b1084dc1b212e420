"""Open311 GeoReport v2, read side: discovery, services, definitions, request lists, tokens.

Every answer is read by a client that knows only the specification (``open311_client``), in
XML and in JSON, and the two are checked to say the same thing field by field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jospar.civic.models import CitizenReport, QuestionType, ReportState, Topic, TopicQuestion
from jospar.civic.open311.documents import open311_token
from jospar.civic.services import moderation_hide, report_mark_duplicate, report_reject

from .conftest import ASTANA, World
from .open311_client import SpecClient

pytestmark = pytest.mark.django_db
OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def spec() -> SpecClient:
    return SpecClient()


@pytest.fixture
def bulk(world: World) -> Callable[..., list[CitizenReport]]:
    """Public reports written directly, for lists whose length matters."""

    def make(n: int, **fields: Any) -> list[CitizenReport]:
        at = fields.pop("submitted_at", timezone.now() - dt.timedelta(days=1))
        values: dict[str, Any] = {
            "topic": world.roads,
            "description": "Яма на дороге",
            "public_description": "Яма на дороге",
            "latitude": 43.238,
            "longitude": 76.945,
            "region": world.almaty,
            "akimat": world.almaty_akimat,
            "state": ReportState.PUBLISHED,
            "submitted_at": at,
            "published_at": at,
            "updated_at": at,
            "response_due_on": timezone.localdate(at) + dt.timedelta(days=14),
        }
        values.update(fields)
        return CitizenReport.objects.bulk_create([CitizenReport(**values) for _ in range(n)])

    return make


# --- discovery, services, definitions ------------------------------------------------------


def test_discovery_names_the_endpoint_and_both_formats(spec: SpecClient, db: None) -> None:
    xml, js = spec.both("discovery")
    assert xml.root == "discovery"
    data = js.data
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    assert all(data[k] for k in ("changeset", "contact", "key_service"))
    assert isinstance(js.raw["endpoints"], list)
    assert len(js.raw["endpoints"]) == 1
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert xml.headers["Access-Control-Allow-Origin"] == "*"


def test_services_list_every_active_topic(spec: SpecClient, world: World) -> None:
    Topic.objects.filter(code="other").update(is_active=False)
    xml, js = spec.both("services")
    assert xml.root == "services"
    assert isinstance(js.raw, list)
    topics = list(Topic.objects.filter(is_active=True).order_by("position", "code"))
    assert [s["service_code"] for s in js.data] == [t.code for t in topics]
    roads = next(s for s in js.raw if s["service_code"] == "roads")
    assert roads == {
        "service_code": "roads",
        "service_name": world.roads.name_kk,
        "description": world.roads.description_kk or None,
        "metadata": True,
        "type": "realtime",
        "keywords": world.roads.keywords or None,
        "group": world.roads.group or None,
    }
    TopicQuestion.objects.filter(topic=world.lighting).delete()
    lighting = next(s for s in spec.get("services", "json").raw if s["service_code"] == "lighting")
    assert lighting["metadata"] is False


def test_service_names_follow_accept_language(spec: SpecClient, world: World) -> None:
    answer = spec.get("services", "json", headers={"Accept-Language": "ru"})
    roads = next(s for s in answer.raw if s["service_code"] == "roads")
    assert roads["service_name"] == world.roads.name_ru


def test_definition_gives_questions_as_attributes(spec: SpecClient, world: World) -> None:
    TopicQuestion.objects.create(
        topic=world.roads,
        code="sides",
        position=99,
        datatype=QuestionType.MULTI,
        required=False,
        text_kk="Қай жағы?",
        text_ru="С какой стороны?",
        text_en="Which side?",
        values=[
            {"key": "left", "name_kk": "Сол", "name_ru": "Слева", "name_en": "Left"},
            {"key": "right", "name_kk": "Оң", "name_ru": "Справа", "name_en": "Right"},
        ],
    )
    xml, js = spec.both("services/roads")
    assert xml.root == "service_definition"
    assert js.raw["service_code"] == "roads"
    questions = list(world.roads.questions.order_by("position", "code"))
    attributes = js.raw["attributes"]
    assert [a["code"] for a in attributes] == [q.code for q in questions]
    for order, (attribute, question) in enumerate(zip(attributes, questions, strict=True), 1):
        assert attribute["variable"] is True
        assert attribute["datatype"] == question.datatype
        assert attribute["required"] is question.required
        assert attribute["order"] == order
        assert attribute["description"] == question.text_kk
        assert attribute["datatype_description"]
        assert isinstance(attribute["values"], list)
        if question.datatype in ("singlevaluelist", "multivaluelist"):
            assert attribute["values"] == [
                {"key": v["key"], "name": v["name_kk"]} for v in question.values
            ]
        else:
            assert attribute["values"] == []
    assert attributes[-1]["values"] == [
        {"key": "left", "name": "Сол"},
        {"key": "right", "name": "Оң"},
    ]


def test_unknown_service_is_404_in_both_formats(spec: SpecClient, world: World) -> None:
    xml, js = spec.both("services/no-such-topic")
    assert xml.status == 404
    assert xml.root == "errors"
    assert js.raw[0]["code"] == 404
    assert "no-such-topic" in js.raw[0]["description"]


def test_jurisdiction_is_ours_or_absent(spec: SpecClient, world: World) -> None:
    assert spec.get("services", "json", {"jurisdiction_id": "jospar.kz"}).status == 200
    assert spec.get("services", "json", {"jurisdiction_id": ""}).status == 200
    for fmt in ("xml", "json"):
        answer = spec.get("requests", fmt, {"jurisdiction_id": "sfgov.org"})
        assert answer.status == 404
        assert answer.data[0]["code"] == "404"
        assert "sfgov.org" in answer.data[0]["description"]


def test_an_unknown_resource_is_a_spec_error(spec: SpecClient, db: None) -> None:
    response = spec.client.get("/open311/v2/requests.csv")
    assert response.status_code == 404
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<errors>')


def test_cors_and_preflight(spec: SpecClient, db: None) -> None:
    response = spec.client.options("/open311/v2/requests.json")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert spec.client.get("/open311/v2/services.json")["Access-Control-Allow-Origin"] == "*"


# --- request lists -------------------------------------------------------------------------


def test_a_request_field_by_field(
    spec: SpecClient, world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(address="Абай даңғылы, 10")
    xml, js = spec.both(f"requests/{report.pk}")
    assert xml.root == "service_requests"
    assert isinstance(js.raw, list)
    assert len(js.raw) == 1
    item = js.raw[0]
    assert list(item) == REQUEST_FIELDS
    report.refresh_from_db()
    assert report.response_due_on is not None
    assert item["service_request_id"] == str(report.pk)
    assert item["status"] == "open"
    assert item["status_notes"] == "published"
    assert item["service_name"] == world.roads.name_kk
    assert item["service_code"] == "roads"
    assert item["description"] == report.public_description
    assert item["agency_responsible"] == world.almaty_akimat.name_kk
    assert str(world.roads.response_working_days) in item["service_notice"]
    assert (
        item["requested_datetime"]
        == timezone.localtime(report.submitted_at).replace(microsecond=0).isoformat()
    )
    assert item["requested_datetime"].endswith("+05:00")
    assert OFFSET.match(item["updated_datetime"])
    assert item["expected_datetime"] == f"{report.response_due_on.isoformat()}T23:59:59+05:00"
    assert item["address"] == "Абай даңғылы, 10"
    assert item["address_id"] is None
    assert item["zipcode"] is None
    assert item["lat"] == report.latitude
    assert item["long"] == report.longitude
    assert item["media_url"] is None


def test_status_notes_tell_our_state(
    spec: SpecClient, world: World, file_report: Callable[..., CitizenReport]
) -> None:
    original = file_report()
    rejected = file_report()
    duplicate = file_report()
    report_reject(actor=world.official, report=rejected, reason="Участок в частной собственности")
    report_mark_duplicate(actor=world.official, report=duplicate, original=original)
    answer = spec.get("requests", "json", {"service_request_id": f"{rejected.pk},{duplicate.pk}"})
    notes = {r["service_request_id"]: (r["status"], r["status_notes"]) for r in answer.raw}
    assert notes[str(rejected.pk)] == ("closed", "rejected: Участок в частной собственности")
    assert notes[str(duplicate.pk)] == ("closed", f"duplicate of {original.pk}")


def test_reports_not_public_are_neither_listed_nor_found(
    spec: SpecClient, world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    shown = file_report()
    hidden = file_report()
    moderation_hide(actor=world.moderator, report=hidden, reason="abuse")
    settings.CIVIC_PREMODERATION = True
    waiting = file_report()
    assert waiting.state == ReportState.SUBMITTED
    ids = [r["service_request_id"] for r in spec.get("requests", "json").raw]
    assert ids == [str(shown.pk)]
    for report in (hidden, waiting):
        for fmt in ("xml", "json"):
            answer = spec.get(f"requests/{report.pk}", fmt)
            assert answer.status == 404
            assert answer.data[0]["code"] == "404"
    assert spec.get("requests/abc", "json").status == 404


def test_one_element_list_is_an_array_and_ids_are_strings(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    bulk(1)
    answer = spec.get("requests", "json")
    assert isinstance(answer.raw, list)
    assert len(answer.raw) == 1
    assert isinstance(answer.raw[0]["service_request_id"], str)
    assert isinstance(answer.raw[0]["lat"], float)


def test_default_window_is_90_days_and_limit_1000(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    now = timezone.now()
    old = bulk(1, submitted_at=now - dt.timedelta(days=91))[0]
    recent = bulk(1, submitted_at=now - dt.timedelta(days=89))[0]
    ids = [r["service_request_id"] for r in spec.get("requests", "json").raw]
    assert str(recent.pk) in ids
    assert str(old.pk) not in ids
    bulk(1005, submitted_at=now - dt.timedelta(hours=2))
    assert len(spec.get("requests", "json").raw) == 1000
    page2 = spec.get("requests", "json", {"page": "2"}).raw
    assert len(page2) == 6
    assert page2[-1]["service_request_id"] == str(recent.pk)
    assert len(spec.get("requests", "json", {"page_size": "50"}).raw) == 50
    assert spec.get("requests", "json", {"page_size": "1001"}).status == 400


def test_empty_parameters_are_absent(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    bulk(3)
    plain = spec.get("requests", "json").raw
    empty = spec.get(
        "requests",
        "json",
        "service_code=&status=&start_date=&end_date=&service_request_id=&page=&page_size="
        "&jurisdiction_id=&region=&bbox=",
    ).raw
    assert empty == plain
    assert len(plain) == 3


def test_status_filter(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    bulk(2, state=ReportState.PUBLISHED)
    bulk(1, state=ReportState.IN_PROGRESS)
    bulk(3, state=ReportState.DONE)
    bulk(1, state=ReportState.REJECTED)

    def statuses(value: str) -> list[str]:
        return [r["status"] for r in spec.get("requests", "json", {"status": value}).raw]

    assert statuses("open") == ["open"] * 3
    assert statuses("closed") == ["closed"] * 4
    assert len(statuses("open,closed")) == 7
    assert len(spec.get("requests", "json", "status=open&status=closed").raw) == 7
    bad = spec.get("requests", "xml", {"status": "pending"})
    assert bad.status == 400
    assert bad.data[0]["code"] == "400"


def test_service_code_and_region_filters(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    bulk(2)
    bulk(1, topic=world.lighting)
    bulk(
        1,
        region=world.astana,
        akimat=world.astana_akimat,
        latitude=ASTANA[0],
        longitude=ASTANA[1],
    )
    assert len(spec.get("requests", "json", {"service_code": "roads"}).raw) == 3
    assert len(spec.get("requests", "json", {"service_code": "roads,lighting"}).raw) == 4
    assert spec.get("requests", "json", {"service_code": "nothing"}).raw == []
    assert len(spec.get("requests", "json", {"region": "astana"}).raw) == 1
    one = spec.get("requests", "json", {"service_code": "roads", "region": "almaty"}).raw
    assert len(one) == 2
    box = spec.get("requests", "json", {"bbox": "50.5,70.5,51.5,72.0"}).raw
    assert [r["agency_responsible"] for r in box] == [world.astana_akimat.name_kk]


def test_service_request_id_list_overrides_other_arguments(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    old = bulk(1, submitted_at=timezone.now() - dt.timedelta(days=400))[0]
    new = bulk(1)[0]
    hidden = bulk(1, hidden=True)[0]
    answer = spec.get(
        "requests",
        "json",
        {"service_request_id": f"{old.pk}, {new.pk},{hidden.pk},x", "status": "closed"},
    )
    assert sorted(r["service_request_id"] for r in answer.raw) == sorted([str(old.pk), str(new.pk)])


def test_date_filters_with_offsets(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    at = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    inside = bulk(1, submitted_at=at)[0]
    bulk(1, submitted_at=at - dt.timedelta(days=30))

    def ids(query: str) -> list[str]:
        answer = spec.get("requests", "json", query)
        assert answer.status == 200, answer.raw
        return [r["service_request_id"] for r in answer.raw]

    # 10:00 UTC is 15:00 in Kazakhstan.
    assert ids("start_date=2026-03-01T15:00:00%2B05:00&end_date=2026-03-02T00:00:00Z") == [
        str(inside.pk)
    ]
    assert ids("start_date=2026-03-01T15:00:01%2B05:00&end_date=2026-03-02T00:00:00Z") == []
    # An unencoded "+" arrives as a space; it is still the offset.
    assert ids("start_date=2026-03-01T14:00:00+05:00&end_date=2026-03-01T10:00:00Z") == [
        str(inside.pk)
    ]
    # Only one end: a 90-day window from (or to) it.
    assert ids("start_date=2026-02-20T00:00:00Z") == [str(inside.pk)]
    assert len(ids("end_date=2026-03-02T00:00:00Z")) == 2
    assert ids("start_date=2026-03-01&end_date=2026-03-01T23:59:59") == [str(inside.pk)]
    for query in (
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z",
        "start_date=yesterday",
    ):
        bad = spec.get("requests", "xml", query)
        assert bad.status == 400
        assert bad.data[0]["code"] == "400"


def test_list_costs_the_same_for_20_and_200_requests(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    bulk(20)
    with CaptureQueriesContext(connection) as small:
        assert len(spec.get("requests", "json").raw) == 20
    bulk(180, state=ReportState.REJECTED)
    with CaptureQueriesContext(connection) as large:
        assert len(spec.get("requests", "xml").data) == 200
    assert len(small) == len(large) <= 2


def test_token_look_up(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    report = bulk(1)[0]
    token = open311_token(report.pk)
    xml, js = spec.both(f"tokens/{token}")
    assert xml.root == "service_requests"
    assert js.raw == [{"service_request_id": str(report.pk), "token": token}]
    assert spec.get(f"tokens/{report.pk}", "json").status == 404
    assert spec.get("tokens/forged:abc", "xml").status == 404


def test_approximate_location_gives_no_point(
    spec: SpecClient, world: World, bulk: Callable[..., list[CitizenReport]]
) -> None:
    report = bulk(1, location_is_approximate=True, address="Абай көшесі")[0]
    item = spec.get(f"requests/{report.pk}", "json").raw[0]
    assert item["lat"] is None
    assert item["long"] is None
    assert item["address"] == "Абай көшесі"
