"""Broken Redis for tests: a closed port, and a server that accepts connections and never
answers. Both stay on 127.0.0.1 and stop by themselves."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.test import override_settings


def closed_port_url() -> str:
    """A Redis URL whose port refuses connections (bound for a moment, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@contextlib.contextmanager
def frozen_server(lifetime: float = 120.0) -> Iterator[str]:
    """A TCP server that accepts every connection and answers nothing (a Redis that hangs);
    yields its URL. It closes when the block ends, or after ``lifetime`` seconds at most."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        deadline = threading.Event()
        timer = threading.Timer(lifetime, deadline.set)
        timer.daemon = True
        timer.start()
        while not stop.is_set() and not deadline.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)  # kept open, never read, never answered
        timer.cancel()

    thread = threading.Thread(target=serve, name="frozen-redis", daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


@contextlib.contextmanager
def redis_at(url: str) -> Iterator[None]:
    """The cache and the Celery broker both at ``url``, with the production timeouts, tasks
    published (not run in-process): what a web process sees when Redis fails."""
    from config.celery import app

    cache_options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    caches = {
        "default": {
            "BACKEND": "jospar.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": cache_options,
        }
    }
    keys = ("broker_url", "result_backend", "task_always_eager", "broker_transport_options")
    saved: dict[str, Any] = {key: app.conf.get(key) for key in keys}

    def reset_pools() -> None:
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    app.conf.update(
        broker_url=url,
        result_backend=url,
        task_always_eager=False,
        broker_transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    )
    reset_pools()
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        app.conf.update(saved)
        reset_pools()
