"""When the storage fails (disk full, S3 away), a filing answers a clear 503 in the shape of
where it was sent — the site's page in the reader's language, Open311's error document — not a
500, and nothing is saved (issue #9)."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError  # type: ignore[import-untyped]
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse

from jospar.civic.models import CitizenReport, ReportMedia
from jospar.civic.services import open311_client_issue
from jospar.civic.tests.conftest import ALMATY, World, jpeg_with_exif, upload

pytestmark = pytest.mark.django_db


def _disk_full(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


def _s3_down(*args: Any, **kwargs: Any) -> Any:
    raise EndpointConnectionError(endpoint_url="https://s3.example.kz/bucket")


FAULTS: dict[str, Callable[..., Any]] = {"disk-full": _disk_full, "s3-down": _s3_down}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_a_web_filing_with_the_storage_failing_is_a_503_page(
    world: World, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    monkeypatch.setattr(FileSystemStorage, "_save", FAULTS[fault])
    client = Client(raise_request_exception=False)
    client.force_login(world.citizen)
    data = {
        "topic": "roads",
        "description": "A deep pothole in front of school 12.",
        "latitude": str(ALMATY[0]),
        "longitude": str(ALMATY[1]),
        "address": "",
        "region": "",
        "q-roads-problem": "pothole",
        "media": upload("p.jpg", jpeg_with_exif(), "image/jpeg"),
    }
    answer = client.post(reverse("civic:file"), data, HTTP_ACCEPT_LANGUAGE="kk")
    assert answer.status_code == 503
    assert answer["Retry-After"] == "60"
    page = answer.content.decode()
    assert "<html" in page  # the site's layout
    assert 'class="topbar' in page
    assert 'lang="kk"' in page
    assert "storage" not in page  # in Kazakh, not English
    assert not CitizenReport.objects.exists()
    assert not ReportMedia.objects.exists()


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_open311_post_with_the_storage_failing_is_a_503_document(
    world: World, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    _client, key = open311_client_issue(actor=world.admin, name="Mobile app")
    monkeypatch.setattr(FileSystemStorage, "_save", _s3_down)
    form = {
        "api_key": key,
        "service_code": "roads",
        "lat": str(ALMATY[0]),
        "long": str(ALMATY[1]),
        "description": "Жолда үлкен шұңқыр бар, көліктер зақымдалуда.",
        "attribute[problem]": "pothole",
        "media": upload("p.jpg", jpeg_with_exif(), "image/jpeg"),
    }
    answer = Client(raise_request_exception=False).post(f"/open311/v2/requests.{fmt}", form)
    assert answer.status_code == 503
    assert answer["Retry-After"] == "60"
    body = answer.content.decode()
    if fmt == "json":
        assert json.loads(body)[0]["code"] == 503
    else:
        assert "<errors>" in body
        assert "<code>503</code>" in body
    assert not CitizenReport.objects.exists()
