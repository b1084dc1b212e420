"""Refuses, with a 400 in the shape of where it was sent, a request whose query string or form
holds what no database stores (NUL) or no encoder writes (a lone surrogate), and a form body
that cannot be read. One guard for every page, API call and admin screen; the views then parse
their values with ``jospar.core.edge``.

A view marked ``edge_self_checked`` (Open311, which answers in its own error document) checks
the same itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from jospar.core.edge import first_unreadable, has_nul
from jospar.core.views.errors import bad_request

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def unreadable_parameter(request: HttpRequest) -> str | None:
    """The name of a parameter of the query or the form body that cannot be stored; raises
    ``BadRequest`` for a form body that cannot be parsed."""
    name = first_unreadable(request.GET)
    if name is not None:
        return name
    if request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES:
        try:
            name = first_unreadable(request.POST)
            files = request.FILES
        except (RequestDataTooBig, SuspiciousOperation):
            raise
        except (MultiPartParserError, UnreadablePostError, UnicodeDecodeError, ValueError) as exc:
            raise BadRequest(str(exc)) from exc
        if name is None:
            for field, uploads in files.lists():
                for upload in uploads:
                    if first_unreadable({field: getattr(upload, "name", "") or ""}) is not None:
                        return field
    return name


def _refuse_unknown(request: HttpRequest) -> HttpResponse | None:
    from django.http import JsonResponse

    from jospar.core.edge_api_params import unknown_query_params

    unknown = unknown_query_params(request)
    if not unknown:
        return None
    message = _("Unknown query parameters: %(names)s.") % {"names": ", ".join(unknown)}
    fields = {name: [_("This parameter is not understood here.")] for name in unknown}
    return JsonResponse(
        {"code": "unknown_parameter", "message": message, "fields": fields}, status=400
    )


def path_names_nothing(kwargs: dict[str, Any]) -> bool:
    """A value taken from the path that holds NUL or a lone surrogate names nothing (404)."""
    return any(isinstance(value, str) and has_nul(value) for value in kwargs.values())


class EdgeInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "edge_self_checked", False):
            return None
        if path_names_nothing(kwargs):
            raise Http404
        try:
            name = unreadable_parameter(request)
        except BadRequest:
            return bad_request(request, message=_("The form sent could not be read."))
        except RequestDataTooBig:  # the fields of a multipart form over the limit
            from jospar.core.middleware_faults import request_too_large

            return request_too_large(request, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
        if name is None:
            if request.path_info.startswith("/api/"):
                return _refuse_unknown(request)
            return None
        message = _(
            "The parameter %(name)s holds characters that are not text, or a number too large."
        ) % {"name": name}
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse(
                {"code": "invalid_parameter", "message": message, "fields": {name: [message]}},
                status=400,
            )
        return bad_request(request, message=message)
