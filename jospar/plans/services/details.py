"""Correcting a saved plan's own details: its title in either language, when the text gave
none (the file's name stood in) or gave it wrongly."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.planparser.corrections import MAX_TITLE_CHARS
from jospar.planparser.textutil import fold
from jospar.plans.access import can_import_plans
from jospar.plans.models import Plan


def plan_title_set(*, actor: User, plan: Plan, lang: str, title: str, reason: str = "") -> Plan:
    """Correct the plan's title in ``lang`` ("kk" or "ru"). Only those who may import plans
    may; the old and the new title go to the audit log."""
    if not can_import_plans(actor):
        raise PermissionRefused("forbidden", _("Only an administrator may correct a plan's title."))
    if lang not in ("kk", "ru"):
        message = _("Choose Kazakh or Russian.")
        raise ServiceError("invalid_lang", message, {"lang": [message]})
    text = fold(title)
    if not text:
        message = _("A plan needs a title.")
        raise ServiceError("empty_value", message, {"title": [message]})
    if len(text) > MAX_TITLE_CHARS:
        message = _("The new text is longer than %(limit)s characters.") % {
            "limit": MAX_TITLE_CHARS
        }
        raise ServiceError("value_too_long", message, {"title": [message]})
    field = f"title_{lang}"
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = getattr(plan, field)
        if before == text:
            return plan
        setattr(plan, field, text)
        plan.save(update_fields=[field])
        audit_record(
            actor=actor,
            action="plan.title_set",
            object_type="plans.Plan",
            object_id=plan.pk,
            before={field: before},
            after={field: text},
            reason=reason,
        )
    return plan
