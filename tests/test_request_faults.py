"""Issue #9: bodies over the limit are a 413 in the shape of where they were sent (the API's
``{code, message, fields}``, Open311's error document, a page), refused before anything reads
them; a storage fault under the API is a 503 in the API's shape; files are written under a
temporary name and adopted on commit, for every upload path, and the sweep adopts or removes
what a killed process left."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError  # type: ignore[import-untyped]
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from jospar.control.models import ExecutionReport, ReportAttachment
from jospar.control.services.reports import report_attachment_add
from jospar.control.tests.conftest import pdf_bytes
from jospar.core.files_sweep import sweep_files
from jospar.core.models import User

pytestmark = pytest.mark.django_db

HUGE = 6 * 1024 * 1024  # over DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB)


def _token_client(user_id: str) -> Client:
    token = Token.objects.create(user=User.objects.get(pk=user_id))
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}")


def _files(root: Any) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


# --- 413 ------------------------------------------------------------------------------------


def test_a_huge_json_body_to_the_api_is_a_413_in_the_api_shape(
    edge_world: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _token_client(edge_world["executor"])
    body = json.dumps({"text": "x" * HUGE, "lang": "kk"})

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the body was parsed")

    monkeypatch.setattr("rest_framework.parsers.JSONParser.parse", never)
    url = f"/api/reports/{edge_world['control_report_id']}/"
    for method in (client.patch, client.post, client.put):
        answer = method(url, body, content_type="application/json")
        assert answer.status_code == 413, answer.content[:300]
        payload = answer.json()
        assert payload["code"] == "too_large"
        assert payload["message"]
        assert payload["fields"] == {}


def test_a_huge_form_is_a_413_for_the_api_open311_and_the_pages(
    edge_world: dict[str, str],
) -> None:
    client = Client(raise_request_exception=False)
    form = "description=" + "x" * HUGE
    kind = "application/x-www-form-urlencoded"
    api = client.post("/api/reports/", form, content_type=kind)
    assert api.status_code == 413
    assert api.json()["code"] == "too_large"
    for fmt in ("json", "xml"):
        answer = client.post(f"/open311/v2/requests.{fmt}", form, content_type=kind)
        assert answer.status_code == 413, answer.content[:300]
        body = answer.content.decode()
        if fmt == "json":
            assert json.loads(body)[0]["code"] == 413
        else:
            assert "<code>413</code>" in body
    page = client.post("/civic/accounts/login/", form, content_type=kind, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 413
    assert 'class="topbar' in page.content.decode()
    # A multipart body to the API over its own limit is refused the same way.
    big = SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"0" * 2048)
    with pytest.MonkeyPatch.context() as patch:
        from django.conf import settings

        patch.setattr(settings, "API_UPLOAD_MAX_BYTES", 1024)
        upload = _token_client(edge_world["executor"]).post(
            f"/api/reports/{edge_world['control_report_id']}/attachments/", {"file": big}
        )
    assert upload.status_code == 413
    assert upload.json()["code"] == "too_large"


# --- 503 ------------------------------------------------------------------------------------


def test_an_api_upload_with_s3_down_is_a_503_in_the_api_shape(
    edge_world: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def s3_down(*args: Any, **kwargs: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="https://s3.example.kz/bucket")

    monkeypatch.setattr(FileSystemStorage, "_save", s3_down)
    client = _token_client(edge_world["executor"])
    answer = client.post(
        f"/api/reports/{edge_world['control_report_id']}/attachments/",
        {"file": SimpleUploadedFile("esep.pdf", pdf_bytes())},
    )
    assert answer.status_code == 503, answer.content[:300]
    assert answer["Retry-After"] == "60"
    payload = answer.json()
    assert payload["code"] == "storage_unavailable"
    assert payload["fields"] == {}
    assert not ReportAttachment.objects.exists()


# --- temporary names ------------------------------------------------------------------------


def _attach(edge_world: dict[str, str]) -> ReportAttachment:
    return report_attachment_add(
        actor=User.objects.get(pk=edge_world["executor"]),
        report=ExecutionReport.objects.get(pk=edge_world["control_report_id"]),
        stream=SimpleUploadedFile("esep.pdf", pdf_bytes()),
        name="esep.pdf",
    )


def test_an_attachment_is_adopted_on_commit_and_a_rollback_leaves_nothing(
    edge_world: dict[str, str],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        attachment = _attach(edge_world)
    attachment.refresh_from_db()
    assert str(attachment.file.name).startswith("reports/")
    assert Path(attachment.file.path).exists()
    assert not (Path(settings.MEDIA_ROOT) / "pending").exists() or not _files(
        Path(settings.MEDIA_ROOT) / "pending"
    )
    before = _files(settings.MEDIA_ROOT)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the database went away after the file was written")

    monkeypatch.setattr("jospar.control.services.reports.audit_record", fail)
    with pytest.raises(RuntimeError):
        _attach(edge_world)
    assert _files(settings.MEDIA_ROOT) == before
    assert ReportAttachment.objects.count() == 1


def test_the_sweep_adopts_what_a_killed_process_left_and_removes_stale_temporaries(
    edge_world: dict[str, str], settings: Any
) -> None:
    # Killed between the commit and the adoption: the row names the temporary, which exists.
    attachment = _attach(edge_world)  # on-commit work never runs here
    pending_name = str(attachment.file.name)
    assert pending_name.startswith("pending/reports/")
    assert Path(attachment.file.path).exists()
    # Killed before the commit: a temporary no row names, one old and one young.
    root = Path(settings.MEDIA_ROOT) / "pending" / "reports" / "1" / "dead"
    root.mkdir(parents=True)
    old, young = root / "old.pdf", root / "young.pdf"
    old.write_bytes(b"%PDF-1.4 dead")
    young.write_bytes(b"%PDF-1.4 being written")
    then = (timezone.now() - dt.timedelta(hours=7)).timestamp()
    os.utime(old, (then, then))
    os.utime(Path(settings.MEDIA_ROOT) / pending_name, (then, then))

    result = sweep_files()
    attachment.refresh_from_db()
    assert not str(attachment.file.name).startswith("pending/")
    assert Path(attachment.file.path).exists()
    assert not (Path(settings.MEDIA_ROOT) / pending_name).exists()
    assert pending_name in result.adopted
    assert not old.exists()
    assert young.exists()
    assert str(old.relative_to(settings.MEDIA_ROOT)) in result.deleted


def test_the_schema_documents_413_429_and_503(db: Any) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    operations = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert operations
    for operation in operations:
        responses = operation["responses"]
        assert "429" in responses, operation["operationId"]
        body = operation.get("requestBody", {}).get("content", {})
        assert ("413" in responses) == bool(body), operation["operationId"]
        if "multipart/form-data" in body:
            assert "503" in responses, operation["operationId"]


def test_too_many_fields_to_open311_is_its_error_document(db: Any, settings: Any) -> None:
    form = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
    client = Client(raise_request_exception=False)
    for fmt in ("json", "xml"):
        answer = client.post(
            f"/open311/v2/requests.{fmt}",
            form,
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status_code == 400, answer.content[:300]
        body = answer.content.decode()
        if fmt == "json":
            assert json.loads(body)[0]["code"] == 400
        else:
            assert "<code>400</code>" in body
    api = client.post("/api/plans/uploads/", form, content_type="application/x-www-form-urlencoded")
    assert 400 <= api.status_code < 500
    assert set(api.json()) == {"code", "message", "fields"}
