"""A real Celery worker on Redis reads a queued upload.

The embedded default runs tasks in-process; this test runs only where REDIS_URL is set (the
second half of CI), and there it must not be skipped: the CI run sets JOSPAR_REQUIRE_SERVICES.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from jospar.core.models import Role
from jospar.plans.models import PlanUpload, PlanUploadStatus
from jospar.plans.services.upload import plan_upload_enqueue
from jospar.plans.tasks import parse_upload

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def redis_required() -> None:
    if not settings.REDIS_URL:
        if os.environ.get("JOSPAR_REQUIRE_SERVICES") == "1":
            pytest.fail("REDIS_URL is not set but the run requires its services")
        pytest.skip("needs REDIS_URL (runs in CI's PostgreSQL and Redis half)")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share an in-memory SQLite test database")


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_reads_the_queued_upload(
    redis_required: None, make_user: Callable[..., Any], seed_path: Callable[[str], Path]
) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    path = seed_path("003")
    queue = f"jospar-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    eager, default_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        # The real path: the service queues the task when its transaction commits.
        upload = plan_upload_enqueue(actor=admin, data=path.read_bytes(), filename=path.name)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            upload.refresh_from_db()
            if upload.status != PlanUploadStatus.PARSING:
                break
            time.sleep(0.5)
        assert upload.status == PlanUploadStatus.DRAFT
        assert len(upload.parsed["activities"]) == 18
        # Run twice, the task changes nothing: it only reads uploads still waiting.
        again = parse_upload.apply_async((upload.pk, admin.pk), queue=queue)
        # The test is no task, but a task run in-process earlier by this test process may
        # leave Celery believing it is inside one (it then refuses any wait).
        assert again.get(timeout=60, disable_sync_subtasks=False) == PlanUploadStatus.DRAFT
        assert PlanUpload.objects.count() == 1
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.conf.task_default_queue = default_queue
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        if worker.stdout is not None:
            sys.stdout.write(worker.stdout.read().decode(errors="replace")[-3000:])
