"""An administrator appoints the region's responsible official for initiatives."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.civic.services._common import require_confirmed
from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import Organisation, Region, Role, User
from jospar.initiatives.models import RegionCoordinator
from jospar.initiatives.services._common import now


def _in_akimat(user: User, region: Region) -> bool:
    akimat_id = Organisation.objects.filter(region=region).values_list("pk", flat=True).first()
    organisation = user.organisation
    depth = 0
    while organisation is not None and depth < 12:
        if organisation.pk == akimat_id:
            return True
        organisation = organisation.parent
        depth += 1
    return False


def coordinator_appoint(*, actor: Any, region: Region, user: User) -> RegionCoordinator:
    """``actor`` is an administrator, or None for the command line (whoever runs
    ``jospar initiatives-official`` on the server is trusted, as with ``load-regions``)."""
    admin = require_confirmed(actor) if actor is not None else None
    if admin is not None and not admin.is_administrator:
        raise PermissionRefused("forbidden", _("Only an administrator appoints the official."))
    if not user.is_active or not user.has_role(Role.CIVIC_OFFICIAL) or not _in_akimat(user, region):
        message = _("The responsible official must be an official of the region's akimat.")
        raise ServiceError("not_official", message, {"user": [message]})
    with transaction.atomic():
        row = RegionCoordinator.objects.select_for_update().filter(region=region).first()
        before = {"user": row.user_id} if row is not None else None
        if row is None:
            row = RegionCoordinator(region=region, user=user, appointed_at=now())
        row.user = user
        row.appointed_at = now()
        row.save()
        audit_record(
            actor=admin,
            action="initiative.coordinator",
            object_type="initiatives.regioncoordinator",
            object_id=row.pk,
            before=before,
            after={"region": region.pk, "user": user.pk},
        )
    return row
