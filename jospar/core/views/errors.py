"""The error pages: 400, 403, 404, 500 and a refused CSRF check, in the site's layout and the
request's language, each saying what to do next. Under ``/api/`` the same errors are the API's
``{code, message, fields}``.

The 500 page reads nothing from the database (it may be what failed): it is rendered without the
context processors, so the layout sees no user and no messages."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    return JsonResponse({"code": code, "message": message, "fields": fields or {}}, status=status)


def _page(
    request: HttpRequest, status: int, title: str, message: str, hint: str, **extra: Any
) -> HttpResponse:
    context = {"status": status, "title": title, "message": message, "hint": hint, **extra}
    html = loader.render_to_string("errors/error.html", context, request=request)
    return HttpResponse(html, status=status)


def error_page(
    request: HttpRequest, status: int, title: str, message: str, hint: str
) -> HttpResponse:
    """An error page in the site's layout and the active language, for refusals made before
    the view (or after the database failed): no user, session or messages are read."""
    context = {
        "status": status,
        "title": title,
        "message": message,
        "hint": hint,
        "LANGUAGE_CODE": get_language(),
    }
    try:
        html = str(loader.render_to_string("errors/error.html", context))
    except Exception:  # the page of last resort must not fail in turn
        logger.exception("The %s page could not be rendered", status)
        html = f"<!doctype html><title>{status}</title><h1>{title}</h1><p>{message}"
    return HttpResponse(html, status=status)


def bad_request(
    request: HttpRequest, exception: Exception | None = None, message: str = ""
) -> HttpResponse:
    text = message or _("The request could not be read: a value in it is not valid here.")
    if _is_api(request):
        return _api(400, "bad_request", text)
    return _page(
        request,
        400,
        _("Bad request"),
        text,
        _("Go back, check what you entered (dates, numbers, addresses) and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api(403, "permission_denied", _("You do not have permission to do this."))
    return _page(
        request,
        403,
        _("Access denied"),
        _("You do not have permission to open this page or do this."),
        _(
            "If you think you should, log in with another account or ask your administrator "
            "for the role you need."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api(404, "not_found", _("Not found."))
    return _page(
        request,
        404,
        _("Page not found"),
        _("There is no such page, or it is not available to you."),
        _("Check the address, or start again from the home page."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return _api(403, "csrf_failed", _("The form's security check failed."))
    return _page(
        request,
        403,
        _("The form has expired"),
        _("The form's security check failed: the page was open too long, or cookies are off."),
        _("Go back, reload the page and send the form again. Allow cookies for this site."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    from jospar.core.middleware_faults import storage_fault, storage_unavailable

    if storage_fault(sys.exc_info()[1]):
        # The storage failed outside a view (a middleware reading an upload onto a full disk).
        return storage_unavailable(request)
    if _is_api(request):
        return _api(500, "server_error", _("The server failed to answer. Try again later."))
    context = {
        "status": 500,
        "title": _("Something went wrong"),
        "message": _("The server failed to answer this request. The error has been recorded."),
        "hint": _("Try again in a few minutes. If it keeps happening, tell your administrator."),
    }
    html: str
    try:
        # No request: no context processors, so no user, session or messages from the database.
        html = str(loader.render_to_string("errors/error.html", context))
    except Exception:  # the page of last resort must not fail in turn
        logger.exception("The 500 page could not be rendered")
        html = f"<!doctype html><title>500</title><h1>{context['title']}</h1><p>{context['hint']}"
    return HttpResponse(html, status=500)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """A page's form address opened as a link (``require_POST``'s bare 405): a page in the
    site's layout, never the browser's own error screen."""
    if _is_api(request):
        response = _api(405, "method_not_allowed", _("This method is not allowed here."))
    else:
        response = _page(
            request,
            405,
            _("This address takes a form"),
            _("This address is where a page's form or button sends what you chose."),
            _("Go back to the page and use its form or button."),
        )
    if allowed:
        response["Allow"] = allowed
    return response


class MethodNotAllowedPageMiddleware:
    """Gives every bare 405 (Django's ``require_POST`` and friends answer with no body) the
    site's error page, or the API's error shape under ``/api/``."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "content", b"x"):
            return method_not_allowed(request, response.get("Allow", ""))
        return response
