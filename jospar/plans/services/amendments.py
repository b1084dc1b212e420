"""Amending acts of a plan: upload, check and correct the changes, save them as a revision.

An uploaded act is a draft (:class:`PlanAmendment`) holding the changes as read; a person
corrects what was misread (which row, the words, the new cells) or leaves a change out. The
plan's part of applying it, :func:`plan_amendment_revision_save`, writes one new revision that
records the act; re-deriving the control schedule after it is the control app's
(``jospar.control.services.plan_revisions.plan_amendment_apply``), in the same transaction.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.planparser import PlanParseError
from jospar.planparser.amendment import parse_amendment
from jospar.planparser.corrections import MAX_VALUE_CHARS
from jospar.planparser.sources import load
from jospar.planparser.textutil import fold
from jospar.plans.access import can_amend_plan
from jospar.plans.amending import ROW_OPS, AmendedPlan, amend
from jospar.plans.importing import parse_refusal_message
from jospar.plans.models import Plan, PlanAmendment, PlanAmendmentStatus, PlanRevision
from jospar.plans.services.revisions import ImportOutcome, _Importer, _validate

OBJECT_TYPE = "plans.PlanAmendment"
MAX_CELLS = 20


def _require(actor: User, plan: Plan) -> None:
    if not can_amend_plan(actor, plan):
        raise PermissionRefused(
            "forbidden", _("Only the plan's controllers and administrators may amend it.")
        )


def _require_draft(amendment: PlanAmendment) -> None:
    if amendment.status != PlanAmendmentStatus.DRAFT:
        raise Conflict(
            "amendment_closed",
            _("This amending act is %(status)s: it can no longer be changed.")
            % {"status": amendment.get_status_display().lower()},
        )


def current_revision(plan: Plan, lang: str) -> PlanRevision | None:
    return plan.revisions.filter(lang=lang).order_by("-number").first()


def plan_amendment_create(*, actor: User, plan: Plan, data: bytes, filename: str) -> PlanAmendment:
    """Read an uploaded amending act of ``plan`` into a draft of its changes."""
    _require(actor, plan)
    if len(data) > settings.PLAN_UPLOAD_MAX_BYTES:
        raise ServiceError(
            "file_too_large",
            _("The file is %(size)d MB; an act may be at most %(limit)d MB.")
            % {
                "size": len(data) // (1024 * 1024),
                "limit": settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024),
            },
            {"file": []},
        )
    try:
        parsed = parse_amendment(data, filename=filename)
    except PlanParseError as exc:
        message = parse_refusal_message(exc.code, exc.message)
        raise ServiceError(exc.code, message, {"file": [message]}) from exc
    result = parsed.to_json()
    if not result["changes"]:
        message = _("No change in the amending formulas was found in this text.")
        raise ServiceError("no_changes", message, {"file": [message]})
    if current_revision(plan, parsed.lang) is None:
        message = _("The plan has no text in the act's language to amend.")
        raise ServiceError("no_language_version", message, {"file": [message]})
    text = load(data, filename).text.replace("\r\n", "\n")
    with transaction.atomic():
        amendment = PlanAmendment.objects.create(
            plan=plan,
            lang=parsed.lang,
            filename=filename[:255],
            source_text=text,
            parsed=result,
            changes=copy.deepcopy(result["changes"]),
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action="plan_amendment.uploaded",
            object_type=OBJECT_TYPE,
            object_id=amendment.pk,
            after={
                "plan": plan.pk,
                "lang": parsed.lang,
                "file": amendment.filename,
                "act": result["act"],
                "changes": len(result["changes"]),
            },
        )
    return amendment


def _clean(value: str | None, limit: int = MAX_VALUE_CHARS) -> str:
    text = fold(value or "")
    if len(text) > limit:
        raise ServiceError(
            "value_too_long",
            _("The text is longer than %(limit)d characters.") % {"limit": limit},
            {"value": []},
        )
    return text


def plan_amendment_change_correct(
    *,
    actor: User,
    amendment: PlanAmendment,
    index: int,
    skip: bool,
    numbers: str | None = None,
    column: int | None = None,
    old: str | None = None,
    new: str | None = None,
    cells: list[str] | None = None,
) -> PlanAmendment:
    """Correct how one change was read (its rows, column, words or new cells), or leave it
    out. A corrected change has been checked by a person: the reader's doubts on it go."""
    with transaction.atomic():
        amendment = PlanAmendment.objects.select_for_update().get(pk=amendment.pk)
        _require(actor, amendment.plan)
        _require_draft(amendment)
        changes = list(amendment.changes)
        if not 0 <= index < len(changes):
            raise ServiceError("no_such_change", _("The act has no such change."), {"index": []})
        before = copy.deepcopy(changes[index])
        change = dict(changes[index])
        change["skip"] = bool(skip)
        if change.get("op") in ROW_OPS and not skip:
            if numbers is not None:
                found = [fold(n) for n in numbers.replace(";", ",").split(",") if fold(n)]
                if not found or any(len(n) > 32 for n in found):
                    raise ServiceError(
                        "invalid_number", _("Give the row's number."), {"numbers": []}
                    )
                change["number"] = found
            if column is not None:
                change["column"] = column or None
            if old is not None:
                change["old"] = _clean(old) or None
            if new is not None:
                change["new"] = _clean(new) or None
            if cells is not None and change.get("row") is not None:
                if len(cells) > MAX_CELLS:
                    raise ServiceError("too_many_cells", _("Too many cells."), {"cells": []})
                row_cells = [_clean(c) for c in cells]
                change["row"] = {**change["row"], "cells": row_cells}
            change["warnings"] = []
            change["corrected"] = True
        changes[index] = change
        amendment.changes = changes
        amendment.save(update_fields=["changes"])
        audit_record(
            actor=actor,
            action="plan_amendment.change_corrected",
            object_type=OBJECT_TYPE,
            object_id=amendment.pk,
            before={"index": index, "change": before},
            after={"index": index, "change": change},
        )
    return amendment


def plan_amendment_discard(*, actor: User, amendment: PlanAmendment) -> PlanAmendment:
    with transaction.atomic():
        amendment = PlanAmendment.objects.select_for_update().get(pk=amendment.pk)
        _require(actor, amendment.plan)
        _require_draft(amendment)
        amendment.status = PlanAmendmentStatus.DISCARDED
        amendment.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="plan_amendment.discarded",
            object_type=OBJECT_TYPE,
            object_id=amendment.pk,
            after={"status": amendment.status},
        )
    return amendment


def plan_amendment_preview(amendment: PlanAmendment) -> AmendedPlan:
    """Where each change falls on the plan's current text, and what stops it."""
    plan = amendment.plan
    revision = current_revision(plan, amendment.lang)
    base: dict[str, Any] = revision.parsed if revision is not None else {"activities": []}
    return amend(
        base,
        list(amendment.changes),
        approved_on=plan.approved_on.isoformat() if plan.approved_on else None,
        approval_number=plan.approval_number or None,
    )


def act_of(amendment: PlanAmendment) -> dict[str, Any]:
    act = (amendment.parsed or {}).get("act") or {}
    return {
        "title": act.get("title") or "",
        "number": act.get("number") or "",
        "date": act.get("date"),
        "file": amendment.filename,
        "amendment": amendment.pk,
    }


def plan_amendment_revision_save(*, actor: User, amendment: PlanAmendment) -> ImportOutcome:
    """The plan's part of applying an act: one new revision of the act's language version,
    with the changed rows read again by the importer's rules. Refuses, changing nothing, while
    any change cannot be placed. Call inside the caller's transaction (the control app's
    ``plan_amendment_apply``), which re-derives the schedule after it."""
    amendment = PlanAmendment.objects.select_for_update().get(pk=amendment.pk)
    plan = Plan.objects.select_for_update().get(pk=amendment.plan_id)
    _require(actor, plan)
    _require_draft(amendment)
    act = act_of(amendment)
    for revision in plan.revisions.filter(lang=amendment.lang).exclude(act=None):
        applied = revision.act or {}
        if (applied.get("number"), applied.get("date")) == (act["number"], act["date"]):
            raise Conflict(
                "act_already_applied",
                _("This act is already applied to this language version (revision %(n)d).")
                % {"n": revision.number},
            )
    result = plan_amendment_preview(amendment)
    if result.problems:
        raise ServiceError(
            "changes_not_placed",
            _(
                "%(n)d change(s) cannot be placed on the plan; correct or leave them out"
                " before applying. Nothing was changed."
            )
            % {"n": len({index for index, _p in result.problems})},
            {"changes": [str(index) for index, _p in result.problems]},
        )
    if not result.applied:
        raise ServiceError(
            "nothing_to_apply", _("No change of this act applies to the plan's table.")
        )
    _validate(result.parsed)
    previous = current_revision(plan, amendment.lang)
    assert previous is not None
    applied = [p.change for p in result.applied]
    digest = hashlib.sha256(previous.source_sha256.encode())
    digest.update(amendment.source_text.encode("utf-8"))
    digest.update(json.dumps(applied, sort_keys=True, ensure_ascii=False).encode())
    importer = _Importer(
        actor=actor,
        parsed=result.parsed,
        source_text=amendment.source_text,
        filename=amendment.filename,
        corrections=[],
        target_plan=plan,
        act=act,
    )
    importer.sha = digest.hexdigest()
    outcome = importer.run()
    amendment.status = PlanAmendmentStatus.APPLIED
    amendment.revision = outcome.revision
    amendment.save(update_fields=["status", "revision"])
    return outcome
