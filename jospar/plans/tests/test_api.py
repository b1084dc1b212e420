"""The REST API: shapes, filters, imports and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jospar.control.models import Obligation
from jospar.core.models import Region, User
from jospar.plans.models import Plan, PlanRevision
from jospar.plans.tests.conftest import seed, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(importer: User) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    token = Token.objects.create(user=importer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _file(prefix: str = "003", data: bytes | None = None) -> SimpleUploadedFile:
    path = seed(prefix)
    return SimpleUploadedFile(path.name, path.read_bytes() if data is None else data)


def test_schema_is_valid_and_complete(tmp_path: Any) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = set(schema["paths"])
    assert {
        "/api/plans/",
        "/api/plans/{id}/",
        "/api/plans/{id}/activities/",
        "/api/obligations/",
        "/api/organisations/",
        "/api/organisations/{id}/",
        "/api/regions/",
        "/api/regions/{id}/",
        "/api/plan-imports/",
    } <= paths
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    params = {p["name"] for p in schema["paths"]["/api/obligations/"]["get"]["parameters"]}
    assert {"plan", "organisation", "region", "due_from", "due_to", "limit", "offset"} <= params


def test_dry_run_parses_without_saving(api: APIClient, regions: None) -> None:
    before = snapshot()
    response = api.post("/api/plan-imports/?dry_run=1", {"file": _file()}, format="multipart")
    assert response.status_code == 200
    body = response.json()
    assert body["lang"] == "kk"
    assert len(body["activities"]) == 18
    assert body["activities"][3]["reports"] == ["2016-03-01"]
    assert snapshot() == before


def test_import_saves_and_a_second_import_changes_nothing(api: APIClient, regions: None) -> None:
    response = api.post("/api/plan-imports/", {"file": _file()}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created_plan"] is True
    assert body["revision_number"] == 1
    assert body["obligations_created"] == Obligation.objects.count() > 0
    again = api.post("/api/plan-imports/", {"file": _file()}, format="multipart")
    assert again.status_code == 200
    assert again.json()["unchanged"] is True
    assert Plan.objects.count() == 1


def test_import_with_a_period_and_a_target_plan(api: APIClient, regions: None) -> None:
    first = api.post("/api/plan-imports/", {"file": _file("000")}, format="multipart").json()
    response = api.post(
        "/api/plan-imports/",
        {"file": _file("001"), "plan": first["plan"], "lang": "ru"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["plan"] == first["plan"]
    assert response.json()["lang"] == "ru"
    assert PlanRevision.objects.filter(plan_id=first["plan"]).count() == 2


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"file": None}, "invalid", "file"),
        ({"data": bytes(range(256)) * 64}, "binary_input", "file"),
        ({"data": b""}, "invalid", "file"),
        ({"data": b"Not a plan at all.\n" * 30}, "not_a_plan", "file"),
        ({"period_start": "2016-01-01"}, "invalid", "period_end"),
        ({"period_start": "2016-12-31", "period_end": "2016-01-01"}, "invalid", "period_end"),
        ({"lang": "en"}, "invalid", "lang"),
    ],
)
def test_import_refusals_have_one_shape_and_write_nothing(
    api: APIClient, payload: dict[str, Any], code: str, field: str
) -> None:
    data: dict[str, Any] = {k: v for k, v in payload.items() if k != "data"}
    if "file" not in payload:
        data["file"] = _file(data=payload.get("data"))
    else:
        data.pop("file")
    before = snapshot()
    response = api.post("/api/plan-imports/", data, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert field in body["fields"]
    assert snapshot() == before


def test_import_too_large(api: APIClient, settings: Any) -> None:
    settings.PLAN_UPLOAD_MAX_BYTES = 1000
    response = api.post("/api/plan-imports/", {"file": _file()}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] in ("file_too_large", "input_too_large")


def test_import_into_an_invisible_or_missing_plan_is_404(api: APIClient) -> None:
    response = api.post("/api/plan-imports/", {"file": _file(), "plan": 999999}, format="multipart")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_plan_and_activities(api: APIClient, saved_000: Plan) -> None:
    plans = api.get("/api/plans/").json()
    assert plans["count"] == 1
    row = plans["results"][0]
    assert row["languages"] == ["kk"]
    assert row["activity_count"] == 28
    assert row["obligation_count"] == Obligation.objects.filter(in_force=True).count()
    assert row["approved_on"] == "2015-10-30"
    one = api.get(f"/api/plans/{saved_000.pk}/").json()
    assert one["id"] == saved_000.pk
    activities = api.get(f"/api/plans/{saved_000.pk}/activities/?limit=100").json()
    assert activities["count"] == 28
    first = activities["results"][0]
    assert first["number"] == "1"
    assert [e["code_kk"] for e in first["executors"]][:2] == ["МСМ", "БҒМ"]
    warned = api.get(f"/api/plans/{saved_000.pk}/activities/?warnings=1").json()
    assert 0 < warned["count"] < 28
    assert api.get("/api/plans/999999/").json()["code"] == "not_found"


def test_obligation_filters(api: APIClient, saved_000: Plan) -> None:
    everything = api.get(f"/api/obligations/?plan={saved_000.pk}&limit=1").json()["count"]
    assert everything == Obligation.objects.filter(in_force=True).count()
    day = dt.date(2015, 11, 16)
    due = api.get(f"/api/obligations/?due_from={day}&due_to={day}&limit=200").json()
    assert due["count"] == Obligation.objects.filter(due_on=day).count() > 0
    assert {r["due_on"] for r in due["results"]} == {day.isoformat()}
    region = Region.objects.filter(obligations__isnull=False).first()
    assert region is not None
    by_region = api.get(f"/api/obligations/?region={region.pk}&limit=200").json()
    assert by_region["count"] == Obligation.objects.filter(region=region).count()
    assert {r["region_name"] for r in by_region["results"]} == {region.name}
    org = Obligation.objects.filter(organisation__isnull=False).first().organisation  # type: ignore[union-attr]
    by_org = api.get(f"/api/obligations/?organisation={org.pk}&limit=200").json()  # type: ignore[union-attr]
    assert {r["organisation"] for r in by_org["results"]} == {org.pk}  # type: ignore[union-attr]
    bad = api.get("/api/obligations/?due_from=yesterday")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert "due_from" in bad.json()["fields"]


def test_regions_geometry_only_when_asked(api: APIClient, regions: None) -> None:
    plain = api.get("/api/regions/?limit=100").json()
    assert plain["count"] >= 16
    assert "boundary" not in plain["results"][0]
    full = api.get("/api/regions/?geometry=1&limit=100").json()
    assert "boundary" in full["results"][0]
    one = api.get(f"/api/regions/{plain['results'][0]['id']}/?geometry=1").json()
    assert "boundary" in one


def test_organisations_search(api: APIClient, saved_000: Plan) -> None:
    found = api.get("/api/organisations/?q=МСМ").json()
    assert found["count"] >= 1
    assert api.get("/api/organisations/999999/").status_code == 404
