"""Amending acts on a plan's page: upload, check each change against the plan's current row
(before and after, cell by cell), correct what was misread, and apply as one revision."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jospar.control.forms_amendments import AmendmentUploadForm, ChangeCorrectionForm
from jospar.control.services.plan_revisions import plan_amendment_apply
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.planparser.textutil import fold
from jospar.plans.access import access_plan, access_plan_amendment, can_amend_plan
from jospar.plans.amending import ROW_OPS, column_fields
from jospar.plans.models import Plan, PlanAmendment, PlanAmendmentStatus
from jospar.plans.services.amendments import (
    current_revision,
    plan_amendment_change_correct,
    plan_amendment_create,
    plan_amendment_discard,
    plan_amendment_preview,
)

OPS = {
    "replace_row": gettext_lazy("Row replaced"),
    "add_row": gettext_lazy("Row added"),
    "remove_row": gettext_lazy("Row removed"),
    "replace_words": gettext_lazy("Words replaced in a cell"),
    "add_words": gettext_lazy("Words added to a cell"),
    "replace_heading": gettext_lazy("Heading replaced"),
    "remove_section": gettext_lazy("Section removed"),
    "replace_section": gettext_lazy("Section replaced"),
    "add_section": gettext_lazy("Section added"),
    "replace_plan": gettext_lazy("Whole plan replaced"),
    "replace_note": gettext_lazy("Note replaced"),
    "change_decree_point": gettext_lazy("Point of the decree changed"),
}
FIELD_LABELS = {
    "number": gettext_lazy("No."),
    "title": gettext_lazy("Activity"),
    "completion_form": gettext_lazy("Form of completion"),
    "executors": gettext_lazy("Responsible executors"),
    "deadline_text": gettext_lazy("Deadline"),
    "controller": gettext_lazy("Controlling department"),
    "financing": gettext_lazy("Financing"),
}


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _plan_to_amend(actor: User, plan_id: int) -> Plan:
    plan = access_plan(actor, plan_id)
    if not can_amend_plan(actor, plan):
        raise Http404
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def amendment_upload(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = _actor(request)
    plan = _plan_to_amend(actor, plan_id)
    form = AmendmentUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                amendment = plan_amendment_create(
                    actor=actor, plan=plan, data=uploaded.read(), filename=uploaded.name
                )
            except ServiceError as exc:
                form.add_error("file", str(exc.message))
            else:
                return redirect("control:amendment", plan_id=plan.pk, amendment_id=amendment.pk)
        status = 400
    drafts = plan.amendments.filter(status=PlanAmendmentStatus.DRAFT)[:20]
    return render(
        request,
        "control/amendment_upload.html",
        {"plan": plan, "form": form, "drafts": drafts},
        status=status,
    )


def _review_context(amendment: PlanAmendment) -> dict[str, Any]:
    preview = plan_amendment_preview(amendment)
    revision = current_revision(amendment.plan, amendment.lang)
    columns = column_fields(revision.parsed if revision else {})
    width = max(columns, default=0)
    headers = [FIELD_LABELS.get(columns.get(i, ""), str(i)) for i in range(1, width + 1)]
    items = []
    for placed in preview.placed:
        change = placed.change
        row_cells = list((change.get("row") or {}).get("cells") or [])
        initial = {
            "index": placed.index,
            "skip": bool(change.get("skip")),
            "numbers": ", ".join(str(n) for n in change.get("number") or []),
            "column": change.get("column"),
            "old": change.get("old") or "",
            "new": change.get("new") or "",
            **{f"cell_{i}": c for i, c in enumerate(row_cells, start=1)},
        }
        rows = []
        for row in placed.rows:
            before, after = row["before"], row["after"]
            cells = []
            for i in range(width):
                old = before[i] if before and i < len(before) else None
                new = after[i] if after and i < len(after) else None
                changed = old is None or new is None or fold(old) != fold(new)
                cells.append(
                    {"header": headers[i], "before": old, "after": new, "changed": changed}
                )
            rows.append({"number": row["number"], "cells": cells})
        items.append(
            {
                "placed": placed,
                "label": OPS.get(placed.op, placed.op),
                "row_op": placed.op in ROW_OPS,
                "rows": rows,
                "form": ChangeCorrectionForm(
                    initial=initial,
                    cells=len(row_cells),
                    auto_id=f"change-{placed.index}-%s",
                ),
                "prefix": f"change-{placed.index}",
            }
        )
    return {
        "amendment": amendment,
        "plan": amendment.plan,
        "act": (amendment.parsed or {}).get("act") or {},
        "items": items,
        "problems": len({index for index, _p in preview.problems}),
        "applied": len(preview.applied),
        "is_draft": amendment.status == PlanAmendmentStatus.DRAFT,
    }


@login_required
def amendment_review(request: HttpRequest, plan_id: int, amendment_id: int) -> HttpResponse:
    if request.method != "GET":
        return HttpResponse(status=405)
    amendment = access_plan_amendment(_actor(request), plan_id, amendment_id)
    return render(request, "control/amendment_review.html", _review_context(amendment))


@login_required
@require_POST
def amendment_correct(request: HttpRequest, plan_id: int, amendment_id: int) -> HttpResponse:
    actor = _actor(request)
    amendment = access_plan_amendment(actor, plan_id, amendment_id)
    cells = sum(1 for key in request.POST if key.startswith("cell_"))
    form = ChangeCorrectionForm(request.POST, cells=cells)
    if not form.is_valid():
        messages.error(request, _("The correction could not be read; check the fields."))
        return redirect("control:amendment", plan_id=plan_id, amendment_id=amendment.pk)
    data = form.cleaned_data
    try:
        plan_amendment_change_correct(
            actor=actor,
            amendment=amendment,
            index=data["index"],
            skip=data["skip"],
            numbers=data["numbers"] or None,
            column=data["column"],
            old=data["old"] if "old" in request.POST else None,
            new=data["new"] if "new" in request.POST else None,
            cells=form.cells(),
        )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The change is corrected."))
    target = redirect("control:amendment", plan_id=plan_id, amendment_id=amendment.pk)
    target["Location"] += f"#change-{data['index']}"
    return target


@login_required
@require_POST
def amendment_apply(request: HttpRequest, plan_id: int, amendment_id: int) -> HttpResponse:
    actor = _actor(request)
    amendment = access_plan_amendment(actor, plan_id, amendment_id)
    try:
        outcome = plan_amendment_apply(actor=actor, amendment=amendment)
    except ServiceError as exc:
        context = _review_context(amendment)
        context["error"] = exc.message
        return render(request, "control/amendment_review.html", context, status=400)
    messages.success(
        request,
        _(
            "The act is applied as revision %(revision)d: %(created)d obligation(s) added,"
            " %(withdrawn)d withdrawn."
        )
        % {
            "revision": outcome.revision.number if outcome.revision else 0,
            "created": outcome.obligations_created,
            "withdrawn": outcome.obligations_withdrawn,
        },
    )
    return redirect("plans:detail", plan_id=plan_id)


@login_required
@require_POST
def amendment_discard(request: HttpRequest, plan_id: int, amendment_id: int) -> HttpResponse:
    actor = _actor(request)
    amendment = access_plan_amendment(actor, plan_id, amendment_id)
    try:
        plan_amendment_discard(actor=actor, amendment=amendment)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("plans:detail", plan_id=plan_id)
