"""The quarterly monitoring report: build, download (DOCX, XLSX, PDF), submit (frozen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jospar.core import edge
from jospar.core.errors import ServiceError
from jospar.media.access import can_read_monitoring, can_write_monitoring_report
from jospar.media.models import MonitoringReport, ReportLang
from jospar.media.report_files import render as render_file
from jospar.media.services.report_use import (
    obligation_for_quarter,
    open_monitoring_obligations,
)
from jospar.media.services.reports import (
    frozen_intact,
    monitoring_report_build,
    monitoring_report_submit,
)
from jospar.media.views.pages import actor_of
from jospar.plans.access import is_executor

FORMATS = ("docx", "xlsx", "pdf")


def _report(request: HttpRequest, report_id: int) -> MonitoringReport:
    if not can_read_monitoring(actor_of(request)):
        raise Http404
    report = MonitoringReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not can_read_monitoring(actor):
        raise PermissionDenied
    today = timezone.localdate()
    default_quarter = (today.month - 1) // 3 + 1
    errors: dict[str, list[str]] = {}
    obligations = list(open_monitoring_obligations(actor)) if is_executor(actor) else []
    if request.method == "POST":
        if not can_write_monitoring_report(actor):
            raise PermissionDenied
        try:
            monitoring_report_build(
                actor=actor,
                year=edge.parse_int(request.POST.get("year"), "year", minimum=2000, maximum=2100),
                quarter=edge.parse_int(
                    request.POST.get("quarter"), "quarter", minimum=1, maximum=4
                ),
                lang=edge.choice_or_default(request.POST.get("lang"), ReportLang.values, ""),
            )
        except ServiceError as exc:
            errors = getattr(exc, "fields", None) or {"__all__": [str(exc)]}
        else:
            messages.success(request, _("The report is built."))
            return redirect("media:report")
    return render(
        request,
        "media/report.html",
        {
            "reports": [
                (r, frozen_intact(r), obligation_for_quarter(obligations, r))
                for r in MonitoringReport.objects.select_related("built_by")[:40]
            ],
            "year": today.year,
            "quarter": default_quarter,
            "langs": ReportLang.choices,
            "formats": FORMATS,
            "can_write": can_write_monitoring_report(actor),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def report_download(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    fmt = edge.choice_or_default(request.GET.get("format"), FORMATS, "docx")
    body, content_type = render_file(report, fmt)
    response = HttpResponse(body, content_type=content_type)
    name = f"monitoring-{report.year}-Q{report.quarter}-{report.lang}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def report_submit_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_of(request)
    report = _report(request, report_id)
    if not can_write_monitoring_report(actor):
        raise PermissionDenied
    try:
        monitoring_report_submit(actor=actor, report=report)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The report is submitted and frozen."))
    return redirect("media:report")
