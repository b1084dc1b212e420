"""`jospar backup` and `jospar restore`: a database with audit rows and uploaded files (public
media and private originals) is backed up, restored into an EMPTY database (PostgreSQL: a fresh
database; SQLite: a new file) by another process, and verified; a damaged archive is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction

from jospar.civic.storage import private_storage
from jospar.core.audit import audit_record, hmac_key
from jospar.core.models import User
from jospar.plans.models import PlanUpload

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]


def _fresh_target(tmp_path: Path) -> str:
    """The URL of an empty database of the same engine as the tests'."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    db = django_settings.DATABASES["default"]
    name = f"{db['NAME']}_restore_{os.getpid()}"
    admin = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _drop_target(url: str) -> None:
    if not url.startswith("postgres"):
        return
    db = django_settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


def _jospar(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jospar.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    user = User.objects.create_user(username="importer", password="x-correct-horse")
    with transaction.atomic():
        upload = PlanUpload(
            filename="plan.txt", source_text="", lang="kk", parsed={}, uploaded_by=user
        )
        upload.source_file.save("plan.txt", ContentFile("1. Іс-шара\n".encode()), save=False)
        upload.save()
        for i in range(4):
            audit_record(actor=user, action="test.event", object_type="t", object_id=i)
    original = private_storage().save("originals/photo.jpg", ContentFile(b"\xff\xd8 private bytes"))
    call_command("audit_anchor")
    return {"upload": upload, "original": original}


def test_backup_restores_into_an_empty_database_and_verifies(
    world: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    target = _fresh_target(tmp_path)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": target,
        "AUDIT_HMAC_KEY": hmac_key().decode(),
        "SECRET_KEY": settings.SECRET_KEY,
        "AUDIT_ANCHOR_FILE": str(settings.AUDIT_ANCHOR_FILE),
        "JOSPAR_VAR_DIR": str(tmp_path / "var2"),
        "MEDIA_ROOT": str(tmp_path / "media2"),
        "CIVIC_PRIVATE_MEDIA_ROOT": str(tmp_path / "private2"),
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        # A damaged archive is refused before anything is written.
        unpacked = tmp_path / "unpacked"
        call_command("backup", str(unpacked))
        manifest = json.loads((unpacked / "manifest.json").read_text())
        assert manifest["audit"]["events"] == 4
        assert manifest["jospar_version"]
        assert any(m.startswith("core.") for m in manifest["migrations"])
        stored = {(f["store"], f["name"]) for f in manifest["files"]}
        assert ("media", world["upload"].source_file.name) in stored
        assert any(name == world["original"] for _store, name in stored)
        # The source lives on after the backup, and its anchors move past the backup's head.
        with transaction.atomic():
            for i in range(2):
                audit_record(actor=None, action="test.later", object_type="t", object_id=i)
        call_command("audit_anchor")
        damaged = unpacked / "files" / "media" / world["upload"].source_file.name
        damaged.write_bytes(b"changed")
        refused = _jospar(["restore", str(unpacked)], env)
        assert refused.returncode != 0
        assert "does not match its hash" in refused.stderr
        assert world["upload"].source_file.name in refused.stderr

        done = _jospar(["restore", str(archive)], env)
        assert done.returncode == 0, done.stderr
        assert "4 audit events verified" in done.stdout
        restored_media = tmp_path / "media2" / world["upload"].source_file.name
        assert restored_media.read_text() == "1. Іс-шара\n"
        assert (tmp_path / "private2" / world["original"]).read_bytes() == b"\xff\xd8 private bytes"
        verified = _jospar(["audit-verify"], env)
        assert verified.returncode == 0, verified.stderr
        # The restore recorded that the chain was set back to the backup's 4 events: the anchor
        # of 6 written since no longer applies.
        assert "audit chain intact: 4 events" in verified.stdout
        lines = Path(settings.AUDIT_ANCHOR_FILE).read_text().splitlines()
        kinds = [json.loads(line)["kind"] for line in lines]
        assert kinds == ["head", "head", "restored"]
        # The database holds data now: a second restore is refused.
        again = _jospar(["restore", str(archive)], env)
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        _drop_target(target)
