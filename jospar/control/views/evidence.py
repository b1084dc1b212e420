"""The executor adds evidence to the report's draft, or removes it; the obligation's page
shows a section per completion kind (``jospar.control.evidence_page``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jospar.control.access.obligations import access_obligation, access_report_evidence
from jospar.control.evidence_page import evidence_form
from jospar.control.evidence_sources import (
    event_photo_files,
    reported_event,
    reported_events,
    with_event,
)
from jospar.control.models import EvidenceKind
from jospar.control.services.evidence import report_evidence_add, report_evidence_remove
from jospar.control.services.reports import report_draft_open
from jospar.control.views.obligations import actor_of, obligation_page
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.form_errors import refusal_onto_form


def _to_evidence(obligation_id: int) -> str:
    return reverse("control:obligation", args=[obligation_id]) + "#evidence"


@login_required
@require_POST
def evidence_add(request: HttpRequest, obligation_id: int) -> HttpResponse:
    actor = actor_of(request)
    obligation = access_obligation(actor, obligation_id)
    kind = request.POST.get("kind")
    kind = kind if kind in EvidenceKind.values else EvidenceKind.INFORMATION
    offered = reported_events(actor, obligation) if kind == EvidenceKind.EVENT else []
    form = evidence_form(kind, request.POST, request.FILES, offered=offered)
    if not form.is_valid():
        # A kind not offered has no section to show its form in: its error goes above.
        errors = [str(e) for e in form.errors.get("kind", [])]
        return obligation_page(request, obligation, evidence_form=form, errors=errors, status=400)
    uploads = form.cleaned_data["files"]
    files = [(upload, upload.name or "") for upload in uploads]
    data = form.to_input()
    chosen = form.cleaned_data.get("calendar_event")
    if chosen is not None:
        # Offered above, so found; what the executor typed wins over what the event states,
        # and the event's photos come along with the executor's own files.
        event = reported_event(actor, obligation, chosen)
        if event is not None:
            data = with_event(data, event)
            files += event_photo_files(event)
    try:
        draft = report_draft_open(actor=actor, obligation=obligation)
        report_evidence_add(actor=actor, report=draft, data=data, files=files)
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        placed = refusal_onto_form(form, exc)
        errors = [] if placed else [str(exc.message)]
        return obligation_page(request, obligation, evidence_form=form, errors=errors, status=400)
    finally:
        for stream, _name in files[len(uploads) :]:
            stream.close()
    messages.success(request, _("The evidence has been added to the draft."))
    return redirect(_to_evidence(obligation.pk))


@login_required
@require_POST
def evidence_remove(request: HttpRequest, report_id: int, evidence_id: int) -> HttpResponse:
    actor = actor_of(request)
    evidence = access_report_evidence(actor, report_id, evidence_id)
    obligation_id = evidence.report.obligation_id
    try:
        report_evidence_remove(actor=actor, evidence=evidence)
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The evidence has been removed from the draft."))
    return redirect(_to_evidence(obligation_id))
