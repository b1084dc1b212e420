"""Project tasks on the control loop's pages: a manager issues one on a node of a program, a
key event is put on control, a task's page with its executors, and the task printed as the
form of `002_*` (DOCX/PDF, Kazakh/Russian)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jospar.control.access.project_tasks import access_project_task
from jospar.control.exports import project_task as printing
from jospar.control.models import Obligation
from jospar.control.services.common import local_today
from jospar.control.services.project_tasks import (
    key_event_put_on_control,
    project_task_issue,
    project_task_withdraw,
)
from jospar.control.sources import can_review_task
from jospar.control.status import status_of
from jospar.control.views.obligations import actor_of
from jospar.core.edge import EdgeError, date_or_none, id_or_none, parse_choice, parse_text
from jospar.core.errors import ServiceError
from jospar.core.models import Organisation, Region
from jospar.programs.access import access_program_node
from jospar.programs.models import ProgramNode
from jospar.programs.policy import may_somewhere
from jospar.programs.roles import Action

ADDRESSEE_FIELDS = 3
FIELDS = ("items", "deadline", "contact", "prepared_by_name", "prepared_by_title", "lang")


def _new_page(
    request: HttpRequest,
    node: ProgramNode,
    *,
    values: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    defaults = {
        "addressees": [""] * ADDRESSEE_FIELDS,
        "prepared_by_name": actor.get_full_name() or actor.username,
        "prepared_by_title": _("Sub-program manager"),
        "lang": (translation.get_language() or "kk")[:2],
    }
    return render(
        request,
        "control/project_task_new.html",
        {
            "node": node,
            "program": node.program,
            "values": {**defaults, **(values or {})},
            "errors": errors or [],
            "organisations": Organisation.objects.filter(
                merged_into__isnull=True, valid_to__isnull=True
            ).order_by("name_kk")[:2000],
            "regions": Region.objects.order_by("name_kk"),
            "today": local_today(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_task_new(request: HttpRequest, node_id: int) -> HttpResponse:
    actor = actor_of(request)
    node = access_program_node(actor, node_id)
    if not may_somewhere(actor, Action.ISSUE_TASK, node):
        raise PermissionDenied
    if request.method != "POST":
        return _new_page(request, node)
    post = request.POST
    values: dict[str, Any] = {k: str(post.get(k, ""))[:5000] for k in FIELDS}
    addressees = [str(a)[:500] for a in post.getlist("addressee")[:10]]
    values["addressees"] = addressees + [""] * max(0, ADDRESSEE_FIELDS - len(addressees))
    try:
        texts = [parse_text(a, "addressee", max_length=500) for a in addressees]
        items = parse_text(post.get("items"), "items", max_length=10_000, multiline=True)
        deadline = date_or_none(post.get("deadline"))
        if post.get("deadline") and deadline is None:
            raise EdgeError("deadline", _("Enter the deadline as a date."))
        region_id = id_or_none(post.get("region"))
        task = project_task_issue(
            actor=actor,
            node=node,
            addressees=texts,
            required_items=items.splitlines(),
            deadline=deadline,
            contact=parse_text(post.get("contact"), "contact", max_length=2000, multiline=True),
            prepared_by_name=parse_text(post.get("prepared_by_name"), "name", max_length=300),
            prepared_by_title=parse_text(post.get("prepared_by_title"), "title", max_length=300),
            lang=parse_choice(post.get("lang") or "kk", "lang", ("kk", "ru")),
            region=Region.objects.filter(pk=region_id).first() if region_id else None,
        )
    except (EdgeError, ServiceError) as exc:
        return _new_page(request, node, values=values, errors=[str(exc.message)], status=400)
    messages.success(request, _("The project task has been issued and put on control."))
    return redirect(reverse("control:project-task", args=[task.pk]))


@login_required
@require_POST
def key_event_control(request: HttpRequest, node_id: int) -> HttpResponse:
    actor = actor_of(request)
    event = access_program_node(actor, node_id)
    try:
        owner = parse_text(request.POST.get("owner"), "owner", max_length=500)
        task = key_event_put_on_control(actor=actor, event=event, owner=owner)
    except (EdgeError, ServiceError) as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("programs:node", args=[event.pk]))
    messages.success(request, _("The key event has been put on control."))
    return redirect(reverse("control:project-task", args=[task.pk]))


@login_required
@require_GET
def project_task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    actor = actor_of(request)
    task = access_project_task(actor, task_id)
    obligations = list(
        Obligation.objects.filter(project_task=task)
        .select_related("organisation", "lead_obligation")
        .order_by("lead_obligation_id", "id")
    )
    rows = [{"obligation": o, "status": status_of(o)} for o in obligations]
    return render(
        request,
        "control/project_task.html",
        {
            "task": task,
            "rows": rows,
            "addressees": list(task.addressees.select_related("organisation")),
            "path": _path(task.node),
            "manages": can_review_task(actor, task),
        },
    )


def _path(node: ProgramNode) -> list[ProgramNode]:
    chain: list[ProgramNode] = []
    current: ProgramNode | None = node
    while current is not None:
        chain.insert(0, current)
        current = current.parent
    return chain


@login_required
@require_POST
def project_task_withdraw_view(request: HttpRequest, task_id: int) -> HttpResponse:
    actor = actor_of(request)
    task = access_project_task(actor, task_id)
    try:
        reason = parse_text(request.POST.get("reason"), "reason", max_length=2000, multiline=True)
        project_task_withdraw(actor=actor, task=task, reason=reason)
    except (EdgeError, ServiceError) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The project task has been withdrawn."))
    return redirect(reverse("control:project-task", args=[task.pk]))


@login_required
@require_GET
def project_task_print(request: HttpRequest, task_id: int, fmt: str, lang: str) -> HttpResponse:
    task = access_project_task(actor_of(request), task_id)
    if fmt not in ("docx", "pdf") or lang not in ("kk", "ru"):
        raise Http404
    form = printing.task_form(task, lang)
    if fmt == "docx":
        data = printing.write_docx(form)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        data = printing.write_pdf(form)
        content_type = "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    name = f"project-task-{task.pk}-{lang}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
