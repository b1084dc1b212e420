"""No file outlives its row (issue #9): a filing whose transaction rolls back leaves nothing on
disk, and what a killed process left is swept once it is older than the grace period, while
files in use and young files are kept."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jospar.civic.models import CitizenReport, ReportMedia
from jospar.civic.services import filing
from jospar.civic.tests.conftest import World, jpeg_with_exif, upload
from jospar.core.files_sweep import sweep_files, upload_folders

pytestmark = pytest.mark.django_db


def _files(*roots: Any) -> list[Path]:
    return sorted(p for root in roots for p in Path(root).rglob("*") if p.is_file())


def _age(path: Path, hours: float) -> None:
    then = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(path, (then, then))


def test_a_filing_that_rolls_back_leaves_no_file(
    world: World,
    file_report: Callable[..., CitizenReport],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the database went away after the files were written")

    monkeypatch.setattr(filing, "audit", fail)
    with pytest.raises(RuntimeError):
        file_report(media=[upload("a.jpg", jpeg_with_exif()), upload("b.jpg", jpeg_with_exif())])
    assert not CitizenReport.objects.exists()
    assert not ReportMedia.objects.exists()
    assert _files(settings.MEDIA_ROOT, settings.CIVIC_PRIVATE_MEDIA_ROOT) == []


def test_the_sweeper_deletes_old_orphans_and_keeps_what_is_used_or_young(
    world: World, file_report: Callable[..., CitizenReport], settings: Any, tmp_path: Path
) -> None:
    settings.FILES_ORPHAN_GRACE_HOURS = 6
    settings.FILES_TEMP_MAX_AGE_HOURS = 6
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads-tmp")
    report = file_report(media=[upload("a.jpg", jpeg_with_exif())])
    media = ReportMedia.objects.get(report=report)
    private = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT)
    public = Path(settings.MEDIA_ROOT)
    in_use = [
        private / str(media.original.name),
        public / str(media.public_file.name),
        public / str(media.thumbnail.name),
    ]
    # What a process killed mid-filing leaves: an original with its GPS, and a public copy.
    old_orphan = private / "civic/original/2026/01/dead.jpg"
    old_public = public / "civic/public/2026/01/dead.jpg"
    old_attachment = public / "reports/7/abc/plan.pdf"
    young_orphan = private / "civic/original/2026/01/being-filed.jpg"
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    old_temp, young_temp = temp / "x1.upload", temp / "x2.upload"
    outside = public / "elsewhere/keep.txt"
    for path in (
        old_orphan,
        old_public,
        old_attachment,
        young_orphan,
        old_temp,
        young_temp,
        outside,
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data")
    for path in (*in_use, old_orphan, old_public, old_attachment, old_temp, outside):
        _age(path, 30)
    _age(young_orphan, 1)
    _age(young_temp, 1)

    result = sweep_files()

    assert all(path.exists() for path in in_use)
    assert not old_orphan.exists()
    assert not old_public.exists()
    assert not old_attachment.exists()
    assert young_orphan.exists()
    assert not old_temp.exists()
    assert young_temp.exists()
    assert outside.exists()  # not an upload folder of any model
    assert result.referenced == 3
    assert result.kept_young == 1
    assert len(result.deleted) == 3
    assert result.temp_deleted == [str(old_temp)]
    # The report still shows its photo.
    media.refresh_from_db()
    assert media.public_file.storage.exists(str(media.public_file.name))


def test_the_folders_come_from_the_models() -> None:
    folders = {folder for _storage, folder in upload_folders()}
    assert {
        "civic/original",
        "civic/public",
        "civic/thumbs",
        "reports",
        "report_exports",
    } <= folders
    assert "plan_uploads" in folders


def test_the_command_can_only_list(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    orphan = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT) / "civic/original/2026/01/dead.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"data")
    _age(orphan, 30)
    out = StringIO()
    call_command("sweep_files", "--dry-run", stdout=out)
    assert "would delete civic/original/2026/01/dead.jpg" in out.getvalue()
    assert orphan.exists()
    call_command("sweep_files", stdout=StringIO())
    assert not orphan.exists()


def test_the_sweep_is_a_periodic_job(settings: Any) -> None:
    from jospar.core.scheduler import periodic_jobs

    assert "sweep_files" in {job.name for job in periodic_jobs()}
    assert settings.CELERY_BEAT_SCHEDULE["sweep_files"]["task"] == "core.sweep_files"
