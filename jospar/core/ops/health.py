"""``/healthz`` (the process answers; nothing else is asked) and ``/readyz`` (the database,
Redis when configured, and the file storage each answer within READINESS_TIMEOUT seconds; 503
naming the one that did not). Both, and ``/metrics``, are answered before the host check and
the HTTPS redirect: load balancers and scrapers call the app servers directly, by address."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.http import HttpRequest, HttpResponseBase, JsonResponse

from jospar.core.ops.metrics import metrics_view


def _timeout() -> float:
    return float(getattr(settings, "READINESS_TIMEOUT", 2.0))


def check_database() -> None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # The check runs in a thread of its own: its connection must not outlive it.
        connections.close_all()


def redis_url() -> str:
    for url in (
        str(getattr(settings, "REDIS_URL", "") or ""),
        str(getattr(settings, "CELERY_BROKER_URL", "") or ""),
    ):
        if url.startswith(("redis://", "rediss://", "unix://")):
            return url
    return ""


def check_redis() -> None:
    import redis

    timeout = _timeout()
    client = redis.Redis.from_url(
        redis_url(), socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    finally:
        client.close()


def _writable_dir(path: Path) -> None:
    """The directory, or the nearest one above it that exists (the storage makes the rest when
    it first writes), is a directory this process may write in."""
    while not path.exists() and path.parent != path:
        path = path.parent
    if not path.is_dir():
        raise OSError(f"{path} is not a directory")
    if not os.access(path, os.W_OK | os.X_OK):
        raise OSError(f"{path} is not writable")


def check_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        _writable_dir(Path(default_storage.location))
        private = getattr(settings, "CIVIC_PRIVATE_MEDIA_ROOT", None)
        if private:
            _writable_dir(Path(private))
        return
    # Object storage: a HEAD of a name that is never written; "missing" is the healthy answer,
    # a refused or unreachable bucket raises.
    default_storage.exists("jospar-readyz-probe")


def readiness_checks() -> dict[str, Callable[[], None]]:
    checks: dict[str, Callable[[], None]] = {"database": check_database}
    if redis_url():
        checks["redis"] = check_redis
    checks["storage"] = check_storage
    return checks


def readiness() -> tuple[bool, dict[str, str]]:
    """Runs the checks at once, each bounded by the timeout; a check that hangs is abandoned."""
    checks = readiness_checks()
    timeout = _timeout()
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    try:
        futures = {name: pool.submit(check) for name, check in checks.items()}
        results: dict[str, str] = {}
        for name, future in futures.items():
            try:
                future.result(timeout=timeout)
                results[name] = "ok"
            except FutureTimeout:
                results[name] = f"timeout after {timeout:g} s"
            except Exception as exc:
                results[name] = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return all(v == "ok" for v in results.values()), results


def healthz(request: HttpRequest) -> HttpResponseBase:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponseBase:
    ok, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


_ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponseBase]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics_view,
}


class OpsEndpointsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        endpoint = _ENDPOINTS.get(request.path_info)
        if endpoint is not None and request.method in {"GET", "HEAD"}:
            response = endpoint(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
