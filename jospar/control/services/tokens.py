"""API tokens for document-management systems: issued and revoked by an administrator.

A token stands for one user (usually a service account of an executor's organisation or of a
controlling department); the API then lets it do exactly what that user may do. The key itself
is never written to the audit log.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused
from jospar.core.models import User


def _require_administrator(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_administrator):
        raise PermissionRefused("forbidden", _("Only an administrator may issue API tokens."))


def api_token_issue(*, actor: User, user: User, reason: str = "") -> Token:
    """A new token for the user; any earlier one stops working at once."""
    _require_administrator(actor)
    if not user.is_active:
        raise Conflict("inactive_user", _("This user is inactive and cannot be given a token."))
    with transaction.atomic():
        replaced = Token.objects.filter(user=user).delete()[0] > 0
        token = Token.objects.create(user=user)
        audit_record(
            actor=actor,
            action="api_token.issued",
            object_type="core.user",
            object_id=user.pk,
            after={"replaced_previous": replaced},
            reason=reason,
        )
    return token


def api_token_revoke(*, actor: User, user: User, reason: str = "") -> bool:
    _require_administrator(actor)
    with transaction.atomic():
        deleted = Token.objects.filter(user=user).delete()[0] > 0
        if deleted:
            audit_record(
                actor=actor,
                action="api_token.revoked",
                object_type="core.user",
                object_id=user.pk,
                reason=reason,
            )
    return deleted
