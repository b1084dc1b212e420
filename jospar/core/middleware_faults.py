"""Two refusals in the shape of where a request was sent, instead of a 500 or a body read whole.

* **Storage away** (S3 down or refusing, the disk full or read-only): any view, API call or
  task run in the request that fails on it answers 503 with ``Retry-After`` — the 503 page in
  the site's layout and the reader's language, or the API's ``{code, message, fields}``.
  Open311 answers its own error document (``jospar.civic.open311.views``) with the same test,
  :func:`storage_fault`.
* **Body too large**: a request body over the limit is refused with 413 before anything reads
  it — the API's JSON or a page; Open311 checks the same itself (``body_too_large``). Forms and
  JSON may be ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes; a multipart body to the API
  ``API_UPLOAD_MAX_BYTES`` (one file at its largest and the form). DRF's parsers read the
  stream whole, without Django's limit, so this check is what bounds them. Pages' multipart
  forms (a filing with ten photos) are bounded by the proxy and by each file's own check.
"""

from __future__ import annotations

import errno
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from jospar.core.views.errors import API_PREFIX, error_page

# What a failing disk says. A missing file (ENOENT) is not a fault of the storage.
_STORAGE_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EIO,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.ESTALE,
        errno.ETIMEDOUT,
        errno.ENOTCONN,
        errno.EHOSTUNREACH,
        errno.ECONNREFUSED,
        errno.ECONNRESET,
    }
)
RETRY_AFTER_SECONDS = 60


class StorageUnavailable(Exception):
    """Raised by code that finds the storage away without an exception of its own."""


def _one_fault(exc: BaseException) -> bool:
    if isinstance(exc, StorageUnavailable):
        return True
    if isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS:
        return True
    try:
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - boto3 is installed with django-storages[s3]
        return False
    return isinstance(exc, BotoCoreError | ClientError)


def storage_fault(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is the file storage failing: S3 unreachable or
    refusing, the disk full, read-only or gone."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if _one_fault(exc):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def storage_unavailable(request: HttpRequest) -> HttpResponse:
    message = _(
        "The file storage is not available at the moment, so this could not be done. Nothing "
        "was saved."
    )
    response: HttpResponse
    if _is_api(request):
        response = JsonResponse(
            {"code": "storage_unavailable", "message": message, "fields": {}}, status=503
        )
    else:
        response = error_page(
            request,
            503,
            _("Files cannot be stored right now"),
            message,
            _("Go back and send it again in a few minutes."),
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def body_limit(request: HttpRequest) -> int | None:
    """The largest body this request may carry, or None when this check leaves it alone."""
    content_type = (request.META.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
    if content_type == "multipart/form-data":
        if not _is_api(request) and not request.path.startswith("/open311/"):
            return None
        return int(settings.API_UPLOAD_MAX_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def body_too_large(request: HttpRequest) -> int | None:
    """The limit, when the request's declared body is over it; else None."""
    limit = body_limit(request)
    if limit is None:
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # Django reads such a body as empty
    return limit if length > limit else None


def too_large_message(limit: int) -> str:
    megabytes = max(1, limit // (1024 * 1024))
    return _("The request is too large: at most %(mb)d MB may be sent at once.") % {"mb": megabytes}


def request_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = too_large_message(limit)
    if _is_api(request):
        return JsonResponse({"code": "too_large", "message": message, "fields": {}}, status=413)
    return error_page(
        request,
        413,
        _("Too much was sent"),
        message,
        _("Go back and send less at once: fewer or smaller files, or a shorter text."),
    )


class RequestFaultsMiddleware:
    """413 for a body over its limit (before anything reads it); 503 for a storage fault raised
    by a view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Open311 answers in its own document (its views check the same).
        if not request.path.startswith("/open311/"):
            limit = body_too_large(request)
            if limit is not None:
                return request_too_large(request, limit)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return request_too_large(request, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
        if storage_fault(exception):
            return storage_unavailable(request)
        return None
