"""gunicorn settings for one jospar app server (several run behind the proxy)."""

import gc
import multiprocessing
import os
import re
from pathlib import Path

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = 60
graceful_timeout = 30
# Workers are recycled by memory, not by a count of requests (docs/operations.md, "App
# servers"): a restart every 2,000 requests came every 6–8 s under load, and each one put its
# requests behind a cold worker (p99 1.7 s). WEB_MAX_REQUESTS=N brings the count back.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# A worker whose resident memory passes this many MB finishes its request and is replaced.
MAX_RSS_MB = int(os.environ.get("WEB_MAX_RSS_MB", "240"))
# jospar writes one JSON line per request itself (logger "jospar.access", with the request id:
# ACCESS_LOG on, buffered or off); gunicorn's own access log is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Prometheus multiprocess mode (docs/operations.md): every worker writes its samples to files in
# PROMETHEUS_MULTIPROC_DIR, which the web and the Celery worker of one host share.
_METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
_PID_FILE = re.compile(r"_(\d+)\.db$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server):  # type: ignore[no-untyped-def]
    """Files of processes that are gone are removed (their counters restart, which Prometheus
    reads as a reset); a live Celery worker's files are kept."""
    if not _METRICS_DIR:
        return
    path = Path(_METRICS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    for file in path.glob("*.db"):
        match = _PID_FILE.search(file.name)
        if match and not _alive(int(match.group(1))):
            file.unlink(missing_ok=True)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mb() -> float:
    """This process's resident memory, from /proc (a read of one short file)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE / 1048576
    except (OSError, IndexError, ValueError):
        return 0.0


# The garbage collector's full passes walked every object of the loaded application (~260,000:
# Django, the URL patterns, templates, catalogues) and took 100–180 ms each, about one request
# in ten: most of each page's p95 (docs/decisions.md, "Page tails: the collector"). What a
# worker has loaded once its first requests are answered lives as long as the worker, so it is
# moved out of the collector's sight (gc.freeze) after a full collection of what is garbage.
# GC_FREEZE_AFTER=0 turns it off.
GC_FREEZE_AFTER = int(os.environ.get("GC_FREEZE_AFTER", "3"))


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    worker.jospar_requests = 0
    worker.jospar_frozen = not GC_FREEZE_AFTER
    if GC_FREEZE_AFTER:
        _freeze()


def post_request(worker, req, environ, resp):  # type: ignore[no-untyped-def]
    """After each request: a worker past MAX_RSS_MB stops taking requests and exits once the
    ones it holds are answered; the arbiter starts a fresh one. After its first requests (the
    caches they fill are the worker's for life) its objects are frozen, once."""
    worker.jospar_requests = getattr(worker, "jospar_requests", 0) + 1
    if not getattr(worker, "jospar_frozen", True) and worker.jospar_requests >= GC_FREEZE_AFTER:
        worker.jospar_frozen = True
        _freeze()
    if MAX_RSS_MB and worker.alive and rss_mb() > MAX_RSS_MB:
        worker.log.warning(
            "worker %s: %.0f MB resident > %s MB, recycled", worker.pid, rss_mb(), MAX_RSS_MB
        )
        worker.alive = False


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    if _METRICS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
