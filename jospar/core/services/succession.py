"""Successions between bodies, recorded by an administrator: the directory invents no history."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import Organisation, Succession, SuccessionKind, User
from jospar.core.services._common import live, org_snapshot, require_administrator, snapshot

_SUCCESSION_FIELDS = ("predecessor", "successor", "kind", "on_date", "basis", "recorded_by")
# These end the predecessor; after a transfer of functions it usually goes on existing.
_ENDING_KINDS = (SuccessionKind.RENAMED, SuccessionKind.MERGED, SuccessionKind.SPLIT)


def _reaches(start: Organisation, target: Organisation) -> bool:
    """Whether ``target`` is ``start`` or follows it in the recorded successions."""
    seen: set[int] = set()
    frontier = [start.pk]
    while frontier:
        current = frontier.pop()
        if current == target.pk:
            return True
        if current in seen:
            continue
        seen.add(current)
        frontier.extend(
            Succession.objects.filter(predecessor_id=current).values_list("successor_id", flat=True)
        )
    return False


def succession_record(
    *,
    actor: User,
    predecessor: Organisation,
    successor: Organisation,
    kind: str,
    on_date: dt.date | None,
    basis: str,
) -> Succession:
    """An administrator records that a body's functions passed to another on a date.

    When the predecessor ends by it (renamed, merged, split) and its end date is empty, it ends
    the day before; a renamed body's new identity starts that day. A transfer of functions
    leaves the predecessor's dates alone: it usually goes on existing.
    """
    require_administrator(actor)
    if kind not in SuccessionKind.values:
        raise ServiceError(
            "invalid_kind",
            _("Unknown kind of succession: %(kind)s") % {"kind": kind},
            {"kind": [_("Choose one of the listed kinds.")]},
        )
    with transaction.atomic():
        predecessor = Organisation.objects.select_for_update().get(pk=predecessor.pk)
        successor = Organisation.objects.select_for_update().get(pk=successor.pk)
        if predecessor.pk == successor.pk:
            raise ServiceError(
                "succession_self",
                _("A body cannot succeed itself."),
                {"successor": [_("Choose another organisation.")]},
            )
        for org in (predecessor, successor):
            if org.merged_into_id is not None:
                raise ServiceError(
                    "merged_record",
                    _("“%(org)s” was merged into “%(live)s”; record the succession on that record.")
                    % {"org": org, "live": live(org)},
                )
        if _reaches(successor, predecessor):
            raise ServiceError(
                "succession_cycle",
                _(
                    "“%(successor)s” already precedes “%(predecessor)s”: this link would make a "
                    "circle."
                )
                % {"successor": successor, "predecessor": predecessor},
                {"successor": [_("The succession would loop back.")]},
            )
        if Succession.objects.filter(
            predecessor=predecessor, successor=successor, kind=kind
        ).exists():
            raise ServiceError("succession_exists", _("This succession is already recorded."))
        before = {"predecessor": org_snapshot(predecessor), "successor": org_snapshot(successor)}
        succession = Succession.objects.create(
            predecessor=predecessor,
            successor=successor,
            kind=kind,
            on_date=on_date,
            basis=basis.strip()[:500],
            recorded_by=actor,
        )
        if on_date is not None and kind in _ENDING_KINDS and predecessor.valid_to is None:
            predecessor.valid_to = on_date - dt.timedelta(days=1)
            predecessor.save(update_fields=["valid_to"])
        if on_date is not None and kind == SuccessionKind.RENAMED and successor.valid_from is None:
            successor.valid_from = on_date
            successor.save(update_fields=["valid_from"])
        audit_record(
            actor=actor,
            action="succession.recorded",
            object_type="core.succession",
            object_id=succession.pk,
            before=before,
            after={
                **snapshot(succession, _SUCCESSION_FIELDS),
                "predecessor": org_snapshot(predecessor),
                "successor": org_snapshot(successor),
            },
            reason=basis,
        )
    return succession


def succession_remove(*, actor: User, succession: Succession, reason: str) -> None:
    """An administrator withdraws a succession recorded by mistake. Dates it set stay: they
    may have been right on their own, and the audit row shows them."""
    require_administrator(actor)
    with transaction.atomic():
        before = snapshot(succession, _SUCCESSION_FIELDS)
        pk = succession.pk
        succession.delete()
        audit_record(
            actor=actor,
            action="succession.removed",
            object_type="core.succession",
            object_id=pk,
            before=before,
            reason=reason,
        )
