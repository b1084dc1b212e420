"""Project roles on a program and on a node: who holds which, and assigning them (staff, the
customer and the curators, as `policy.may(..., ASSIGN_ROLES, ...)` decides)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jospar.core.edge import EdgeError, id_or_none, parse_choice, parse_text
from jospar.core.errors import ServiceError
from jospar.core.models import Region, User
from jospar.programs.access import access_program, access_program_node, access_program_role
from jospar.programs.models import Program, ProgramNode, ProgramRole
from jospar.programs.policy import may
from jospar.programs.roles import (
    PROGRAM_WIDE_ROLES,
    REGIONAL_ROLES,
    ROLE_ACTIONS,
    Action,
    ProjectRole,
)
from jospar.programs.selectors import node_path
from jospar.programs.services.roles import program_role_assign, program_role_revoke


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _choices(node: ProgramNode | None) -> list[tuple[str, str]]:
    wide = node is None
    return [
        (v, str(label)) for v, label in ProjectRole.choices if (v in PROGRAM_WIDE_ROLES) == wide
    ]


def _page(
    request: HttpRequest,
    program: Program,
    node: ProgramNode | None,
    *,
    errors: list[str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    grants = (
        ProgramRole.objects.filter(program=program, node=node, in_force=True)
        .select_related("user", "user__organisation", "region")
        .order_by("role", "user__username")
    )
    actions = dict(Action.choices)
    roles = [
        {
            "value": v,
            "label": label,
            "regional": v in REGIONAL_ROLES,
            "actions": [actions[a] for a in Action.values if a in ROLE_ACTIONS[v]],
        }
        for v, label in _choices(node)
    ]
    return render(
        request,
        "programs/roles.html",
        {
            "program": program,
            "node": node,
            "path": node_path(node) if node is not None else [],
            "grants": grants,
            "roles": roles,
            "regions": Region.objects.order_by("name_kk", "pk"),
            "can_assign": may(actor, Action.ASSIGN_ROLES, program=program, node=node)
            or any(
                may(actor, Action.ASSIGN_ROLES, program=program, node=node, region_id=r)
                for r in _regions_of(actor, program)
            ),
            "errors": errors or [],
            "values": values or {},
        },
        status=status,
    )


def _regions_of(actor: User, program: Program) -> set[int]:
    return set(
        ProgramRole.objects.filter(
            user=actor, program=program, in_force=True, region__isnull=False
        ).values_list("region_id", flat=True)
    )


def _assign(request: HttpRequest, program: Program, node: ProgramNode | None) -> HttpResponse:
    actor = _actor(request)
    values = {k: str(request.POST.get(k, ""))[:200] for k in ("username", "role", "region")}
    try:
        username = parse_text(request.POST.get("username"), "username", max_length=150)
        role = parse_choice(request.POST.get("role"), "role", [v for v, _l in _choices(node)])
        region_id = id_or_none(request.POST.get("region"))
        person = User.objects.filter(username=username).first()
        if person is None:
            raise ServiceError("unknown_user", _("No person has this user name."))
        region = Region.objects.filter(pk=region_id).first() if region_id else None
        program_role_assign(
            actor=actor, program=program, node=node, user=person, role=role, region=region
        )
    except (EdgeError, ServiceError) as exc:
        return _page(request, program, node, errors=[str(exc.message)], values=values, status=400)
    messages.success(request, _("The role has been assigned."))
    return redirect(request.path)


@login_required
@require_http_methods(["GET", "POST"])
def program_roles(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program(_actor(request), program_id)
    if request.method == "POST":
        return _assign(request, program, None)
    return _page(request, program, None)


@login_required
@require_http_methods(["GET", "POST"])
def node_roles(request: HttpRequest, node_id: int) -> HttpResponse:
    node = access_program_node(_actor(request), node_id)
    if request.method == "POST":
        return _assign(request, node.program, node)
    return _page(request, node.program, node)


@login_required
@require_POST
def role_revoke(request: HttpRequest, role_id: int) -> HttpResponse:
    actor = _actor(request)
    grant = access_program_role(actor, role_id)
    try:
        program_role_revoke(actor=actor, grant=grant)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The role has been taken back."))
    if grant.node_id is not None:
        return redirect(reverse("programs:node-roles", args=[grant.node_id]))
    return redirect(reverse("programs:roles", args=[grant.program_id]))
