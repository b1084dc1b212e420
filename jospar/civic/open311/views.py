"""Open311 GeoReport v2 at ``/open311/v2/``: discovery, services, definitions, requests, tokens.

Every endpoint answers in the format its URL ends with (``.xml`` or ``.json``), sends
``Access-Control-Allow-Origin: *`` (the data is public, no cookie is read), reads
``jurisdiction_id`` from the query or the body (ours, or absent; any other is 404), and reports
errors in the specification's ``errors`` document with 400, 403 or 404. Human messages are in
the language the client's ``Accept-Language`` asks for, Kazakh by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jospar.civic.models import CLOSED_STATES, OPEN_STATES
from jospar.civic.open311 import documents
from jospar.civic.open311.parsing import (
    Open311Error,
    attributes,
    bad_request,
    param,
    param_list,
    parse_bbox,
    parse_coordinate,
    parse_datetime,
    parse_positive_int,
)
from jospar.civic.open311.render import Many, render, render_errors
from jospar.civic.selectors import reports as selectors
from jospar.core.edge import id_list, id_or_none
from jospar.core.errors import ServiceError
from jospar.core.middleware_edge import path_names_nothing, unreadable_parameter
from jospar.core.middleware_faults import (
    RETRY_AFTER_SECONDS,
    body_too_large,
    storage_fault,
    too_large_message,
)
from jospar.core.throttle import client_ip, throttle_hit

# The specification: "Default query limit is a span of 90 days or first 1000 requests".
WINDOW = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000
# Pages past this are refused: offset = (page - 1) * page_size must stay a sane number.
MAX_PAGE = 1_000_000

View = Callable[..., HttpResponse]


def _cors(response: HttpResponse, methods: str) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = methods
    response["Access-Control-Allow-Headers"] = "Content-Type, Accept, Accept-Language"
    return response


def _check_jurisdiction(request: HttpRequest) -> None:
    given = param(request, "jurisdiction_id", body=True)
    if given and given.lower() != documents.jurisdiction_id().lower():
        raise Open311Error(
            404,
            _("jurisdiction_id %(given)s was not found: this endpoint serves %(ours)s.")
            % {"given": given, "ours": documents.jurisdiction_id()},
        )


def _service_error(fmt: str, error: ServiceError) -> HttpResponse:
    """A domain refusal: 403 for a refused permission (a revoked key), else 400; the message,
    then one entry per field message ("survey.flats: Enter a number.")."""
    status = 403 if error.status == 403 else 400
    errors: list[tuple[int | str, str]] = [(status, str(error.message))]
    for name, messages in error.fields.items():
        errors.extend((status, f"{name}: {message}") for message in messages)
    return render_errors(fmt, status, errors)


def _storage_unavailable(fmt: str) -> HttpResponse:
    response = render_errors(
        fmt,
        503,
        [
            (
                503,
                _(
                    "The file storage is not available at the moment, so this could not be "
                    "done. Nothing was saved."
                ),
            )
        ],
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def endpoint(*methods: str) -> Callable[[View], View]:
    allowed = ", ".join((*methods, "OPTIONS"))

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str = "xml", **kwargs: Any) -> HttpResponse:
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Access-Control-Max-Age"] = "86400"
                return _cors(response, allowed)
            if request.method not in methods:
                response = render_errors(
                    fmt,
                    400,
                    [(400, _("This URL answers %(methods)s only.") % {"methods": allowed})],
                )
                response["Allow"] = allowed
                return _cors(response, allowed)
            if path_names_nothing(kwargs):
                response = render_errors(fmt, 404, [(404, _("Not found."))])
                return _cors(response, allowed)
            limit = body_too_large(request)
            if limit is not None:  # refused before anything reads it
                response = render_errors(fmt, 413, [(413, too_large_message(limit))])
                return _cors(response, allowed)
            try:
                unreadable = unreadable_parameter(request)
            except BadRequest:
                unreadable = "body"
            except SuspiciousOperation as exc:  # too many fields or files: in our document
                status = 413 if isinstance(exc, RequestDataTooBig) else 400
                response = render_errors(
                    fmt, status, [(status, _("The request has too many fields or files."))]
                )
                return _cors(response, allowed)
            except Exception as exc:
                if not storage_fault(exc):  # a full disk under the upload's spool file
                    raise
                return _cors(_storage_unavailable(fmt), allowed)
            if unreadable is not None:
                response = render_errors(
                    fmt,
                    400,
                    [
                        (
                            400,
                            _("%(name)s holds characters that are not text, or a number too large.")
                            % {"name": unreadable},
                        )
                    ],
                )
                return _cors(response, allowed)
            try:
                _check_jurisdiction(request)
                response = view(request, fmt, **kwargs)
            except Open311Error as error:
                response = render_errors(fmt, error.status, [(error.code, error.description)])
                if error.retry_after:
                    response["Retry-After"] = str(error.retry_after)
            except ServiceError as error:
                response = _service_error(fmt, error)
            except Exception as exc:
                if not storage_fault(exc):
                    raise
                response = _storage_unavailable(fmt)
            return _cors(response, allowed)

        # The NUL check above answers in Open311's error document, not the site's 400 page.
        wrapper.edge_self_checked = True  # type: ignore[attr-defined]
        return wrapper

    return decorate


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, "discovery", documents.discovery(request))


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    items = [
        documents.service(topic, bool(getattr(topic, "has_questions", False)))
        for topic in selectors.active_topics()
    ]
    return render(fmt, "services", Many("service", items))


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    topic = selectors.active_topic(code)
    if topic is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    body = documents.definition(topic, selectors.topic_questions(topic))
    return render(fmt, "service_definition", body)


def _status_states(values: list[str]) -> tuple[str, ...]:
    wanted = {v.lower() for v in values}
    unknown = wanted - {"open", "closed"}
    if unknown:
        raise bad_request(
            _("status must be open or closed (comma-delimited), not %(value)s.")
            % {"value": ", ".join(sorted(unknown))}
        )
    if wanted == {"open"}:
        return tuple(str(s) for s in OPEN_STATES)
    if wanted == {"closed"}:
        return tuple(str(s) for s in CLOSED_STATES)
    return ()


def _window(request: HttpRequest) -> tuple[dt.datetime, dt.datetime | None]:
    start_text, end_text = param(request, "start_date"), param(request, "end_date")
    start = parse_datetime(start_text, "start_date") if start_text else None
    end = parse_datetime(end_text, "end_date") if end_text else None
    if start is None and end is None:
        return timezone.now() - WINDOW, None
    if start is None:
        assert end is not None
        return end - WINDOW, end
    if end is None:
        return start, start + WINDOW
    if end < start:
        raise bad_request(_("end_date must not be earlier than start_date."))
    if end - start > WINDOW:
        raise bad_request(
            _("start_date and end_date may not span more than 90 days; ask for one span at a time.")
        )
    return start, end


def _list_filters(request: HttpRequest) -> tuple[selectors.ReportFilters, int, int]:
    """Filters, offset and limit of a GET requests call (without service_request_id)."""
    start, end = _window(request)
    page_text, size_text = param(request, "page"), param(request, "page_size")
    page = parse_positive_int(page_text, "page", maximum=MAX_PAGE) if page_text else 1
    size = (
        parse_positive_int(size_text, "page_size", maximum=MAX_PAGE_SIZE)
        if size_text
        else MAX_PAGE_SIZE
    )
    bbox_text = param(request, "bbox")
    flt = selectors.ReportFilters(
        topics=tuple(param_list(request, "service_code")),
        states=_status_states(param_list(request, "status")),
        region=param(request, "region") or None,
        bbox=parse_bbox(bbox_text) if bbox_text else None,
        submitted_from=start,
        # end_date is inclusive: a request made at that very second is in.
        submitted_before=end + dt.timedelta(microseconds=1) if end is not None else None,
    )
    return flt, (page - 1) * size, size


def _request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    ids = param_list(request, "service_request_id")
    if ids:
        # "This overrides all other arguments."
        numeric = id_list(ids, limit=MAX_PAGE_SIZE)
        rows = (
            selectors.public_report_rows(selectors.ReportFilters(ids=numeric), limit=MAX_PAGE_SIZE)
            if numeric
            else []
        )
    else:
        flt, offset, limit = _list_filters(request)
        rows = selectors.public_report_rows(flt, offset=offset, limit=limit)
    order = documents.languages()
    items = [documents.service_request(request, row, order) for row in rows]
    return render(fmt, "service_requests", Many("request", items, flat=True))


def _coordinates(request: HttpRequest) -> tuple[float | None, float | None]:
    lat_text, lon_text = param(request, "lat", body=True), param(request, "long", body=True)
    if bool(lat_text) != bool(lon_text):
        raise bad_request(_("lat and long must be sent together."))
    if not lat_text:
        return None, None
    return parse_coordinate(lat_text, "lat", 90), parse_coordinate(lon_text, "long", 180)


def _throttle(scope: str, key: str) -> None:
    wait = throttle_hit(scope, key)
    if wait is not None:
        raise Open311Error(
            429,
            _("Too many requests: try again in %(seconds)s seconds.") % {"seconds": wait},
            retry_after=wait,
        )


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    # The domain's services import media handling and more; a read never needs them.
    from jospar.civic.services import open311_client_authenticate, report_file

    # Per address first (it also limits guessing keys), then per valid key.
    _throttle("open311_ip", client_ip(request))
    key = param(request, "api_key", body=True)
    if not key:
        raise Open311Error(403, _("api_key was not provided: a key is needed to submit reports."))
    client = open311_client_authenticate(key)
    if client is None:
        raise Open311Error(403, _("api_key is invalid or has been revoked."))
    _throttle("open311_key", f"client:{client.pk}")
    code = param(request, "service_code", body=True)
    if not code:
        raise bad_request(_("service_code was not provided."))
    topic = selectors.active_topic(code)
    if topic is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    latitude, longitude = _coordinates(request)
    address = param(request, "address_string", body=True)
    if latitude is None and not address:
        if param(request, "address_id", body=True):
            raise bad_request(_("address_id is not supported here: send lat and long (WGS 84)."))
        raise bad_request(_("A location is required: lat and long (WGS 84), or address_string."))
    description = request.POST.get("description", "").strip()
    if len(description) > 4000:
        raise bad_request(_("description is limited to 4,000 characters."))
    account_id = param(request, "account_id", body=True)
    contact = {
        "email": param(request, "email", body=True),
        "first_name": param(request, "first_name", body=True),
        "last_name": param(request, "last_name", body=True),
        "phone": param(request, "phone", body=True),
        "device_id": param(request, "device_id", body=True),
        "account_id": account_id,
    }
    try:
        report = report_file(
            actor=None,
            topic=topic,
            description=description,
            latitude=latitude,
            longitude=longitude,
            address=address,
            survey=attributes(request.POST.lists()),
            media=tuple(request.FILES.getlist("media")),
            source="open311",
            api_client=client,
            contact=contact,
        )
    except ServiceError as error:
        if error.code == "no_location":
            raise bad_request(
                _(
                    "address_string could not be placed on the map: send lat and long "
                    "(WGS 84) as well."
                )
            ) from error
        raise
    body = Many(
        "request",
        [
            {
                "service_request_id": str(report.pk),
                "service_notice": documents.service_notice(topic.response_working_days),
                "account_id": account_id or None,
            }
        ],
    )
    return render(fmt, "service_requests", body)


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    return _request_list(request, fmt)


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    number = id_or_none(request_id)
    rows = (
        selectors.public_report_rows(selectors.ReportFilters(ids=(number,)), limit=1)
        if number is not None
        else []
    )
    if not rows:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": request_id})
    body = Many("request", [documents.service_request(request, rows[0])])
    return render(fmt, "service_requests", body)


@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    report_id = documents.token_report_id(token)
    if report_id is None or not selectors.report_exists_unhidden(report_id):
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token})
    body = Many("request", [{"service_request_id": str(report_id), "token": token}])
    return render(fmt, "service_requests", body)


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    response = render_errors(
        fmt,
        404,
        [
            (
                404,
                _(
                    "No such Open311 resource. Start from discovery.xml; every resource ends "
                    "in .xml or .json."
                ),
            )
        ],
    )
    return _cors(response, "GET, POST, OPTIONS")


# It reads no parameter: a NUL anywhere still gets the Open311 404 document.
not_found.edge_self_checked = True  # type: ignore[attr-defined]
