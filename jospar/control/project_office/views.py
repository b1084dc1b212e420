"""Pages of the project office on the control loop: a project's board (drag and drop, and
buttons that move a card without JavaScript), the program's status reports with their schedule,
and one status report (the office writes and sends it; the centre accepts or returns it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jospar.control.project_office.board import board_move, board_reorder, project_board
from jospar.control.project_office.figures import status_figures
from jospar.control.project_office.services import (
    status_report_accept,
    status_report_return,
    status_report_save,
    status_report_submit,
    status_schedule_set,
)
from jospar.control.services.common import local_today
from jospar.control.views.obligations import actor_of
from jospar.core.edge import (
    EdgeError,
    date_or_none,
    id_list,
    id_or_none,
    parse_choice,
    parse_id,
    parse_text,
)
from jospar.core.errors import ServiceError
from jospar.core.models import Region
from jospar.programs.access import (
    access_program,
    access_program_node,
    access_status_report,
    status_report_regions,
)
from jospar.programs.models import (
    TASK_NODES,
    NodeKind,
    ProgramNode,
    StatusReport,
    StatusSchedule,
)
from jospar.programs.models_office import Frequency, StatusReportState
from jospar.programs.office_policy import (
    may_manage_project,
    may_review_status_report,
    may_set_schedule,
    may_write_status_report,
)
from jospar.programs.selectors import node_path
from jospar.programs.selectors.office import program_status_reports

TEXT_MAX = 20_000


@login_required
@require_GET
def board(request: HttpRequest, node_id: int) -> HttpResponse:
    actor = actor_of(request)
    node = access_program_node(actor, node_id)
    if node.kind not in TASK_NODES:
        return redirect(reverse("programs:node", args=[node.pk]))
    return render(
        request,
        "control/board.html",
        {
            "node": node,
            "program": node.program,
            "path": node_path(node),
            "columns": project_board(node),
            "manages": may_manage_project(actor, node),
        },
    )


def _board_url(node: ProgramNode) -> str:
    return reverse("control:board", args=[node.pk])


@login_required
@require_POST
def board_move_view(request: HttpRequest, node_id: int) -> HttpResponse:
    actor = actor_of(request)
    node = access_program_node(actor, node_id)
    try:
        task_id = parse_id(request.POST.get("task"), "task")
        direction = parse_choice(request.POST.get("direction"), "direction", ("up", "down"))
        board_move(actor=actor, node=node, task_id=task_id, direction=direction)
    except (EdgeError, ServiceError) as exc:
        messages.error(request, str(exc.message))
    return redirect(_board_url(node) + "#board")


@login_required
@require_POST
def board_order_view(request: HttpRequest, node_id: int) -> HttpResponse:
    """One column's order after a card was dragged (the page's script sends it)."""
    actor = actor_of(request)
    node = access_program_node(actor, node_id)
    raw = str(request.POST.get("order") or "")[:20_000]
    try:
        ids = list(id_list(raw.split(","), limit=500)) if raw else []
        board_reorder(actor=actor, node=node, task_ids=ids)
    except (EdgeError, ServiceError) as exc:
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(str(exc.message), status=exc.status, content_type="text/plain")
        messages.error(request, str(exc.message))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(_board_url(node) + "#board")


def _reports_page(
    request: HttpRequest,
    program_id: int,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    program = access_program(actor, program_id)
    schedule = StatusSchedule.objects.filter(program=program).select_related("node").first()
    # The page is the program's schedule; the reports on it are the ones this reader may open.
    regions = status_report_regions(actor, program)
    reports = program_status_reports(program, region_ids=regions)
    return render(
        request,
        "control/status_reports.html",
        {
            "program": program,
            "schedule": schedule,
            "schedule_regions": set(schedule.regions.values_list("pk", flat=True))
            if schedule
            else set(),
            "reports": reports,
            "today": local_today(),
            "may_schedule": may_set_schedule(actor, program.pk, None)
            or any(
                may_set_schedule(actor, program.pk, n)
                for n in ProgramNode.objects.filter(
                    program=program, kind=NodeKind.SUBPROGRAM, in_force=True
                )
            ),
            "subprograms": list(
                ProgramNode.objects.filter(
                    program=program, kind=NodeKind.SUBPROGRAM, in_force=True
                ).order_by("position", "id")
            ),
            "frequencies": Frequency.choices,
            "regions": list(Region.objects.order_by("name_kk")),
            "errors": errors or [],
        },
        status=status,
    )


@login_required
@require_GET
def status_reports(request: HttpRequest, program_id: int) -> HttpResponse:
    return _reports_page(request, program_id)


@login_required
@require_POST
def schedule_set(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = actor_of(request)
    program = access_program(actor, program_id)
    post = request.POST
    try:
        frequency = parse_choice(post.get("frequency"), "frequency", Frequency.values)
        starts_raw = post.get("starts_on")
        starts_on = date_or_none(starts_raw)
        if starts_raw and starts_on is None:
            raise EdgeError("starts_on", _("Enter the first day as a date."))
        node_id = id_or_none(post.get("node"))
        node = ProgramNode.objects.filter(pk=node_id, program=program).first() if node_id else None
        if node_id and node is None:
            raise EdgeError("node", _("Choose a sub-program of this program."))
        region_ids = id_list(post.getlist("regions")[:100], limit=100)
        regions = list(Region.objects.filter(pk__in=region_ids))
        outcome = status_schedule_set(
            actor=actor,
            program=program,
            node=node,
            frequency=frequency,
            starts_on=starts_on,
            regions=regions,
        )
    except (EdgeError, ServiceError) as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        return _reports_page(request, program.pk, errors=[str(exc.message)], status=400)
    messages.success(
        request,
        _("The schedule has been set: %(n)s reports are now owed.") % {"n": len(outcome.made)},
    )
    return redirect(reverse("control:status-reports", args=[program.pk]))


def _report_page(
    request: HttpRequest,
    report: StatusReport,
    *,
    values: dict[str, str] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    writes = may_write_status_report(actor, report)
    editable = report.in_force and report.state in (
        StatusReportState.DUE,
        StatusReportState.DRAFT,
        StatusReportState.RETURNED,
    )
    figures = report.figures
    live = False
    if not figures or (writes and editable):
        # Not frozen yet: what the figures are now.
        figures, live = status_figures(report, local_today()), True
    return render(
        request,
        "control/status_report.html",
        {
            "report": report,
            "program": report.program,
            "figures": figures,
            "live": live,
            "writes": writes and editable,
            "reviews": may_review_status_report(actor, report)
            and report.state == StatusReportState.SUBMITTED,
            "history": list(report.reviews.select_related("reviewer").order_by("-id")[:20]),
            "values": values
            or {
                "narrative": report.narrative,
                "risks": report.risks,
                "help_requests": report.help_requests,
            },
            "errors": errors or [],
            "obligation": report.obligation if hasattr(report, "obligation") else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_report(request: HttpRequest, status_report_id: int) -> HttpResponse:
    actor = actor_of(request)
    report = access_status_report(actor, status_report_id)
    if request.method != "POST":
        return _report_page(request, report)
    post = request.POST
    values = {k: str(post.get(k, ""))[:TEXT_MAX] for k in ("narrative", "risks", "help_requests")}
    try:
        texts = {
            k: parse_text(post.get(k), k, max_length=TEXT_MAX, multiline=True)
            for k in ("narrative", "risks", "help_requests")
        }
        report = status_report_save(actor=actor, report=report, **texts)
        if post.get("submit"):
            report = status_report_submit(actor=actor, report=report)
    except (EdgeError, ServiceError) as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        return _report_page(request, report, values=values, errors=[str(exc.message)], status=400)
    if report.state == StatusReportState.SUBMITTED:
        messages.success(request, _("The status report has been sent to the centre."))
    else:
        messages.success(request, _("The draft has been saved."))
    return redirect(reverse("control:status-report", args=[report.pk]))


@login_required
@require_POST
def status_report_review(request: HttpRequest, status_report_id: int) -> HttpResponse:
    actor = actor_of(request)
    report = access_status_report(actor, status_report_id)
    post = request.POST
    try:
        decision = parse_choice(post.get("decision"), "decision", ("accept", "return"))
        comment = parse_text(post.get("comment"), "comment", max_length=10_000, multiline=True)
        if decision == "accept":
            status_report_accept(actor=actor, report=report, comment=comment)
            messages.success(request, _("The status report has been accepted."))
        else:
            raw = post.get("new_deadline")
            new_deadline = date_or_none(raw)
            if raw and new_deadline is None:
                raise EdgeError("new_deadline", _("Enter the new date as a date."))
            status_report_return(
                actor=actor, report=report, comment=comment, new_deadline=new_deadline
            )
            messages.success(request, _("The status report has been returned to the office."))
    except (EdgeError, ServiceError) as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, str(exc.message))
    return redirect(reverse("control:status-report", args=[report.pk]))
