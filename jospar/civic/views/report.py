"""One report's page, and what people do on it: support, comment, follow, report abuse
(signed-in citizens); confirm, dispute or say "solved it myself" (its author).

The page prints the public copy only: the masked text, the public notes of the history, the
public copies of the photos. An anonymous report's author is never named, not even beside
the author's own comments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jospar.civic import services
from jospar.civic.access import access_report_public, can_moderate, is_author, is_official_for
from jospar.civic.events import EventKind
from jospar.civic.media import processing_message
from jospar.civic.models import (
    OPEN_STATES,
    CitizenReport,
    CommentKind,
    Confirmation,
    MediaKind,
    MediaProcessing,
    MediaStage,
    ReportComment,
    ReportState,
)
from jospar.civic.privacy import public_author_name
from jospar.civic.selectors.portal import report_page, viewer_relation
from jospar.civic.views.common import (
    STATE_COLOURS,
    error_text,
    login_redirect,
    map_layers,
    user_of,
)
from jospar.core.edge import id_or_none
from jospar.core.errors import ServiceError
from jospar.core.models import User

ACTIONS = ("support", "comment", "follow", "unfollow", "abuse", "confirm", "dispute", "solved")


def event_label(kind: str) -> str:
    try:
        return str(EventKind(kind).label)
    except ValueError:
        return kind


def comment_author(comment: ReportComment, report: CitizenReport) -> str:
    """A comment's signature: the first name and an initial; for the author of an anonymous
    report, "the author of the report" (a name there would undo the anonymity)."""
    if comment.author_id == report.author_id:
        if report.is_anonymous:
            return _("The author of the report")
        return _("%(name)s, the author of the report") % {
            "name": public_author_name(report) or _("citizen")
        }
    author = comment.author
    first = (author.first_name or "").strip()
    last = (author.last_name or "").strip()
    if not first:
        return _("A citizen")
    return f"{first} {last[:1]}." if last else first


def _context(request: HttpRequest, report_id: int, **extra: Any) -> dict[str, Any]:
    user = user_of(request)
    report = report_page(report_id)
    author = is_author(user, report)
    official = is_official_for(user, report)
    every = report.public_media  # type: ignore[attr-defined]
    media = [m for m in every if m.public_file]
    waiting = [m for m in every if not m.public_file]
    photos = [m for m in media if m.kind == MediaKind.PHOTO and m.stage == MediaStage.EVIDENCE]
    after = [m for m in media if m.stage == MediaStage.AFTER]
    others = [m for m in media if m.kind != MediaKind.PHOTO and m.stage == MediaStage.EVIDENCE]
    comments = [
        (comment, comment_author(comment, report))
        for comment in report.public_comments  # type: ignore[attr-defined]
    ]
    relation = viewer_relation(user, report)
    is_open = report.state in OPEN_STATES
    return {
        "report": report,
        "colour": STATE_COLOURS.get(report.state, "grey"),
        "author_name": public_author_name(report),
        "events": [
            (event, event_label(event.kind))
            for event in report.public_events  # type: ignore[attr-defined]
        ],
        "map_config": map_layers(),
        "answers": report.public_answers,  # type: ignore[attr-defined]
        "photos": photos,
        "after_photos": after,
        "other_media": others,
        "photos_processing": sum(m.processing == MediaProcessing.PENDING for m in waiting),
        "photos_failed": [
            processing_message(m) for m in waiting if m.processing == MediaProcessing.FAILED
        ],
        "comments": comments,
        "relation": relation,
        "is_author": author,
        "is_official": official,
        "can_moderate": can_moderate(user),
        "can_support": user is not None and is_open and not author and not relation["supports"],
        "can_confirm": author
        and report.state == ReportState.DONE
        and report.confirmation == Confirmation.NONE,
        "can_solve": author and is_open,
        "is_open": is_open,
        "comment_kinds": CommentKind.choices,
        "posted": {},
        "action_error": None,
        **extra,
    }


def _act(action: str, user: User, report: CitizenReport, data: Any) -> str:
    """Run one action; the message to show after it."""
    if action == "support":
        services.report_support(actor=user, report=report)
        return _("Thank you: you support this report and will hear of its changes.")
    if action == "comment":
        services.comment_add(
            actor=user,
            report=report,
            text=data.get("text", ""),
            kind=data.get("kind") or CommentKind.COMMENT,
        )
        return _("Your comment is published.")
    if action == "follow":
        services.follow_add(actor=user, report=report)
        return _("You follow this report.")
    if action == "unfollow":
        follow = viewer_relation(user, report)["follow"]
        if follow is not None:
            services.follow_remove(actor=user, follow=follow)
        return _("You no longer follow this report.")
    if action == "abuse":
        comment = None
        if data.get("comment"):
            comment = ReportComment.objects.filter(
                pk=id_or_none(data["comment"]) or 0,
                report=report,
            ).first()
            if comment is None:
                message = _("No such comment on this report.")
                raise ServiceError("invalid_comment", message, {"comment": [message]})
        services.abuse_report_file(
            actor=user, report=report, comment=comment, reason=data.get("reason", "")
        )
        return _("Thank you: a moderator will look at it.")
    if action == "confirm":
        services.report_confirm(actor=user, report=report)
        return _("Thank you for confirming the result.")
    if action == "dispute":
        services.report_dispute(actor=user, report=report, reason=data.get("reason", ""))
        return _("The report went back to the akimat.")
    if action == "solved":
        services.report_mark_solved_by_citizen(actor=user, report=report, note=data.get("note", ""))
        return _("Marked as solved by you. Thank you!")
    raise ServiceError("invalid_action", _("Unknown action."))


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report_public(request.user, report_id)
    if request.method == "GET":
        return render(request, "civic/report.html", _context(request, report.pk))
    user = user_of(request)
    if user is None:
        return login_redirect(request)
    action = request.POST.get("action", "")
    try:
        if action not in ACTIONS:
            raise ServiceError("invalid_action", _("Unknown action."))
        message = _act(action, user, report, request.POST)
    except ServiceError as error:
        context = _context(
            request,
            report.pk,
            posted={"action": action, **request.POST.dict()},
            action_error=error_text(error),
        )
        return render(request, "civic/report.html", context, status=error.status)
    messages.success(request, message)
    return redirect("civic:report", report_id=report.pk)
