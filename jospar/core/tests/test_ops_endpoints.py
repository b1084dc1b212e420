"""Health, readiness, metrics, request ids and JSON logs (docs/operations.md)."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jospar.core.ops.logs import JsonFormatter
from jospar.core.ops.request_id import RequestIdFilter, request_id_var

REPO = Path(__file__).resolve().parents[3]
TOKEN = "scrape-token-for-tests"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    try:
        yield int(server.getsockname()[1])
    finally:
        server.close()


# --- health and readiness ---------------------------------------------------------------------


def test_healthz_answers_without_asking_anything(client: Client) -> None:
    # No database access is allowed in this test: the answer asks nothing of it.
    response = client.get("/healthz", HTTP_HOST="10.0.0.11:8000")  # a probe, by address
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_readyz_checks_the_database_and_the_storage(client: Client, settings: Any) -> None:
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/readyz", HTTP_HOST="10.0.0.11:8000")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


@pytest.mark.django_db(transaction=True)
def test_readyz_fails_when_redis_is_a_closed_port(client: Client, settings: Any) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["storage"] == "ok"
    assert checks["redis"].startswith("ConnectionError"), checks


@pytest.mark.django_db(transaction=True)
def test_readyz_is_bounded_when_redis_never_answers(
    client: Client, settings: Any, silent_port: int
) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{silent_port}/0"
    settings.READINESS_TIMEOUT = 0.5
    start = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - start < 3
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] != "ok"


@pytest.mark.django_db(transaction=True)
def test_readyz_fails_when_the_storage_is_gone(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "memory://"
    (tmp_path / "a-file").write_text("not a directory")
    settings.MEDIA_ROOT = str(tmp_path / "a-file" / "media")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("OSError")


def test_probes_are_not_redirected_to_https(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


# --- metrics ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_need_the_token(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.django_db
def test_metrics_count_requests_by_view(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN
    client.get("/accounts/login/")
    client.get("/no-such-page/")
    body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert 'jospar_http_requests_total{method="GET",status="200",view="login"}' in body
    assert 'jospar_http_requests_total{method="GET",status="404",view="<unresolved>"}' in body
    assert 'jospar_http_request_duration_seconds_bucket{le="0.5",method="GET",view="login"}' in body
    # Tasks run in-process here: nothing ever waits.
    assert 'jospar_task_queue_length{queue="celery"} 0.0' in body


def test_queue_depth_is_read_from_redis(client: Client, settings: Any) -> None:
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("JOSPAR_REQUIRE_SERVICES") == "1":
            raise
        pytest.skip(f"no Redis at {url}")
    queue = f"jospar-test-queue-{os.getpid()}"
    settings.METRICS_TOKEN = TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_QUEUES_TO_WATCH = [queue]
    r = redis.Redis.from_url(url)
    try:
        r.rpush(queue, "a", "b", "c")
        body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    finally:
        r.delete(queue)
    assert f'jospar_task_queue_length{{queue="{queue}"}} 3.0' in body
    assert "jospar_task_broker_up 1.0" in body
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "jospar_task_broker_up 0.0" in body


_WORKER = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from jospar.core.ops import metrics
metrics.REQUESTS.labels("home", "GET", "200").inc(int(sys.argv[1]))
if len(sys.argv) > 2:
    print(metrics.render_metrics()[0].decode())
"""


def test_multiprocess_mode_adds_up_the_workers(tmp_path: Path) -> None:
    """gunicorn's workers each count in PROMETHEUS_MULTIPROC_DIR; a scrape of any one of them
    answers the sum."""
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "JOSPAR_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)

    def worker(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _WORKER, *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    worker("2")
    worker("3")
    out = worker("4", "scrape")
    assert 'jospar_http_requests_total{method="GET",status="200",view="home"} 9.0' in out


# --- request ids and logs ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_request_id_is_taken_from_the_proxy_or_made(client: Client) -> None:
    given = "0123456789abcdef0123456789abcdef"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    made = client.get("/accounts/login/")["X-Request-ID"]
    assert len(made) == 32
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID='x" \n{"level":"forged"}')["X-Request-ID"]
    assert "forged" not in hostile
    assert len(hostile) == 32


@pytest.mark.django_db
def test_log_lines_are_json_with_the_request_id(client: Client) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("jospar.access")
    log.addHandler(handler)
    try:
        response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="req-0000000001")
    finally:
        log.removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["request_id"] == response["X-Request-ID"] == "req-0000000001"
    assert line["status"] == 200
    assert line["view"] == "login"
    assert line["level"] == "INFO"
    assert line["logger"] == "jospar.access"


def test_outside_a_request_the_id_is_a_dash_and_exceptions_are_kept() -> None:
    formatter = JsonFormatter()
    id_filter = RequestIdFilter()
    try:
        raise ValueError("боль")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("Ә",), sys.exc_info()
        )
    id_filter.filter(record)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "-"
    assert line["message"] == "failed Ә"
    assert "ValueError: боль" in line["exc_info"]
    token = request_id_var.set("abc-12345678")
    try:
        record = logging.makeLogRecord({"msg": "x"})
        id_filter.filter(record)
    finally:
        request_id_var.reset(token)
    assert json.loads(formatter.format(record))["request_id"] == "abc-12345678"


def test_a_task_logs_with_the_id_of_the_request_that_queued_it() -> None:
    from types import SimpleNamespace

    from jospar.core.ops.request_id import (
        task_headers_add,
        task_request_id_clear,
        task_request_id_set,
    )

    headers: dict[str, object] = {}
    token = request_id_var.set("req-from-the-view")
    try:
        task_headers_add(headers=headers)
    finally:
        request_id_var.reset(token)
    # In the worker: the message's headers are the task request's attributes.
    task = SimpleNamespace(request=SimpleNamespace(is_eager=False, **headers))
    task_request_id_set(task_id="t-1", task=task)
    assert request_id_var.get() == "req-from-the-view"
    task_request_id_clear(task=task)
    assert request_id_var.get() is None
    task_request_id_set(task_id="t-2", task=SimpleNamespace(request=SimpleNamespace()))
    assert request_id_var.get() == "t-2"
    task_request_id_clear(task=None)
    # Eager (in the request itself): the request's id stays.
    token = request_id_var.set("req-eager")
    try:
        eager = SimpleNamespace(request=SimpleNamespace(is_eager=True))
        task_request_id_set(task_id="t-3", task=eager)
        task_request_id_clear(task=eager)
        assert request_id_var.get() == "req-eager"
    finally:
        request_id_var.reset(token)
