"""The executor's side of the loop: save the report's draft (text, files, a link), submit it,
remove a file or a link from the draft. Every change goes through a service; a refusal shows
its message on the obligation's page with what the person typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jospar.control.access.obligations import (
    access_obligation,
    access_report,
    access_report_attachment,
    access_report_link,
)
from jospar.control.forms import ReportForm
from jospar.control.services.reports import (
    report_attachment_add,
    report_attachment_remove,
    report_draft_save,
    report_link_add,
    report_link_remove,
    report_submit,
)
from jospar.control.views.obligations import actor_of, obligation_page
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.form_errors import refusal_onto_form


def _to_report(obligation_id: int) -> str:
    return reverse("control:obligation", args=[obligation_id]) + "#report"


@login_required
@require_POST
def report_save(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """Save the draft with what the form holds; with ``action=submit``, then submit it."""
    actor = actor_of(request)
    obligation = access_obligation(actor, obligation_id)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return obligation_page(request, obligation, report_form=form, status=400)
    data = form.cleaned_data
    submit = request.POST.get("action") == "submit"
    errors: list[str] = []
    try:
        draft = report_draft_save(
            actor=actor, obligation=obligation, text=data["text"], lang=data["lang"]
        )
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        return obligation_page(
            request, obligation, report_form=form, errors=_form_errors(form, exc), status=400
        )
    # Each file is checked on its own: a refused one does not stop the others.
    for upload in data["files"]:
        try:
            report_attachment_add(actor=actor, report=draft, stream=upload, name=upload.name or "")
        except ServiceError as exc:
            errors.append(str(exc.message))
    if data["link_url"].strip():
        try:
            report_link_add(
                actor=actor, report=draft, url=data["link_url"], title=data["link_title"]
            )
        except ServiceError as exc:
            errors.extend(_form_errors(form, exc))
        else:
            # Shown again only for what failed: the link is saved, and must not be sent twice.
            kept = request.POST.copy()
            kept["link_url"], kept["link_title"] = "", ""
            form = ReportForm(kept)
            form.is_valid()
    if errors or form.errors:
        return obligation_page(request, obligation, report_form=form, errors=errors, status=400)
    if submit:
        try:
            report_submit(actor=actor, report=draft)
        except ServiceError as exc:
            if exc.code == "evidence_missing":
                # One message per kind lacking evidence, above the form and in its section.
                return obligation_page(
                    request,
                    obligation,
                    report_form=form,
                    errors=[m for problems in exc.fields.values() for m in problems],
                    evidence_problems=exc.fields,
                    status=400,
                )
            return obligation_page(
                request, obligation, report_form=form, errors=_form_errors(form, exc), status=400
            )
        messages.success(request, _("The report has been submitted."))
    else:
        messages.success(request, _("The draft has been saved."))
    return redirect(_to_report(obligation.pk))


def _form_errors(form: ReportForm, exc: ServiceError) -> list[str]:
    """Put the refusal beside the field it concerns; what fits no field is returned, to be
    shown above the form."""
    names = {"url": "link_url", "title": "link_title", "file": "files"}
    placed = refusal_onto_form(form, exc, names=names, skip=("files",))
    return [] if placed else [str(exc.message)]


@login_required
@require_POST
def attachment_remove(request: HttpRequest, report_id: int, attachment_id: int) -> HttpResponse:
    actor = actor_of(request)
    attachment = access_report_attachment(actor, report_id, attachment_id)
    obligation_id = attachment.report.obligation_id
    try:
        report_attachment_remove(actor=actor, attachment=attachment)
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The file has been removed from the draft."))
    return redirect(_to_report(obligation_id))


@login_required
@require_POST
def link_remove(request: HttpRequest, report_id: int, link_id: int) -> HttpResponse:
    actor = actor_of(request)
    link = access_report_link(actor, report_id, link_id)
    obligation_id = link.report.obligation_id
    try:
        report_link_remove(actor=actor, link=link)
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The link has been removed from the draft."))
    return redirect(_to_report(obligation_id))


@login_required
@require_POST
def report_submit_view(request: HttpRequest, report_id: int) -> HttpResponse:
    """Submit a draft as it is saved (the report form submits with its contents instead)."""
    actor = actor_of(request)
    report = access_report(actor, report_id)
    try:
        report_submit(actor=actor, report=report)
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The report has been submitted."))
    return redirect(_to_report(report.obligation_id))
