"""Giving people project roles on a program's tree and taking them back."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import Region, User
from jospar.programs.models import Program, ProgramNode, ProgramRole
from jospar.programs.policy import may
from jospar.programs.roles import PROGRAM_WIDE_ROLES, REGIONAL_ROLES, Action, ProjectRole


def _refuse_assign() -> PermissionRefused:
    return PermissionRefused(
        "not_allowed",
        _(
            "Only staff, the customer and the curators of this part of the program may "
            "assign its roles."
        ),
    )


def program_role_assign(
    *,
    actor: User,
    program: Program,
    node: ProgramNode | None,
    user: User,
    role: str,
    region: Region | None = None,
) -> ProgramRole:
    if role not in ProjectRole.values:
        message = _("Choose a project role.")
        raise ServiceError("role_required", message, {"role": [message]})
    if node is not None and node.program_id != program.pk:
        raise ServiceError("wrong_node", _("The node is not in this program."))
    if role in PROGRAM_WIDE_ROLES and node is not None:
        message = _("This role is given on the whole program, not on one of its nodes.")
        raise ServiceError("program_wide_role", message, {"role": [message]})
    if role not in PROGRAM_WIDE_ROLES and node is None:
        message = _("This role is given on a node of the program.")
        raise ServiceError("node_role", message, {"role": [message]})
    if role in REGIONAL_ROLES and region is None:
        message = _("A regional role needs its region.")
        raise ServiceError("region_required", message, {"region": [message]})
    if role not in REGIONAL_ROLES and region is not None:
        message = _("Only the regional roles are given for a region.")
        raise ServiceError("region_not_allowed", message, {"region": [message]})
    region_id = region.pk if region is not None else None
    if not may(actor, Action.ASSIGN_ROLES, program=program, node=node, region_id=region_id):
        raise _refuse_assign()
    if not user.is_active:
        message = _("This person's account is not active.")
        raise ServiceError("inactive_user", message, {"user": [message]})
    with transaction.atomic():
        exists = (
            ProgramRole.objects.select_for_update()
            .filter(program=program, node=node, user=user, role=role, region=region)
            .filter(in_force=True)
            .exists()
        )
        if exists:
            raise Conflict("already_assigned", _("This person already holds this role here."))
        grant = ProgramRole.objects.create(
            program=program,
            node=node,
            user=user,
            role=role,
            region=region,
            assigned_by=actor,
        )
        audit_record(
            actor=actor,
            action="program.role_assigned",
            object_type="programs.ProgramRole",
            object_id=grant.pk,
            after={
                "program": program.pk,
                "node": node.pk if node is not None else None,
                "user": user.pk,
                "role": role,
                "region": region_id,
            },
        )
    return grant


def program_role_revoke(*, actor: User, grant: ProgramRole) -> ProgramRole:
    if not may(
        actor,
        Action.ASSIGN_ROLES,
        program=grant.program,
        node=grant.node,
        region_id=grant.region_id,
    ):
        raise _refuse_assign()
    with transaction.atomic():
        locked = ProgramRole.objects.select_for_update().get(pk=grant.pk)
        if not locked.in_force:
            return locked
        locked.in_force = False
        locked.save(update_fields=["in_force"])
        audit_record(
            actor=actor,
            action="program.role_revoked",
            object_type="programs.ProgramRole",
            object_id=locked.pk,
            before={"in_force": True},
            after={"in_force": False},
        )
    return locked
