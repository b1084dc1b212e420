"""The request id: taken from the proxy's ``X-Request-ID`` (nginx's ``$request_id``) or made
here, kept in a context variable for the logs, and echoed in the response."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# What a proxy sends (nginx: 32 hex digits; others: a UUID); anything else is replaced, so that a
# client cannot write arbitrary text into every log line.
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "jospar_request_id", default=None
)


def current_request_id() -> str | None:
    return request_id_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(request: HttpRequest) -> str:
    given = request.META.get(_META_KEY, "")
    return given if isinstance(given, str) and _VALID.match(given) else new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        rid = request_id_from(request)
        request.META[_META_KEY] = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id`` attribute ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get() or "-"
        return True


# Celery: a task queued while answering a request logs with that request's id; a task queued
# elsewhere (beat) logs with its own task id. Connected in config/celery.py.
_TASK_HEADER = "jospar_request_id"


def task_headers_add(headers: dict[str, object] | None = None, **_: object) -> None:
    rid = request_id_var.get()
    if rid and headers is not None:
        headers[_TASK_HEADER] = rid


def _eager(task: object) -> bool:
    # An eager task runs inside the request (or command) that called it: its id stays.
    return bool(getattr(getattr(task, "request", None), "is_eager", False))


def task_request_id_set(task_id: str | None = None, task: object = None, **_: object) -> None:
    if _eager(task):
        return
    rid = getattr(getattr(task, "request", None), _TASK_HEADER, None)
    request_id_var.set(str(rid or task_id or new_request_id()))


def task_request_id_clear(task: object = None, **_: object) -> None:
    if not _eager(task):
        request_id_var.set(None)
