"""What the directory services share: snapshots for the audit log, the permission check, and
the few rules about organisation records every module needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from jospar.core.errors import PermissionRefused
from jospar.core.models import Organisation, User

ORG_FIELDS = (
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "abbr_kk",
    "abbr_ru",
    "parent",
    "region",
    "valid_from",
    "valid_to",
    "merged_into",
)
NAME_FIELDS = ("name_kk", "name_ru", "name_en", "abbr_kk", "abbr_ru")


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields as JSON-ready values; a foreign key as its id."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(obj, attname)
        out[attname] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def require_administrator(actor: User | None) -> User:
    if actor is None or not actor.is_authenticated or not actor.is_administrator:
        raise PermissionRefused(
            "forbidden", _("Only an administrator may change the directory this way.")
        )
    return actor


def org_snapshot(org: Organisation) -> dict[str, Any]:
    return snapshot(org, ORG_FIELDS)


def live(org: Organisation) -> Organisation:
    """The record a merged duplicate now stands for."""
    seen = {org.pk}
    while org.merged_into_id is not None:
        org = Organisation.objects.get(pk=org.merged_into_id)
        if org.pk in seen:
            break
        seen.add(org.pk)
    return org


def earlier(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return min(a, b) if a and b else (a or b)


def later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return max(a, b) if a and b else (a or b)
