"""Prometheus metrics: requests by view (rate, latency, errors), the task queue's depth, and the
reminders and notification letters sent.

Under gunicorn's several workers every process writes its samples to files in
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode) and ``/metrics`` adds them
up; without it (the embedded default) the one process answers from memory.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotFound
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

access_log = logging.getLogger("jospar.access")

REQUESTS = Counter(
    "jospar_http_requests",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "jospar_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
EXCEPTIONS = Counter(
    "jospar_http_exceptions",
    "Requests that raised an exception (answered 500), by view and exception class.",
    ["view", "exception"],
)
REMINDERS = Counter(
    "jospar_reminders_sent",
    "Reminders, overdue notices and digests written for people, by kind (counted on commit).",
    ["kind"],
)
NOTIFICATIONS = Counter(
    "jospar_notifications_created",
    "In-application notifications written, of every kind (counted on commit).",
)
EMAILS = Counter(
    "jospar_notification_emails",
    "Notification letters handed to the mail server, by outcome.",
    ["outcome"],
)

# Paths answered before URL resolution (OpsEndpointsMiddleware) are labelled by themselves.
_OPS_PATHS = {"/healthz": "healthz", "/readyz": "readyz", "/metrics": "metrics"}


def view_label(request: HttpRequest) -> str:
    if request.path in _OPS_PATHS:
        return _OPS_PATHS[request.path]
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Unmatched URLs (404s, scanners) share one label: the label set stays bounded.
        return "<unresolved>"
    return str(match.view_name or match._func_path)


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        view = view_label(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view, method).observe(elapsed)
        access_log.info(
            "%s %s %s %.1fms",
            method,
            request.path,
            response.status_code,
            elapsed * 1000,
            extra={
                "method": method,
                "path": request.path,
                "status": response.status_code,
                "view": view,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        EXCEPTIONS.labels(view_label(request), type(exception).__name__).inc()


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def count_reminders_on_commit(by_kind: Mapping[str, int]) -> None:
    """Count the notifications a reminder run wrote, once its transaction has committed."""
    counts = {str(kind): n for kind, n in by_kind.items() if n}
    if counts:
        transaction.on_commit(lambda: _count(counts))


def _count(counts: Mapping[str, int]) -> None:
    for kind, n in counts.items():
        REMINDERS.labels(kind).inc(n)


def count_notifications_on_commit(written: int) -> None:
    transaction.on_commit(lambda: NOTIFICATIONS.inc(written))


def count_emails(outcome: str, n: int = 1) -> None:
    if n:
        EMAILS.labels(outcome).inc(n)


# The queues Celery workers read: the default one unless settings name others.
def _queue_names() -> list[str]:
    names = getattr(settings, "CELERY_TASK_QUEUES_TO_WATCH", None)
    return list(names) if names else [str(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"))]


class QueueDepthCollector(Collector):
    """Tasks waiting in the broker, read from Redis at scrape time (0 with in-process tasks)."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "jospar_task_queue_length", "Tasks waiting in the Celery queue.", labels=["queue"]
        )
        broker = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
        up = GaugeMetricFamily(
            "jospar_task_broker_up", "1 when the task queue's broker answered the scrape."
        )
        if settings.CELERY_TASK_ALWAYS_EAGER or not broker.startswith(("redis://", "rediss://")):
            for name in _queue_names():
                family.add_metric([name], 0)
            up.add_metric([], 1)
            return [family, up]
        try:
            import redis

            client = redis.Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=1)
            try:
                for name in _queue_names():
                    family.add_metric([name], float(client.llen(name)))
            finally:
                client.close()
            up.add_metric([], 1)
        except Exception:  # the scrape still answers; the broker's state is a metric of its own
            up.add_metric([], 0)
            return [up]
        return [family, up]


class _Scrape:
    """What one scrape reads: the process's (or all processes') samples and the queue depth."""

    def __init__(self, *sources: Any) -> None:
        self.sources = sources

    def collect(self) -> Iterable[Any]:
        for source in self.sources:
            yield from source.collect()


def render_metrics() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        samples: Any = multiprocess.MultiProcessCollector(None)  # type: ignore[no-untyped-call]
    else:
        samples = REGISTRY
    return generate_latest(_Scrape(samples, QueueDepthCollector())), CONTENT_TYPE_LATEST


def metrics_view(request: HttpRequest) -> HttpResponseBase:
    """Only for a scraper presenting ``Authorization: Bearer METRICS_TOKEN``; otherwise, and
    whenever no token is set, as if there were no such page."""
    token = str(getattr(settings, "METRICS_TOKEN", "") or "")
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return HttpResponseNotFound(b"", content_type="text/plain")
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)
