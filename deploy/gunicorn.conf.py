"""gunicorn settings for one jospar app server (several run behind the proxy)."""

import multiprocessing
import os
import re
from pathlib import Path

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# jospar writes one JSON line per request itself (logger "jospar.access", with the request id);
# gunicorn's own access log is off unless asked for.
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


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    if _METRICS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
