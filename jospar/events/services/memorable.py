"""The administrator's list of the state's memorable dates (kept in the admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.services._common import require_administrator
from jospar.events.models import MemorableDate
from jospar.events.services._common import clean_text


def memorable_date_save(*, actor: Any, row: MemorableDate) -> MemorableDate:
    require_administrator(actor)
    try:
        dt.date(2024, int(row.month), int(row.day))  # a leap year: 29 February is a date
    except (TypeError, ValueError):
        message = _("Enter a real day of the year.")
        raise ServiceError("bad_date", message, {"day": [message]}) from None
    row.name_kk = clean_text(row.name_kk, "name_kk", max_length=200)
    row.name_ru = clean_text(row.name_ru, "name_ru", max_length=200)
    row.name_en = clean_text(row.name_en, "name_en", required=False, max_length=200)
    with transaction.atomic():
        created = row.pk is None
        row.save()
        audit_record(
            actor=actor,
            action="memorable_date.added" if created else "memorable_date.changed",
            object_type="events.memorabledate",
            object_id=row.pk,
            after={"month": row.month, "day": row.day, "name_kk": row.name_kk},
        )
    return row


def memorable_date_remove(*, actor: Any, row: MemorableDate) -> None:
    require_administrator(actor)
    with transaction.atomic():
        pk = row.pk
        before = {"month": row.month, "day": row.day, "name_kk": row.name_kk}
        row.delete()
        audit_record(
            actor=actor,
            action="memorable_date.removed",
            object_type="events.memorabledate",
            object_id=pk,
            before=before,
        )
