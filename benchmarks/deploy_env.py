"""The app server's tuning as ``deploy/`` runs it: the lines of ``deploy/jospar.env.example``
that the benchmarks running gunicorn apply, so that they measure jospar as it is deployed."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TUNING = (
    "ACCESS_LOG",
    "ACCESS_LOG_BUFFER",
    "DB_SERVER_SIDE_BINDING",
    "DB_PREPARE_THRESHOLD",
    "WEB_MAX_RSS_MB",
    "WEB_MAX_REQUESTS",
    "WEB_THREADS",
    "LOG_FORMAT",
)


def deploy_tuning() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (REPO / "deploy" / "jospar.env.example").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() in TUNING and not line.lstrip().startswith("#"):
            found[key.strip()] = value.strip()
    return found
