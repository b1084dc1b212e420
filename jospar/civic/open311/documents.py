"""The Open311 documents jospar serves, built from topics, questions and public report rows.

Privacy: a request document is built only from ``public_report_rows``, which selects no private
column (no author, no contact, no original text): what it cannot read it cannot print.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from jospar.civic.models import (
    CLOSED_STATES,
    QuestionType,
    ReportState,
    Topic,
    TopicQuestion,
)
from jospar.civic.open311.render import Many
from jospar.core.models import pick_lang

ALMATY = ZoneInfo("Asia/Almaty")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
_TOKEN_SALT = "jospar.civic.open311.token"
LIST_TYPES = (QuestionType.SINGLE, QuestionType.MULTI)


def w3c(value: dt.datetime | None) -> str | None:
    """ISO 8601 with Kazakhstan's offset, to the second: ``2026-03-01T10:00:00+05:00``."""
    if value is None:
        return None
    return value.astimezone(ALMATY).isoformat(timespec="seconds")


def end_of_day(day: dt.date | None) -> str | None:
    """The last second of a day in Kazakhstan: a deadline day is met until it ends."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ALMATY).isoformat()


def open311_token(report_id: int) -> str:
    """An opaque token for a report: the id, signed so that tokens cannot be guessed."""
    return signing.Signer(salt=_TOKEN_SALT).sign(str(report_id))


def token_report_id(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=_TOKEN_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def jurisdiction_id() -> str:
    return str(getattr(settings, "OPEN311_JURISDICTION_ID", "jospar.kz"))


@lru_cache(maxsize=256)
def _notice(days: int, lang: str) -> str:
    return _(
        "The akimat of the region answers publicly within %(days)s working days of publication."
    ) % {"days": days}


def service_notice(days: int) -> str:
    return _notice(days, translation.get_language() or "kk")


def discovery(request: HttpRequest) -> dict[str, Any]:
    endpoint = request.build_absolute_uri("/open311/v2").rstrip("/")
    changeset = str(getattr(settings, "OPEN311_CHANGESET", "2026-11-22T00:00:00+05:00"))
    contact = str(getattr(settings, "OPEN311_CONTACT", "") or "") or _(
        "Write to the administrators of the portal: %(email)s"
    ) % {"email": settings.DEFAULT_FROM_EMAIL}
    key_service = str(getattr(settings, "OPEN311_KEY_SERVICE", "") or "") or _(
        "API keys for submitting reports are issued by the portal's administrators; reading "
        "needs no key. Requests list: at most 1000 per page (page and page_size extensions), "
        "the last 90 days by default; region=CODE and bbox=south,west,north,east narrow it."
    )
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": Many(
            "endpoint",
            [
                {
                    "specification": SPECIFICATION,
                    "url": endpoint,
                    "changeset": changeset,
                    "type": str(getattr(settings, "OPEN311_ENDPOINT_TYPE", "production")),
                    "formats": Many("format", ["text/xml", "application/json"]),
                }
            ],
        ),
    }


def service(topic: Topic, has_questions: bool) -> dict[str, Any]:
    return {
        "service_code": topic.code,
        "service_name": topic.name,
        "description": topic.description,
        "metadata": has_questions,
        "type": "realtime",
        "keywords": topic.keywords,
        "group": topic.group,
    }


_DATATYPE_HINTS = {
    QuestionType.STRING: lambda: _("Short text on one line."),
    QuestionType.NUMBER: lambda: _("A number, e.g. 3 or 2.5."),
    QuestionType.DATETIME: lambda: _(
        "A date and time in ISO 8601, e.g. 2026-03-01T10:00:00+05:00."
    ),
    QuestionType.TEXT: lambda: _("Text; may take several lines."),
    QuestionType.SINGLE: lambda: _("One of the keys listed in values."),
    QuestionType.MULTI: lambda: _(
        "One or more of the keys listed in values: repeat attribute[CODE][] for each."
    ),
}


def _choice_name(choice: dict[str, Any]) -> str:
    class _C:
        pass

    holder = _C()
    for lang in ("kk", "ru", "en"):
        setattr(holder, f"name_{lang}", str(choice.get(f"name_{lang}", "") or ""))
    return pick_lang(holder, "name") or str(choice.get("name", "") or choice.get("key", ""))


def definition(topic: Topic, questions: list[TopicQuestion]) -> dict[str, Any]:
    attributes = []
    for order, question in enumerate(questions, start=1):
        values = []
        if question.datatype in LIST_TYPES:
            values = [
                {"key": str(choice.get("key", "")), "name": _choice_name(choice)}
                for choice in (question.values or [])
                if isinstance(choice, dict)
            ]
        hint = _DATATYPE_HINTS.get(QuestionType(question.datatype))
        attributes.append(
            {
                "variable": True,
                "code": question.code,
                "datatype": question.datatype,
                "required": bool(question.required),
                "datatype_description": hint() if hint else None,
                "order": order,
                "description": question.text,
                "values": Many("value", values),
            }
        )
    return {"service_code": topic.code, "attributes": Many("attribute", attributes)}


def _status_notes(row: dict[str, Any]) -> str:
    """Our state behind open/closed, in a stable (untranslated) form clients can read:
    ``published``, ``in_progress``, ``done``, ``rejected: <public reason>``, ``duplicate of 12``.
    """
    state = row["state"]
    if state == ReportState.DUPLICATE and row["duplicate_of_id"]:
        return f"duplicate of {row['duplicate_of_id']}"
    if state == ReportState.REJECTED:
        note = (row.get("rejection_note") or "").strip()
        return f"rejected: {note}" if note else "rejected"
    return str(state)


def languages() -> tuple[str, ...]:
    """The request's language first, then Kazakh, Russian, English (``pick_lang``'s order)."""
    lang = (translation.get_language() or "kk")[:2]
    return (lang, *(code for code in ("kk", "ru", "en") if code != lang))


def _pick(row: dict[str, Any], prefix: str, order: tuple[str, ...]) -> str:
    for lang in order:
        value = row.get(f"{prefix}name_{lang}")
        if value:
            return str(value)
    return ""


def media_url(request: HttpRequest, path: str | None) -> str | None:
    if not path:
        return None
    return request.build_absolute_uri(default_storage.url(path))


def service_request(
    request: HttpRequest, row: dict[str, Any], order: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """One request of a list; an empty value is ``None`` already (``Many(..., flat=True)``)."""
    order = order or languages()
    closed = row["state"] in CLOSED_STATES
    updated = row["closed_at"] if closed and row["closed_at"] else row["updated_at"]
    return {
        "service_request_id": str(row["id"]),
        "status": "closed" if closed else "open",
        "status_notes": _status_notes(row) or None,
        "service_name": _pick(row, "topic__", order) or None,
        "service_code": row["topic__code"],
        "description": row["public_description"] or None,
        "agency_responsible": _pick(row, "akimat__", order) or None,
        "service_notice": service_notice(int(row["topic__response_working_days"])),
        "requested_datetime": w3c(row["submitted_at"]),
        "updated_datetime": w3c(updated),
        "expected_datetime": end_of_day(row["response_due_on"]),
        "address": row["address"] or None,
        "address_id": None,
        "zipcode": None,
        # Without a pin the point is the region's centre, not the problem's place: not given.
        "lat": None if row["location_is_approximate"] else float(row["latitude"]),
        "long": None if row["location_is_approximate"] else float(row["longitude"]),
        "media_url": media_url(request, row.get("media_path")),
    }
