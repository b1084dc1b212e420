from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jospar")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Beat reads CELERY_BEAT_SCHEDULE from the settings (built from JOSPAR_PERIODIC_JOBS, the same
# jobs `jospar run-schedule` runs without a broker), at times of day in CELERY_TIMEZONE.
app.autodiscover_tasks()
# Task modules named after their topic (``tasks_exports``) are registered with the workers too.
app.autodiscover_tasks(related_name="tasks_exports")

# Log lines of a task carry the id of the request that queued it (docs/operations.md).
from celery.signals import before_task_publish, task_postrun, task_prerun  # noqa: E402

from jospar.core.ops.request_id import (  # noqa: E402
    task_headers_add,
    task_request_id_clear,
    task_request_id_set,
)

before_task_publish.connect(task_headers_add, weak=False)
task_prerun.connect(task_request_id_set, weak=False)
task_postrun.connect(task_request_id_clear, weak=False)
