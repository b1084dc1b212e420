"""The akimat's queue (civic officials) and the moderators' desk.

The queue lists the reports of the official's own organisation, in four tabs; one report's
work page shows what the akimat sees (the author, the originals) and its actions: assign or
reassign, start, answer publicly, mark done (an answer is needed; "after" photos), reject with a
reason, mark as a duplicate. Moderators release held reports, publish waiting ones, and settle
abuse reports (hide what was reported, or dismiss)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jospar.civic import services
from jospar.civic.access import access_report_official, can_moderate, is_civic_official
from jospar.civic.models import OPEN_STATES, AbuseReport, CitizenReport
from jospar.civic.selectors.portal import (
    QUEUE_TABS,
    assignable_officials,
    moderation_waiting,
    official_report,
    open_abuse_reports,
    queue_counts,
    queue_reports,
    survey_answers,
)
from jospar.civic.status import is_overdue
from jospar.civic.views.common import STATE_COLOURS, error_text, login_redirect, user_of
from jospar.core.edge import id_or_404, id_or_none, page_number
from jospar.core.errors import ServiceError
from jospar.core.keyset import BoundedPaginator
from jospar.core.models import User

PAGE_SIZE = 30
OFFICIAL_ACTIONS = ("assign", "start", "answer", "done", "reject", "duplicate")


def _tab_labels() -> dict[str, str]:
    return {
        "new": _("New"),
        "assigned": _("Assigned to me"),
        "overdue": _("Overdue"),
        "in_progress": _("In progress"),
    }


@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user is None:
        return login_redirect(request)
    if not is_civic_official(user):
        raise PermissionDenied
    tab = request.GET.get("tab", "new")
    if tab not in QUEUE_TABS:
        tab = "new"
    today = timezone.localdate()
    counts = queue_counts(user, today=today)
    paginator = Paginator(queue_reports(user, tab, today=today), PAGE_SIZE)
    # The tab's count was just read with the others: the paginator does not count again.
    paginator.count = counts.get(tab, 0)
    page = paginator.get_page(request.GET.get("page"))
    labels = _tab_labels()
    rows = [
        (report, STATE_COLOURS.get(report.state, "grey"), is_overdue(report, today))
        for report in page.object_list
    ]
    return render(
        request,
        "civic/queue.html",
        {
            "tab": tab,
            "tabs": [(key, labels[key], counts.get(key, 0)) for key in QUEUE_TABS],
            "page": page,
            "rows": rows,
            "organisation": user.organisation,
        },
    )


def _official_context(user: User, report_id: int, **extra: Any) -> dict[str, Any]:
    report = official_report(report_id)
    return {
        "report": report,
        "colour": STATE_COLOURS.get(report.state, "grey"),
        "officials": assignable_officials(report),
        "survey": survey_answers(report),
        "is_open": report.state in OPEN_STATES,
        "overdue": is_overdue(report, timezone.localdate()),
        "posted": {},
        "action_error": None,
        **extra,
    }


def _official_act(action: str, user: User, report: CitizenReport, request: HttpRequest) -> str:
    data = request.POST
    files = request.FILES.getlist("media")
    if action == "assign":
        official = None
        official_id = id_or_none(data.get("official"))
        if official_id is not None:
            official = next((o for o in assignable_officials(report) if o.pk == official_id), None)
        if official is None:
            message = _("Choose an official of the akimat answering this report.")
            raise ServiceError("not_an_official", message, {"official": [message]})
        services.report_assign(actor=user, report=report, official=official)
        return _("Assigned.")
    if action == "start":
        services.report_start(actor=user, report=report)
        return _("Taken into work.")
    if action == "answer":
        services.report_answer(actor=user, report=report, text=data.get("text", ""), media=files)
        return _("The answer is published.")
    if action == "done":
        services.report_mark_done(actor=user, report=report, text=data.get("text", ""), media=files)
        return _("Marked done: the report is green now.")
    if action == "reject":
        services.report_reject(actor=user, report=report, reason=data.get("reason", ""))
        return _("Rejected; the reason is public.")
    if action == "duplicate":
        original_id = id_or_none(str(data.get("original", "")).strip().lstrip("№#"))
        original = (
            CitizenReport.objects.filter(pk=original_id).first()
            if original_id is not None
            else None
        )
        if original is None:
            message = _("Give the number of the original report.")
            raise ServiceError("invalid_original", message, {"original": [message]})
        services.report_mark_duplicate(actor=user, report=report, original=original)
        return _("Marked as a duplicate.")
    raise ServiceError("invalid_action", _("Unknown action."))


@require_http_methods(["GET", "POST"])
def queue_report(request: HttpRequest, report_id: int) -> HttpResponse:
    user = user_of(request)
    if user is None:
        return login_redirect(request)
    report = access_report_official(user, report_id)
    if request.method == "GET":
        return render(request, "civic/queue_report.html", _official_context(user, report.pk))
    action = request.POST.get("action", "")
    try:
        if action not in OFFICIAL_ACTIONS:
            raise ServiceError("invalid_action", _("Unknown action."))
        message = _official_act(action, user, report, request)
    except ServiceError as error:
        context = _official_context(
            user,
            report.pk,
            posted={"action": action, **request.POST.dict()},
            action_error=error_text(error),
            files_lost=bool(request.FILES),
        )
        return render(request, "civic/queue_report.html", context, status=error.status)
    messages.success(request, message)
    return redirect("civic:queue-report", report_id=report.pk)


# --- moderators ----------------------------------------------------------------------------


# The moderation queue shows each list by pages of this many, oldest first, counted up to
# ``MODERATION_COUNT_BOUND`` ("more than 1 000 wait"): at national scale thousands of reports
# can wait, and a page of a hundred of each kind was 200 items with their forms on a phone.
MODERATION_PAGE_SIZE = 25
MODERATION_COUNT_BOUND = 1_000


def _moderation_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    def page(rows: Any, param: str) -> Any:
        return BoundedPaginator(rows, MODERATION_PAGE_SIZE, bound=MODERATION_COUNT_BOUND).get_page(
            page_number(request.GET.get(param))
        )

    return {
        "waiting": page(moderation_waiting(), "waiting_page"),
        "abuse": page(open_abuse_reports(), "abuse_page"),
        "posted": {},
        "action_error": None,
        **extra,
    }


def _moderate(action: str, user: User, data: Any) -> str:
    target_id = id_or_404(data.get("id"))
    if action in ("release", "publish", "reject"):
        report = CitizenReport.objects.filter(pk=target_id).first()
        if report is None:
            raise Http404
        if action == "release":
            services.report_release(actor=user, report=report)
            return _("Released and published.")
        if action == "publish":
            services.report_publish(actor=user, report=report)
            return _("Published.")
        services.report_reject(actor=user, report=report, reason=data.get("reason", ""))
        return _("Rejected; the reason is public.")
    abuse = AbuseReport.objects.select_related("report", "comment").filter(pk=target_id).first()
    if abuse is None:
        raise Http404
    if action == "hide":
        if abuse.comment is not None:
            services.moderation_hide(
                actor=user, comment=abuse.comment, reason=data.get("reason", "")
            )
        else:
            services.moderation_hide(actor=user, report=abuse.report, reason=data.get("reason", ""))
        return _("Hidden from the public.")
    if action == "dismiss":
        services.abuse_report_dismiss(actor=user, abuse=abuse, reason=data.get("reason", ""))
        return _("The abuse report is dismissed.")
    raise ServiceError("invalid_action", _("Unknown action."))


@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user is None:
        return login_redirect(request)
    if not can_moderate(user):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "civic/moderation.html", _moderation_context(request))
    action = request.POST.get("action", "")
    try:
        message = _moderate(action, user, request.POST)
    except ServiceError as error:
        context = _moderation_context(
            request, posted=request.POST.dict(), action_error=error_text(error)
        )
        return render(request, "civic/moderation.html", context, status=error.status)
    messages.success(request, message)
    return redirect("civic:moderation")
