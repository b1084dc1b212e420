"""Pages of the control loop that read: the obligation list, one obligation, a file download.

The obligation list is the one page every figure links to: its GET parameters (``plan``,
``organisation``, ``region``, ``status``, ``deadline_from``/``deadline_to``, ``due_from``/
``due_to``, ``quarter``) are all optional and combine; see ``ObligationFilter``.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jospar.control.access.obligations import (
    access_attachment,
    access_obligation,
    can_report_for,
    can_review_obligation,
)
from jospar.control.evidence_page import evidence_sections
from jospar.control.evidence_sources import reported_events
from jospar.control.forms import (
    OUTCOME_CHOICES,
    AcceptForm,
    ObligationListForm,
    ReportForm,
    ReturnForm,
)
from jospar.control.forms_evidence import EvidenceForm
from jospar.control.models import (
    EvidenceKind,
    ExecutionReport,
    Obligation,
    ObligationStatus,
    ReportKind,
    ReportState,
)
from jospar.control.selectors.counts import (
    obligation_organisations,
    obligation_status_totals,
    obligation_total,
)
from jospar.control.selectors.obligations import (
    activity_is_removed,
    lead_inputs,
    obligation_list_for,
    obligation_regions,
    report_versions,
)
from jospar.control.services.evidence import evidence_kinds_asked
from jospar.control.sources import source_in_force
from jospar.control.status import status_of
from jospar.control.uploads import max_bytes, max_files
from jospar.control.views.plan_options import plan_filter_context
from jospar.core.edge import id_or_none
from jospar.core.keyset import keyset_page, parse_cursor
from jospar.core.models import User
from jospar.core.serving import serve_file
from jospar.plans.access import access_plan, can_see_all_plans, is_controller, is_executor
from jospar.plans.models import CompletionKind

PAGE_SIZE = 50
STATUS_ORDER = [
    ObligationStatus.OVERDUE,
    ObligationStatus.DUE_SOON,
    ObligationStatus.RETURNED,
    ObligationStatus.NOT_YET_DUE,
    ObligationStatus.SUBMITTED_ON_TIME,
    ObligationStatus.SUBMITTED_LATE,
    ObligationStatus.ACCEPTED,
]


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@require_GET
def obligation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = ObligationListForm(request.GET or None)
    plan = None
    plan_id = id_or_none(request.GET.get("plan"))
    if plan_id is not None:
        # A plan named in the URL is fetched like any other: 404 when not visible.
        plan = access_plan(actor, plan_id)
    filters = form.to_filter(plan.pk if plan else None)
    page = keyset_page(
        obligation_list_for(actor, filters),
        name="deadline",
        size=PAGE_SIZE,
        total=obligation_total(actor, filters),
        after=parse_cursor(request.GET.get("after")),
        before=parse_cursor(request.GET.get("before")),
    )
    query = {
        k: v for k, v in request.GET.items() if k not in ("page", "status", "after", "before") and v
    }
    counts = obligation_status_totals(actor, filters)
    tabs = [
        {
            "code": s.value,
            "label": s.label,
            "count": counts[s.value].n,
            "more": counts[s.value].more,
            "query": urlencode({**query, "status": s.value}),
        }
        for s in STATUS_ORDER
    ]
    mine_only = is_executor(actor) and not (can_see_all_plans(actor) or is_controller(actor))
    return render(
        request,
        "control/obligations.html",
        {
            "form": form,
            "filters": filters,
            "plan": plan,
            "page": page,
            "tabs": tabs,
            "all_query": urlencode(query),
            "mine_only": mine_only,
            "plan_filter": plan_filter_context(request, actor, filters.plan_id),
            "organisations": obligation_organisations(actor),
            "regions": obligation_regions(),
            "statuses": STATUS_ORDER,
            "can_assign_controller": bool(plan and actor.is_administrator),
            # The program dashboard's filters, kept when the form is sent again.
            "program_params": [
                (name, value)
                for name in ("program", "node", "task_kind", "task_region", "outcome")
                if (value := getattr(form, "cleaned_data", {}).get(name)) not in (None, "")
            ],
            "outcome_label": dict(OUTCOME_CHOICES).get(filters.outcome or "", ""),
        },
    )


def _report_initial(actor: User, draft: ExecutionReport | None, latest: Any) -> dict[str, Any]:
    source = draft or latest
    if source is not None:
        return {"text": source.text, "lang": source.lang}
    return {"lang": actor.language if actor.language in ("kk", "ru") else "kk"}


def obligation_page(
    request: HttpRequest,
    obligation: Obligation,
    *,
    report_form: ReportForm | None = None,
    accept_form: AcceptForm | None = None,
    return_form: ReturnForm | None = None,
    errors: list[str] | None = None,
    evidence_form: EvidenceForm | None = None,
    evidence_problems: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One obligation: what is owed, its status, every version of its report and its reviews;
    the executor's form, the lead's view of its co-executors' inputs, the controller's review."""
    actor = actor_of(request)
    versions = list(report_versions(actor, obligation))
    draft = next((r for r in versions if r.state == ReportState.DRAFT), None)
    submitted = [r for r in versions if r.state != ReportState.DRAFT]
    latest = submitted[0] if submitted else None
    task = obligation.project_task
    removed = obligation.activity is not None and activity_is_removed(obligation.activity)
    open_ = obligation.in_force and source_in_force(obligation) and not removed
    open_ = open_ and obligation.accepted_at is None
    is_input = obligation.lead_obligation_id is not None
    under_review = (
        latest is not None
        and latest.kind == ReportKind.REPORT
        and latest.state == ReportState.SUBMITTED
    )
    may_write = can_report_for(actor, obligation) and open_ and (is_input or not under_review)
    controls = can_review_obligation(actor, obligation)
    may_review = controls and open_ and under_review
    has_contributions = obligation.contributions.filter(in_force=True).exists()
    if report_form is None and may_write:
        report_form = ReportForm(initial=_report_initial(actor, draft, latest))
    returned_review = None
    if latest is not None and latest.state == ReportState.RETURNED:
        returned_review = next(iter(latest.reviews.all()), None)
    return render(
        request,
        "control/obligation.html",
        {
            "obligation": obligation,
            "activity": obligation.activity,
            "plan": obligation.activity.plan if obligation.activity is not None else None,
            "task": task,
            "status": status_of(obligation),
            "versions": submitted,
            # The version under review is shown in the review box, not again below it.
            "history": [r for r in submitted if not (may_review and r is latest)],
            "draft": draft,
            "latest": latest,
            "returned_review": returned_review,
            "is_input": is_input,
            "removed": removed,
            "may_write": may_write,
            "may_review": may_review,
            "controls": controls,
            "reads_activity": task is None and (controls or can_see_all_plans(actor)),
            "report_form": report_form,
            "accept_form": accept_form or AcceptForm(),
            "return_form": return_form or ReturnForm(),
            "inputs": lead_inputs(obligation) if has_contributions else [],
            "errors": errors or [],
            "max_mb": max_bytes() // (1024 * 1024),
            "max_files": max_files(),
            "evidence": (
                evidence_sections(
                    obligation,
                    draft,
                    posted=evidence_form,
                    problems=evidence_problems,
                    offered=(
                        reported_events(actor, obligation)
                        if EvidenceKind.EVENT in evidence_kinds_asked(obligation)
                        else ()
                    ),
                )
                if may_write
                else []
            ),
            "kinds": [
                CompletionKind(k).label
                for k in (obligation.activity.completion_kinds if obligation.activity else None)
                or []
            ],
        },
        status=status,
    )


@login_required
@require_GET
def obligation_detail(request: HttpRequest, obligation_id: int) -> HttpResponse:
    obligation = access_obligation(actor_of(request), obligation_id)
    if obligation.status_report_id is not None:
        # A status report is written and reviewed on its own page.
        return redirect(reverse("control:status-report", args=[obligation.status_report_id]))
    return obligation_page(request, obligation)


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    attachment = access_attachment(actor_of(request), attachment_id)
    # A download only: never sniffed, never rendered in the site's origin, never cached.
    return serve_file(
        attachment.file,
        content_type=attachment.content_type,
        public=False,
        download_name=attachment.original_name,
    )
