"""A project's own control on its pages: the declared status (with its reason and history) and
the risk register (add, edit, close; reviews past their date flagged)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jospar.core.edge import EdgeError, date_or_none, id_or_none, int_or_none, parse_text
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.programs.access import access_program_node, access_risk
from jospar.programs.models import TASK_NODES, ProgramNode, Risk
from jospar.programs.models_office import DeclaredStatus
from jospar.programs.office_policy import may_manage_project
from jospar.programs.selectors import node_path
from jospar.programs.selectors.office import node_risks, risk_overdue, status_history
from jospar.programs.services.office import project_status_set, risk_add, risk_close, risk_edit

RISK_FIELDS = ("title", "probability", "impact", "owner", "response", "review_on")


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@require_POST
def status_set(request: HttpRequest, node_id: int) -> HttpResponse:
    actor = _actor(request)
    node = access_program_node(actor, node_id)
    try:
        status = str(request.POST.get("status") or "")[:32]
        reason = parse_text(request.POST.get("reason"), "reason", max_length=4000, multiline=True)
        project_status_set(actor=actor, node=node, status=status, reason=reason)
    except (EdgeError, ServiceError) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The project's status has been declared."))
    return redirect(reverse("programs:node", args=[node.pk]) + "#status")


def _people(node: ProgramNode) -> list[User]:
    """Who may own a risk: the people holding a role on the program."""
    return list(
        User.objects.filter(
            is_active=True, program_roles__program_id=node.program_id, program_roles__in_force=True
        )
        .distinct()
        .order_by("last_name", "first_name", "username")[:500]
    )


def _risk_input(post: Any, node: ProgramNode) -> dict[str, Any]:
    owner_id = id_or_none(post.get("owner"))
    review_raw = post.get("review_on")
    review_on = date_or_none(review_raw)
    if review_raw and review_on is None:
        raise EdgeError("review_on", _("Enter the review date as a date."))
    owner = (
        User.objects.filter(
            pk=owner_id, program_roles__program_id=node.program_id, program_roles__in_force=True
        ).first()
        if owner_id
        else None
    )
    return {
        "title": parse_text(post.get("title"), "title", max_length=500),
        "probability": int_or_none(post.get("probability"), minimum=1, maximum=5),
        "impact": int_or_none(post.get("impact"), minimum=1, maximum=5),
        "owner": owner,
        "response": parse_text(post.get("response"), "response", max_length=4000, multiline=True),
        "review_on": review_on,
    }


def _risks_page(
    request: HttpRequest,
    node: ProgramNode,
    *,
    edit: Risk | None = None,
    values: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    today = timezone.localdate()
    risks = list(node_risks(node.pk))
    return render(
        request,
        "programs/risks.html",
        {
            "node": node,
            "program": node.program,
            "path": node_path(node),
            "rows": [{"risk": r, "overdue": risk_overdue(r, today)} for r in risks],
            "manages": may_manage_project(actor, node),
            "people": _people(node),
            "edit": edit,
            "values": values or {},
            "errors": errors or [],
            "scale": range(1, 6),
            "today": today,
        },
        status=status,
    )


def _echo(post: Any) -> dict[str, str]:
    return {k: str(post.get(k, ""))[:4000] for k in RISK_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def risks(request: HttpRequest, node_id: int) -> HttpResponse:
    actor = _actor(request)
    node = access_program_node(actor, node_id)
    if node.kind not in TASK_NODES:
        return redirect(reverse("programs:node", args=[node.pk]))
    if request.method != "POST":
        return _risks_page(request, node)
    if not may_manage_project(actor, node):
        raise PermissionDenied
    try:
        risk_add(actor=actor, node=node, **_risk_input(request.POST, node))
    except (EdgeError, ServiceError) as exc:
        return _risks_page(
            request, node, values=_echo(request.POST), errors=[str(exc.message)], status=400
        )
    messages.success(request, _("The risk has been added to the register."))
    return redirect(reverse("programs:risks", args=[node.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def risk_detail(request: HttpRequest, risk_id: int) -> HttpResponse:
    actor = _actor(request)
    risk = access_risk(actor, risk_id)
    node = risk.node
    values = {
        "title": risk.title,
        "probability": str(risk.probability),
        "impact": str(risk.impact),
        "owner": str(risk.owner_id),
        "response": risk.response,
        "review_on": risk.review_on.isoformat(),
    }
    if request.method != "POST":
        return _risks_page(request, node, edit=risk, values=values)
    if not may_manage_project(actor, node):
        raise PermissionDenied
    try:
        risk_edit(actor=actor, risk=risk, **_risk_input(request.POST, node))
    except (EdgeError, ServiceError) as exc:
        return _risks_page(
            request,
            node,
            edit=risk,
            values=_echo(request.POST),
            errors=[str(exc.message)],
            status=400,
        )
    messages.success(request, _("The risk has been changed."))
    return redirect(reverse("programs:risks", args=[node.pk]))


@login_required
@require_POST
def risk_close_view(request: HttpRequest, risk_id: int) -> HttpResponse:
    actor = _actor(request)
    risk = access_risk(actor, risk_id)
    try:
        note = parse_text(request.POST.get("note"), "note", max_length=4000, multiline=True)
        risk_close(actor=actor, risk=risk, note=note)
    except (EdgeError, ServiceError) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The risk has been closed."))
    return redirect(reverse("programs:risks", args=[risk.node_id]))


def status_context(actor: User, node: ProgramNode) -> dict[str, Any]:
    """What the node page shows of the declared status."""
    if node.kind not in TASK_NODES:
        return {}
    history = status_history(node.pk, limit=10)
    return {
        "declared": history[0] if history else None,
        "status_history": history,
        "status_choices": DeclaredStatus.choices,
        "manages": may_manage_project(actor, node),
        "open_risks": node_risks(node.pk, include_closed=False).count(),
    }
