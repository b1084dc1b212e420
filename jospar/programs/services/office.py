"""A project's own control: its declared status (with a reason when it is not on track, and its
history), its risk register and the order of its board's cards. Each a service with its audit
row in its transaction; who may: `office_policy.may_manage_project`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.programs.models import (
    BoardCard,
    DeclaredStatus,
    NodeStatus,
    ProgramNode,
    ProjectTask,
    Risk,
)
from jospar.programs.office_policy import may_manage_project

REASON_MAX = 4000
TITLE_MAX = 500
RESPONSE_MAX = 4000
BOARD_MAX = 1000


def _refuse() -> PermissionRefused:
    return PermissionRefused(
        "not_project_manager",
        _("Only the head or a manager of this project may do this."),
    )


def _field(code: str, field: str, message: str) -> ServiceError:
    return ServiceError(code, message, {field: [message]})


def project_status_set(*, actor: User, node: ProgramNode, status: str, reason: str) -> NodeStatus:
    """Declare the project on track, at risk or off track; a reason is required unless on
    track. Each declaration is kept (who, when, why): the latest is the project's status."""
    if status not in DeclaredStatus.values:
        raise _field("status_required", "status", _("Choose the project's status."))
    reason = (reason or "").strip()
    if status != DeclaredStatus.ON_TRACK and not reason:
        raise _field("reason_required", "reason", _("Say why the project is not on track."))
    if len(reason) > REASON_MAX:
        raise _field("reason_too_long", "reason", _("The reason is too long."))
    if not may_manage_project(actor, node):
        raise _refuse()
    with transaction.atomic():
        ProgramNode.objects.select_for_update().filter(pk=node.pk).first()
        previous = NodeStatus.objects.filter(node=node).order_by("-id").first()
        row = NodeStatus.objects.create(node=node, status=status, reason=reason, set_by=actor)
        audit_record(
            actor=actor,
            action="program.status_declared",
            object_type="programs.ProgramNode",
            object_id=node.pk,
            before={"status": previous.status if previous else None},
            after={"status": status, "declaration": row.pk},
            reason=reason,
        )
    return row


def _risk_values(
    title: str,
    probability: int | None,
    impact: int | None,
    response: str,
    review_on: dt.date | None,
) -> dict[str, object]:
    title = (title or "").strip()
    if not title:
        raise _field("title_required", "title", _("Name the risk."))
    if len(title) > TITLE_MAX:
        raise _field("title_too_long", "title", _("The risk's name is too long."))
    for name, value in (("probability", probability), ("impact", impact)):
        if value is None or not 1 <= value <= 5:
            raise _field("scale", name, _("Give a whole number from 1 to 5."))
    if review_on is None:
        raise _field("review_required", "review_on", _("Give the date of the next review."))
    response = (response or "").strip()
    if len(response) > RESPONSE_MAX:
        raise _field("response_too_long", "response", _("The response is too long."))
    return {
        "title": title,
        "probability": probability,
        "impact": impact,
        "response": response,
        "review_on": review_on,
    }


def _snapshot(risk: Risk) -> dict[str, object]:
    return {
        "title": risk.title,
        "probability": risk.probability,
        "impact": risk.impact,
        "owner": risk.owner_id,
        "response": risk.response,
        "review_on": risk.review_on.isoformat(),
        "is_open": risk.is_open,
    }


def risk_add(
    *,
    actor: User,
    node: ProgramNode,
    title: str,
    probability: int | None,
    impact: int | None,
    owner: User | None,
    response: str,
    review_on: dt.date | None,
) -> Risk:
    values = _risk_values(title, probability, impact, response, review_on)
    if owner is None or not owner.is_active:
        raise _field("owner_required", "owner", _("Choose the risk's owner."))
    if not may_manage_project(actor, node):
        raise _refuse()
    with transaction.atomic():
        risk = Risk.objects.create(node=node, owner=owner, created_by=actor, **values)
        audit_record(
            actor=actor,
            action="program.risk_added",
            object_type="programs.Risk",
            object_id=risk.pk,
            after={"node": node.pk, **_snapshot(risk)},
        )
    return risk


def risk_edit(
    *,
    actor: User,
    risk: Risk,
    title: str,
    probability: int | None,
    impact: int | None,
    owner: User | None,
    response: str,
    review_on: dt.date | None,
) -> Risk:
    values = _risk_values(title, probability, impact, response, review_on)
    if owner is None or not owner.is_active:
        raise _field("owner_required", "owner", _("Choose the risk's owner."))
    if not may_manage_project(actor, risk.node):
        raise _refuse()
    with transaction.atomic():
        locked = Risk.objects.select_for_update().get(pk=risk.pk)
        if not locked.is_open:
            raise Conflict("risk_closed", _("This risk is closed: it is no longer edited."))
        before = _snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.owner = owner
        locked.save()
        audit_record(
            actor=actor,
            action="program.risk_changed",
            object_type="programs.Risk",
            object_id=locked.pk,
            before=before,
            after=_snapshot(locked),
        )
    return locked


def risk_close(*, actor: User, risk: Risk, note: str) -> Risk:
    note = (note or "").strip()
    if not note:
        raise _field("note_required", "note", _("Say why the risk is closed."))
    if len(note) > REASON_MAX:
        raise _field("note_too_long", "note", _("The note is too long."))
    if not may_manage_project(actor, risk.node):
        raise _refuse()
    with transaction.atomic():
        locked = Risk.objects.select_for_update().get(pk=risk.pk)
        if not locked.is_open:
            return locked
        locked.is_open = False
        locked.closed_note = note
        locked.closed_at = timezone.now()
        locked.save(update_fields=["is_open", "closed_note", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="program.risk_closed",
            object_type="programs.Risk",
            object_id=locked.pk,
            before={"is_open": True},
            after={"is_open": False},
            reason=note,
        )
    return locked


def board_order_set(
    *, actor: User, node: ProgramNode, task_ids: list[int], allowed: set[int]
) -> list[int]:
    """Put these cards (one column's, in their new order) in the order given: they take the
    places the same cards held, so the other columns' cards do not move. `allowed` are the
    tasks on the project's board (the caller reads them)."""
    if not may_manage_project(actor, node):
        raise _refuse()
    ids = list(dict.fromkeys(task_ids))
    if not ids or len(ids) > BOARD_MAX or not set(ids) <= allowed:
        raise ServiceError("wrong_cards", _("These cards are not on this board."))
    with transaction.atomic():
        cards = {
            c.task_id: c
            for c in BoardCard.objects.select_for_update().filter(node=node, task_id__in=ids)
        }
        top = max(BoardCard.objects.filter(node=node).values_list("position", flat=True), default=0)
        slots = sorted(c.position for c in cards.values())
        # Cards never placed go after the placed ones, in the order given.
        slots += [top + 1 + i for i in range(len(ids) - len(slots))]
        before = {t: cards[t].position for t in ids if t in cards}
        existing = {t.pk for t in ProjectTask.objects.filter(pk__in=ids).only("pk")}
        for task_id, position in zip(ids, slots, strict=True):
            if task_id not in existing:
                continue
            card = cards.get(task_id)
            if card is None:
                BoardCard.objects.create(node=node, task_id=task_id, position=position)
            elif card.position != position:
                card.position = position
                card.save(update_fields=["position"])
        audit_record(
            actor=actor,
            action="program.board_ordered",
            object_type="programs.ProgramNode",
            object_id=node.pk,
            before={"positions": {str(k): v for k, v in before.items()}},
            after={"order": ids},
        )
    return ids
