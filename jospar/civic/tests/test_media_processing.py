"""A photo is processed off the request (issue #9): the filing checks type, size and header and
stores the original; the public copy is made by a task after the commit; the report says so
meanwhile; a damaged photo fails visibly, a passing failure is retried."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.civic import media as civic_media
from jospar.civic.imaging import ImageRefused
from jospar.civic.models import CitizenReport, MediaProcessing, ReportMedia
from jospar.civic.services import media_processing, report_file
from jospar.civic.services.media_processing import (
    MAX_ATTEMPTS,
    media_process,
    media_processing_retry,
)
from jospar.civic.tests.conftest import ALMATY, World, jpeg_with_exif, upload
from jospar.core.models import OutboxTask

pytestmark = pytest.mark.django_db


def _file(world: World, data: bytes) -> CitizenReport:
    return report_file(
        actor=world.citizen,
        topic=world.roads,
        description="A deep pothole at the crossing of Abai and Dostyk.",
        latitude=ALMATY[0],
        longitude=ALMATY[1],
        survey={"problem": "pothole"},
        media=[upload("p.jpg", data, "image/jpeg")],
    )


def _page(report: CitizenReport) -> str:
    client = Client()
    answer = client.get(reverse("civic:report", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_filing_only_checks_and_stores_and_the_task_publishes_after_commit(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    real_render = civic_media.render_image

    def no_decoding_here(data: bytes) -> dict[str, Any]:
        raise AssertionError("a photo was decoded in the request")

    monkeypatch.setattr(civic_media, "render_image", no_decoding_here)
    monkeypatch.setattr(media_processing, "render_image", no_decoding_here)
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        report = _file(world, jpeg_with_exif())
    media = ReportMedia.objects.get(report=report)
    assert media.processing == MediaProcessing.PENDING
    assert not media.public_file
    assert not media.thumbnail
    assert (media.width, media.height) == (64, 48)  # from the header
    # The original is stored, under a temporary name until the filing commits.
    assert str(media.original.name).startswith("pending/civic/original/")
    assert Path(media.original.path).exists()
    # The task is recorded in the same transaction, published after the commit.
    assert OutboxTask.objects.filter(task="civic.media_process", args=[media.pk]).exists()
    assert len(after_commit) >= 2
    assert 'id="photos-processing"' in _page(report)
    assert "being processed" in _page(report)

    monkeypatch.setattr(media_processing, "render_image", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in after_commit:  # the commit: files adopted, the task run (eager)
            callback()
    media.refresh_from_db()
    assert media.processing == MediaProcessing.DONE
    assert not str(media.original.name).startswith("pending/")
    assert str(media.public_file.name).startswith("civic/public/")
    assert str(media.thumbnail.name).startswith("civic/thumbs/")
    with media.public_file.open("rb") as handle:
        assert b"SecretPhoneMaker" not in handle.read()
    page = _page(report)
    assert 'id="photos-processing"' not in page
    assert media.thumbnail.url in page


def test_a_damaged_photo_fails_at_once_and_the_report_says_so(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    whole = jpeg_with_exif(size=(300, 200))
    damaged = whole[: len(whole) // 3]  # the header is whole, the picture is not
    with django_capture_on_commit_callbacks(execute=True):
        report = _file(world, damaged)
    media = ReportMedia.objects.get(report=report)
    assert media.processing == MediaProcessing.FAILED
    assert media.processing_error == "damaged"
    assert media.processing_attempts == 1
    assert not media.public_file
    page = _page(report)
    assert "could not be read" in page
    assert 'id="photos-processing"' not in page
    # Nothing is retried: the file itself is the problem.
    later = timezone.now() + dt.timedelta(days=1)
    assert media_processing_retry(now=later) == {"queued": 0, "given_up": 0}


def test_a_passing_failure_is_retried_then_given_up(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def storage_away(data: bytes) -> dict[str, Any]:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(media_processing, "render_image", storage_away)
    with django_capture_on_commit_callbacks(execute=True):
        report = _file(world, jpeg_with_exif())
    media = ReportMedia.objects.get(report=report)
    assert media.processing == MediaProcessing.PENDING
    assert (media.processing_attempts, media.processing_error) == (1, "unavailable")
    assert "being processed" in _page(report)
    # Too soon: nothing; after the delay: queued again, and it works this time.
    assert media_processing_retry(now=timezone.now())["queued"] == 0
    monkeypatch.setattr(media_processing, "render_image", civic_media.render_image)
    with django_capture_on_commit_callbacks(execute=True):
        assert media_processing_retry(now=timezone.now() + dt.timedelta(minutes=3)) == {
            "queued": 1,
            "given_up": 0,
        }
    media.refresh_from_db()
    assert media.processing == MediaProcessing.DONE
    assert media.public_file
    assert media.processing_error == ""

    # Another photo that keeps failing is given up after MAX_ATTEMPTS, visibly.
    monkeypatch.setattr(media_processing, "render_image", storage_away)
    with django_capture_on_commit_callbacks(execute=True):
        report = _file(world, jpeg_with_exif())
    media = ReportMedia.objects.get(report=report)
    at = timezone.now()
    for _round in range(MAX_ATTEMPTS + 1):
        at += dt.timedelta(hours=2)
        with django_capture_on_commit_callbacks(execute=True):
            media_processing_retry(now=at)
    media.refresh_from_db()
    assert media.processing == MediaProcessing.FAILED
    assert media.processing_attempts == MAX_ATTEMPTS
    assert "could not be processed" in _page(report)


def test_the_task_twice_publishes_one_copy(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = _file(world, jpeg_with_exif())
    media = ReportMedia.objects.get(report=report)
    first = str(media.public_file.name)
    with django_capture_on_commit_callbacks(execute=True):
        again = media_process(media_id=media.pk)
    assert again is not None
    assert str(again.public_file.name) == first
    assert media_process(media_id=10**9) is None


def test_a_worker_that_dies_mid_way_is_seen_and_retried(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    class Killed(BaseException):
        pass

    def killed(data: bytes) -> dict[str, Any]:
        raise Killed

    monkeypatch.setattr(media_processing, "render_image", killed)
    with pytest.raises(Killed), django_capture_on_commit_callbacks(execute=True):
        report = _file(world, jpeg_with_exif())
    media = ReportMedia.objects.get()
    # The attempt was counted before the work started.
    assert (media.processing, media.processing_attempts) == (MediaProcessing.PENDING, 1)
    monkeypatch.setattr(media_processing, "render_image", civic_media.render_image)
    with django_capture_on_commit_callbacks(execute=True):
        media_processing_retry(now=timezone.now() + dt.timedelta(minutes=3))
    media.refresh_from_db()
    assert media.processing == MediaProcessing.DONE
    del report


def test_an_image_refused_by_the_worker_is_recorded_by_its_code(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def too_big(data: bytes) -> dict[str, Any]:
        raise ImageRefused("memory")

    monkeypatch.setattr(media_processing, "render_image", too_big)
    with django_capture_on_commit_callbacks(execute=True):
        report = _file(world, jpeg_with_exif())
    media = ReportMedia.objects.get(report=report)
    assert (media.processing, media.processing_error) == (MediaProcessing.FAILED, "memory")
    assert "too large to be read" in _page(report)
