"""Who may do what: users' organisations and roles, changed by an administrator."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import Role, RoleGrant, User
from jospar.core.services._common import require_administrator, snapshot

_USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "organisation",
    "language",
    "email_notifications",
)


def _user_snapshot(user: User) -> dict[str, Any]:
    return snapshot(user, _USER_FIELDS)


def user_save(*, actor: User, user: User, reason: str = "") -> User:
    """Save a user an administrator created or edited (in the admin), with an audit row. The
    password hash is never logged: only whether it changed."""
    require_administrator(actor)
    with transaction.atomic():
        stored = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
        before = _user_snapshot(stored) if stored is not None else None
        password_changed = stored is None or stored.password != user.password
        user.save()
        after = _user_snapshot(user)
        if before == after and not password_changed:
            return user
        audit_record(
            actor=actor,
            action="user.created" if stored is None else "user.updated",
            object_type="core.user",
            object_id=user.pk,
            before=before,
            after={**after, "password_changed": password_changed},
            reason=reason,
        )
    return user


def role_grant(*, actor: User, user: User, role: str, reason: str = "") -> RoleGrant:
    require_administrator(actor)
    if role not in Role.values:
        raise ServiceError(
            "invalid_role",
            _("Unknown role: %(role)s") % {"role": role},
            {"role": [_("Choose one of the listed roles.")]},
        )
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, defaults={"granted_by": actor}
        )
        if created:
            audit_record(
                actor=actor,
                action="role.granted",
                object_type="core.user",
                object_id=user.pk,
                after={"role": role},
                reason=reason,
            )
    return grant


def role_revoke(*, actor: User, grant: RoleGrant, reason: str = "") -> None:
    require_administrator(actor)
    if grant.user_id == actor.pk and grant.role == Role.ADMINISTRATOR and not actor.is_superuser:
        raise ServiceError(
            "own_administrator_role",
            _("You cannot take away your own administrator role: ask another administrator."),
        )
    with transaction.atomic():
        user_id, role = grant.user_id, grant.role
        deleted, _rows = RoleGrant.objects.filter(pk=grant.pk).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="role.revoked",
                object_type="core.user",
                object_id=user_id,
                before={"role": role},
                reason=reason,
            )


def user_password_set(*, actor: User | None, user: User, password: str, how: str) -> User:
    """A user's own new password: changed while signed in (``how="changed"``) or set from a
    reset link (``how="reset"``; no one is signed in, so the user is the actor). Audited like
    every change of a user; the hash is never logged."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor or user,
            action=f"user.password_{how}",
            object_type="core.user",
            object_id=user.pk,
            after={"password_changed": True},
        )
    return user
