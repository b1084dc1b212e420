"""From a file to a parsed plan, as the command, the task and the web read it (saving it, with
its control schedule, is ``jospar.control.services.plan_revisions``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from jospar.core.errors import ServiceError
from jospar.planparser import PlanParseError, parse_plan
from jospar.planparser.model import Lang, Period
from jospar.planparser.sources import MAX_BYTES


def parse_refusal_message(code: str, fallback: str) -> str:
    """The parser's refusal in the person's language; the parser itself writes English.

    A refusal not listed here keeps the parser's words.
    """
    messages = {
        "binary_input": _("The file is binary, not a plan's text."),
        "empty_input": _("The file is empty."),
        "not_a_plan": _(
            "No table of activities was found: this looks like a document other than a plan"
            " of activities."
        ),
        "unsupported_format": _(
            "This file format is not read; save the plan as .docx, .html or text and upload"
            " it again."
        ),
        "unreadable_pdf": _("This PDF cannot be read; save the plan again as PDF or as .docx."),
        "scanned_pdf": _(
            "This PDF has no text layer: it is a scanned image. Upload the plan as .docx, as"
            " text, or as a PDF saved from the document (not scanned)."
        ),
        "input_too_large": _("A plan's text may be at most %(limit)d MB; this file is larger.")
        % {"limit": MAX_BYTES // (1024 * 1024)},
    }
    return str(messages.get(code, fallback))


def plan_parse_file(
    *,
    data: bytes,
    filename: str,
    lang: Lang | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> tuple[dict[str, Any], str]:
    """Parse an uploaded or given file; returns the plan as JSON data and its text."""
    if len(data) > settings.PLAN_UPLOAD_MAX_BYTES:
        raise ServiceError(
            "file_too_large",
            _("The file is %(size)d MB; a plan may be at most %(limit)d MB.")
            % {
                "size": len(data) // (1024 * 1024),
                "limit": settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024),
            },
            {"file": []},
        )
    try:
        parsed = parse_plan(
            data,
            filename=filename,
            lang=lang,
            period=Period(period[0], period[1]) if period else None,
        )
    except PlanParseError as exc:
        message = parse_refusal_message(exc.code, exc.message)
        raise ServiceError(exc.code, message, {"file": [message]}) from exc
    return parsed.to_json(), parsed.source_text
