"""Uploaded files are served through an access check, with DEBUG off as on: the public copies of
photos to everyone who may see the report, originals only to the report's akimat and the
moderators; the same headers whichever way the bytes leave (streamed, X-Accel-Redirect, S3)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse

from jospar.civic.models import CitizenReport, ReportMedia
from jospar.civic.tests.conftest import World, jpeg_with_exif, upload
from jospar.core.serving import serve_file

pytestmark = pytest.mark.django_db


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture(autouse=True)
def _debug_off(settings: Any) -> None:
    settings.DEBUG = False


def _photo(file_report: Callable[..., CitizenReport], **overrides: Any) -> ReportMedia:
    report = file_report(media=[upload("p.jpg", jpeg_with_exif((300, 200)))], **overrides)
    return ReportMedia.objects.get(report=report)


def test_anyone_gets_the_public_copy_and_thumbnail(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    media = _photo(file_report)
    client = Client()
    for field in (media.public_file, media.thumbnail):
        url = field.url
        assert url.startswith("/media/civic/")
        response = client.get(url)
        assert response.status_code == 200
        with field.open("rb") as stored:
            assert _body(response) == stored.read()
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"].startswith("public, max-age=")
        assert response["Content-Disposition"].startswith("inline")
    # The public copy holds no GPS and no camera: it is not the original.
    assert b"SecretPhoneMaker" not in _body(client.get(media.public_file.url))


def test_an_original_is_refused_to_strangers_and_given_to_the_akimat(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    media = _photo(file_report)
    url = reverse("civic:media-original", args=[media.pk])
    client = Client()
    assert client.get(url).status_code == 404
    for user in (world.citizen, world.neighbour, world.astana_official):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.official)
    response = client.get(url)
    assert response.status_code == 200
    assert b"SecretPhoneMaker" in _body(response)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    # The original has no address under /media/ either, whatever name is tried.
    for name in (media.original.name, f"../private/{media.original.name}"):
        assert Client().get(f"/media/{name}").status_code == 404


def test_other_files_under_media_are_not_served(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    media = _photo(file_report)
    secret = Path(settings.MEDIA_ROOT) / "reports" / "1" / "abc" / "plan.pdf"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"%PDF-1.4 secret")
    client = Client()
    for path in (
        "/media/reports/1/abc/plan.pdf",
        "/media/civic/public/",
        "/media/civic/public/2020/01/nothing.jpg",
        "/media/" + str(media.public_file.name).replace("public", "public/../public"),
    ):
        assert client.get(path).status_code == 404, path


def test_a_hidden_photo_or_a_report_waiting_for_moderation_is_not_public(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    media = _photo(file_report)
    url = media.public_file.url
    ReportMedia.objects.filter(pk=media.pk).update(hidden=True)
    assert Client().get(url).status_code == 404
    settings.CIVIC_PREMODERATION = True
    waiting = _photo(file_report)
    url = waiting.public_file.url
    assert Client().get(url).status_code == 404
    author = Client()
    author.force_login(world.citizen)
    response = author.get(url)
    assert response.status_code == 200
    # Seen by its author only for now: no shared cache may keep it.
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_the_bytes_leave_by_x_accel_redirect(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    settings.FILES_X_ACCEL_PREFIX = "/_files/"
    media = _photo(file_report)
    response = Client().get(media.public_file.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_files/media/{media.public_file.name}"
    assert response.content == b""
    assert response["Cache-Control"].startswith("public")
    client = Client()
    client.force_login(world.moderator)
    response = client.get(reverse("civic:media-original", args=[media.pk]))
    assert response["X-Accel-Redirect"] == f"/_files/private/{media.original.name}"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_s3_a_short_lived_signed_url_carries_the_headers(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    from storages.backends.s3 import S3Storage

    settings.FILES_SIGNED_URL_SECONDS = 120
    media = _photo(file_report)
    bucket = S3Storage(
        bucket_name="jospar",
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        access_key="test",
        secret_key="test",  # signing happens locally: nothing is sent
        querystring_auth=True,
    )
    remote = FieldFile(media, ReportMedia._meta.get_field("original"), media.original.name)
    remote.storage = bucket
    response = serve_file(
        remote, content_type="image/jpeg", public=False, download_name="report-1-1.jpg"
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query.get("Signature") or query.get("X-Amz-Signature")
    if "Expires" in query:  # signature version 2: an instant
        assert 60 < int(query["Expires"][0]) - time.time() <= 120
    else:
        assert query["X-Amz-Expires"] == ["120"]
    assert query["response-content-disposition"][0].startswith("attachment")
    assert query["response-cache-control"] == ["private, no-store"]
    assert response["Cache-Control"] == "private, no-store"
