"""Saving a plan revision and re-deriving its control schedule, as one change.

The plans app saves texts and revisions and knows nothing of obligations; what an activity owes
is this app's. Every path that changes a plan's activities (an import by the command, the API or
the web upload; an amending act; the controlling department) goes through a service of this
module, which saves through the plans app and syncs the obligations in one transaction, keeping
the discipline counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import CountsKept, counts_after, counts_before, counts_kept
from jospar.control.services.schedule import obligations_sync_for_plan
from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused
from jospar.core.models import Organisation, User
from jospar.planparser.model import Lang
from jospar.plans.importing import plan_parse_file
from jospar.plans.models import Plan, PlanAmendment, PlanUpload, PlanUploadStatus
from jospar.plans.services.amendments import act_of, plan_amendment_revision_save
from jospar.plans.services.revisions import ImportOutcome, plan_find_for_text, plan_revision_save
from jospar.plans.services.upload import OBJECT_TYPE as UPLOAD_OBJECT_TYPE
from jospar.plans.services.upload import (
    _check_period,
    _parse_file,
    _require_draft,
    _require_importer,
)


def act_reason(act: dict[str, object]) -> str:
    """The reason an obligation left control, naming the amending act."""
    date = str(act.get("date") or "")
    try:
        shown = dt.date.fromisoformat(date).strftime("%d.%m.%Y")
    except ValueError:
        shown = date
    return _("Removed by the amending act № %(number)s of %(date)s: %(title)s") % {
        "number": act.get("number") or "—",
        "date": shown or "—",
        "title": str(act.get("title") or "")[:500],
    }


def plan_amendment_apply(*, actor: User, amendment: PlanAmendment) -> ImportOutcome:
    """Apply a checked amending act: one new revision of the plan that records the act, and the
    control schedule derived again (withdrawn obligations name the act; accepted reports stay).
    All or nothing: a change that cannot be placed refuses the whole act."""
    with transaction.atomic():
        plan = amendment.plan
        kept = counts_before(Q(activity__plan_id=plan.pk))
        outcome = plan_amendment_revision_save(actor=actor, amendment=amendment)
        act = act_of(amendment)
        sync = obligations_sync_for_plan(
            actor=actor,
            plan=outcome.plan,
            keep_counts=False,
            reason=act_reason(act),
            keep_accepted=True,
        )
        counts_after(kept)
        outcome.obligations_created = sync.created
        outcome.obligations_withdrawn = sync.withdrawn
        audit_record(
            actor=actor,
            action="plan_amendment.applied",
            object_type="plans.PlanAmendment",
            object_id=amendment.pk,
            after={
                "plan": plan.pk,
                "revision": outcome.revision.pk if outcome.revision else None,
                "act": act,
                "changes": len(outcome.changes),
                "obligations_created": sync.created,
                "obligations_withdrawn": sync.withdrawn,
            },
        )
    return outcome


def plan_import(
    *,
    actor: User | None,
    parsed: dict[str, Any],
    source_text: str,
    filename: str,
    corrections: list[dict[str, Any]] | None = None,
    target_plan: Plan | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Save a parsed plan text (a plan, a language version or a revision) and derive its
    control schedule, all or nothing: the one path of the command, the API and the web."""
    with transaction.atomic():
        found = target_plan or plan_find_for_text(parsed, source_text, corrections)
        # Before anything changes: activities leave force in the save, obligations in the sync.
        kept = counts_before(Q(activity__plan_id=found.pk)) if found is not None else None
        outcome = plan_revision_save(
            actor=actor,
            parsed=parsed,
            source_text=source_text,
            filename=filename,
            corrections=corrections,
            target_plan=target_plan,
            progress=progress,
        )
        if outcome.unchanged:
            return outcome
        sync = obligations_sync_for_plan(actor=actor, plan=outcome.plan, keep_counts=False)
        if kept is None or found is None or found.pk != outcome.plan.pk:
            kept = CountsKept(where=Q(activity__plan_id=outcome.plan.pk), before={})
        counts_after(kept)
        outcome.obligations_created = sync.created
        outcome.obligations_withdrawn = sync.withdrawn
    return outcome


def plan_file_import(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    lang: Lang | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    target_plan: Plan | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Parse a file and save it with its schedule (the command, the demo)."""
    parsed, text = plan_parse_file(data=data, filename=filename, lang=lang, period=period)
    return plan_import(
        actor=actor,
        parsed=parsed,
        source_text=text,
        filename=filename,
        target_plan=target_plan,
        progress=progress,
    )


def plan_upload_save(*, actor: User, upload: PlanUpload) -> ImportOutcome:
    """Save the corrected draft as a plan, a language version or a revision; all or nothing."""
    _require_importer(actor)
    with transaction.atomic():
        upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
        _require_draft(upload)
        outcome = plan_import(
            actor=actor,
            parsed=upload.parsed,
            source_text=upload.source_text,
            filename=upload.filename,
            corrections=upload.corrections,
            target_plan=upload.target_plan,
        )
        upload.status = PlanUploadStatus.SAVED
        upload.saved_revision = outcome.revision
        upload.target_plan = outcome.plan
        upload.save(update_fields=["status", "saved_revision", "target_plan"])
        audit_record(
            actor=actor,
            action="plan_upload.saved",
            object_type=UPLOAD_OBJECT_TYPE,
            object_id=upload.pk,
            after={
                "plan": outcome.plan.pk,
                "revision": outcome.revision.pk if outcome.revision else None,
                "unchanged": outcome.unchanged,
                "corrections": len(upload.corrections),
            },
        )
    return outcome


def plan_import_file(
    *,
    actor: User,
    data: bytes,
    filename: str,
    lang: Lang | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    target_plan: Plan | None = None,
) -> ImportOutcome:
    """Parse and save a file at once, with no review (the API, for systems that send plans)."""
    _require_importer(actor)
    _check_period(period)
    parsed, text = _parse_file(data=data, filename=filename, lang=lang, period=period)
    return plan_import(
        actor=actor, parsed=parsed, source_text=text, filename=filename, target_plan=target_plan
    )


def plan_controller_set(
    *, actor: User, plan: Plan, organisation: Organisation | None, reason: str = ""
) -> Plan:
    """Assign the department that controls the plan (or none: every controller sees it)."""
    if not (actor.is_authenticated and actor.is_administrator):
        raise PermissionRefused(
            "forbidden", _("Only an administrator may assign the controlling department.")
        )
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = plan.controller_organisation_id
        after = organisation.pk if organisation is not None else None
        if before == after:
            return plan
        # The counts are kept per controlling department: the plan's move to the new one.
        with counts_kept(Q(activity__plan=plan)):
            plan.controller_organisation = organisation
            plan.save(update_fields=["controller_organisation"])
        audit_record(
            actor=actor,
            action="plan.controller_set",
            object_type="plans.Plan",
            object_id=plan.pk,
            before={"controller_organisation": before},
            after={"controller_organisation": after},
            reason=reason,
        )
    return plan
