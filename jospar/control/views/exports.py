"""Pages of the report on a plan's execution: request it, follow its progress, download it."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jospar.control.access.exports import (
    access_report_export,
    can_request_program_report,
    report_scope,
    visible_report_exports,
)
from jospar.control.exports.render import CONTENT_TYPES
from jospar.control.forms_exports import ReportExportForm, initial_for
from jospar.control.models_exports import ExportStatus, ReportExport
from jospar.control.services.exports import (
    download_name,
    program_report_export_request,
    report_export_request,
)
from jospar.control.status import today
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.core.serving import serve_file
from jospar.plans.access import access_plan
from jospar.plans.views.plans import display_lang
from jospar.programs.access import access_program

RECENT = 20


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def failure_message(export: ReportExport) -> str:
    """Why an export failed, in the reader's language (the stored error is a code)."""
    return _(
        "The report could not be built. Request it again; if it fails again, tell the"
        " administrator (export No. %(id)s)."
    ) % {"id": export.pk}


@login_required
@require_http_methods(["GET", "POST"])
def export_request(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = _actor(request)
    plan = access_plan(actor, plan_id)
    form = ReportExportForm(
        request.POST or None, initial=initial_for(plan, display_lang(), today())
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            period = form.report_period()
            try:
                export = report_export_request(
                    actor=actor,
                    plan=plan,
                    lang=form.cleaned_data["lang"],
                    format=form.cleaned_data["format"],
                    period_start=period.start,
                    period_end=period.end,
                )
            except ServiceError as exc:
                for name, messages in exc.fields.items():
                    form.add_error(name if name in form.fields else None, messages)
                if not exc.fields:
                    form.add_error(None, str(exc.message))
            else:
                return redirect("control:export-detail", export_id=export.pk)
        status = 400
    exports = visible_report_exports(actor).filter(plan=plan).select_related("requested_by")
    scope = report_scope(actor, plan)
    return render(
        request,
        "control/exports/request.html",
        {"plan": plan, "form": form, "exports": list(exports[:RECENT]), "scope": scope},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_export_request(request: HttpRequest, program_id: int) -> HttpResponse:
    """The consolidated report's program variant: request it, see those requested."""
    actor = _actor(request)
    program = access_program(actor, program_id)
    if not can_request_program_report(actor, program):
        raise Http404
    day = today()
    form = ReportExportForm(
        request.POST or None,
        initial={
            "period": f"Q{(day.month - 1) // 3 + 1}",
            "year": day.year,
            "lang": display_lang() if display_lang() in ("kk", "ru") else "kk",
            "format": "docx",
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            period = form.report_period()
            try:
                export = program_report_export_request(
                    actor=actor,
                    program=program,
                    lang=form.cleaned_data["lang"],
                    format=form.cleaned_data["format"],
                    period_start=period.start,
                    period_end=period.end,
                )
            except ServiceError as exc:
                for name, messages in exc.fields.items():
                    form.add_error(name if name in form.fields else None, messages)
                if not exc.fields:
                    form.add_error(None, str(exc.message))
            else:
                return redirect("control:export-detail", export_id=export.pk)
        status = 400
    exports = visible_report_exports(actor).filter(program=program).select_related("requested_by")
    return render(
        request,
        "control/exports/request.html",
        {"program": program, "form": form, "exports": list(exports[:RECENT]), "scope": None},
        status=status,
    )


def _status_context(export: ReportExport) -> dict[str, Any]:
    return {
        "export": export,
        "polling": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        "failure": failure_message(export) if export.status == ExportStatus.FAILED else "",
        "file_name": download_name(export),
    }


@login_required
@require_GET
def export_detail(request: HttpRequest, export_id: int) -> HttpResponse:
    export = access_report_export(_actor(request), export_id)
    return render(request, "control/exports/detail.html", _status_context(export))


@login_required
@require_GET
def export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    """The progress fragment, polled every 2 s while the file is being built."""
    export = access_report_export(_actor(request), export_id)
    return render(request, "control/exports/_status.html", _status_context(export))


def file_response(export: ReportExport) -> HttpResponseBase:
    """Deliver the stored file, wherever the storage keeps it (local disk or S3)."""
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return serve_file(
        export.file,
        content_type=CONTENT_TYPES[export.format],
        public=False,
        download_name=download_name(export),
    )


@login_required
@require_GET
def export_download(request: HttpRequest, export_id: int) -> HttpResponseBase:
    export = access_report_export(_actor(request), export_id)
    if export.status != ExportStatus.DONE:
        return redirect("control:export-detail", export_id=export.pk)
    return file_response(export)
