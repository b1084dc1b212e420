"""Values of indicators: entered on a form of all a region's indicators for a period, submitted
by the region's office, approved or returned (with a comment) by the centre, and corrected
after approval only through a ``Correction`` that keeps both figures.

Every service is one transaction with its audit rows; a refusal changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import Region, User
from jospar.indicators.access import can_touch_region, is_centre
from jospar.indicators.models import (
    Aggregation,
    Correction,
    DataValue,
    Indicator,
    Level,
    Method,
    ValueOrigin,
    ValueState,
)
from jospar.indicators.periods import Period
from jospar.indicators.services._common import (
    SOURCE_MAX,
    TEXT_MAX,
    require_centre,
    value_snapshot,
)

EDITABLE = (ValueState.DRAFT, ValueState.RETURNED)


@dataclass(frozen=True)
class ValueEntry:
    indicator_id: int
    value: Decimal | None  # None: left empty on the form (nothing saved, a draft is removed)
    source: str = ""
    comment: str = ""


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def form_indicators(region: Region | None, period: Period) -> QuerySet[Indicator]:
    """The indicators on the form of a region (None: the national form) for a period: those
    entered by hand at that frequency (not computed, not fed by a survey's wave); nationally,
    those measured nationally or not aggregated."""
    qs = Indicator.objects.filter(active=True, frequency=period.type).exclude(
        method__in=(Method.COMPUTED, Method.SURVEY)
    )
    if region is None:
        return qs.filter(Q(level=Level.NATIONAL) | Q(aggregation=Aggregation.NONE))
    return qs.filter(level=Level.REGION)


def _outside_range(indicator: Indicator, value: Decimal) -> bool:
    low, high = indicator.plausible_min, indicator.plausible_max
    return (low is not None and value < low) or (high is not None and value > high)


def values_save(
    *,
    actor: User,
    region: Region | None,
    period: Period,
    entries: list[ValueEntry],
    confirmed: bool = False,
) -> SaveResult:
    """Save the form: each filled value becomes (or updates) a draft of the region; a value
    outside the indicator's plausible range is refused until the person confirms it. National
    values are entered by the centre and are approved as saved (the centre is the last level)."""
    if not can_touch_region(actor, region.pk if region else None):
        raise PermissionRefused(
            "not_your_region", _("You may enter values of your own region only.")
        )
    allowed = {ind.pk: ind for ind in form_indicators(region, period)}
    unknown = [e.indicator_id for e in entries if e.indicator_id not in allowed]
    if unknown:
        raise ServiceError("not_on_form", _("An indicator is not on this form for this period."))
    fields: dict[str, list[str]] = {}
    too_long = False
    for entry in entries:
        if len(entry.source) > SOURCE_MAX or len(entry.comment) > TEXT_MAX:
            fields[f"i{entry.indicator_id}"] = [_("The source or the comment is too long.")]
            too_long = True
        elif (
            entry.value is not None
            and _outside_range(allowed[entry.indicator_id], entry.value)
            and not confirmed
        ):
            fields[f"i{entry.indicator_id}"] = [
                _("This value is outside the plausible range: check it and confirm.")
            ]
    if fields:
        needs = not too_long
        raise ServiceError(
            "needs_confirmation" if needs else "invalid_entry",
            _("Some values need to be checked and confirmed.")
            if needs
            else _("Some values cannot be saved."),
            fields,
        )
    result = SaveResult()
    now = timezone.now()
    with transaction.atomic():
        existing = {
            v.indicator_id: v
            for v in DataValue.objects.select_for_update().filter(
                indicator_id__in=[e.indicator_id for e in entries],
                period=period.iso,
                region=region,
            )
        }
        for entry in entries:
            current = existing.get(entry.indicator_id)
            if current is not None and current.state not in EDITABLE:
                if entry.value is not None and entry.value == current.current:
                    continue  # the form sent back what is already there
                raise Conflict(
                    "not_editable",
                    _(
                        "The value of %(code)s is %(state)s: it can no longer be changed here"
                        " (an approved value is changed by a correction)."
                    )
                    % {
                        "code": allowed[entry.indicator_id].code,
                        "state": current.get_state_display(),
                    },
                )
            if entry.value is None:
                if current is not None:
                    before: dict[str, Any] | None = value_snapshot(current)
                    removed_pk = current.pk
                    current.delete()
                    audit_record(
                        actor=actor,
                        action="indicator_value.removed",
                        object_type="indicators.datavalue",
                        object_id=removed_pk,
                        before=before,
                    )
                    result.removed.append(entry.indicator_id)
                continue
            state = ValueState.APPROVED if region is None else ValueState.DRAFT
            if current is None:
                current = DataValue(
                    indicator_id=entry.indicator_id,
                    period=period.iso,
                    period_type=period.type,
                    period_start=period.start,
                    region=region,
                    entered_at=now,
                )
                before = None
            else:
                before = value_snapshot(current)
                if (
                    current.value == entry.value
                    and current.source == entry.source
                    and current.comment == entry.comment
                ):
                    continue
            current.value = entry.value
            current.source = entry.source
            current.comment = entry.comment
            current.origin = ValueOrigin.ENTERED
            current.entered_by = actor
            current.entered_at = now
            if region is None:
                current.state = state
                current.reviewed_by, current.reviewed_at = actor, now
            current.save()
            audit_record(
                actor=actor,
                action="indicator_value.saved",
                object_type="indicators.datavalue",
                object_id=current.pk,
                before=before,
                after=value_snapshot(current),
                reason=_("Confirmed outside the plausible range")
                if _outside_range(allowed[entry.indicator_id], entry.value)
                else "",
            )
            result.saved.append(entry.indicator_id)
    return result


def values_submit(*, actor: User, region: Region, period: Period) -> list[int]:
    """Submit the region's drafts and answered returns of the period to the centre."""
    if not can_touch_region(actor, region.pk):
        raise PermissionRefused(
            "not_your_region", _("You may submit values of your own region only.")
        )
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            DataValue.objects.select_for_update().filter(
                region=region, period=period.iso, state__in=EDITABLE
            )
        )
        if not rows:
            raise Conflict("nothing_to_submit", _("There is no draft or returned value to submit."))
        for row in rows:
            before = value_snapshot(row)
            row.state = ValueState.SUBMITTED
            row.submitted_by, row.submitted_at = actor, now
            row.save(update_fields=["state", "submitted_by", "submitted_at"])
            audit_record(
                actor=actor,
                action="indicator_value.submitted",
                object_type="indicators.datavalue",
                object_id=row.pk,
                before=before,
                after=value_snapshot(row),
            )
    return [row.pk for row in rows]


def _for_review(actor: User, value_id: int) -> DataValue:
    require_centre(actor)
    row = DataValue.objects.select_for_update().filter(pk=value_id).first()
    if row is None:
        raise ServiceError("not_found", _("There is no such value."))
    if row.state != ValueState.SUBMITTED:
        raise Conflict(
            "not_submitted",
            _("Only a submitted value is reviewed; this one is %(state)s.")
            % {"state": row.get_state_display()},
        )
    return row


def value_approve(*, actor: User, value_id: int) -> DataValue:
    with transaction.atomic():
        row = _for_review(actor, value_id)
        before = value_snapshot(row)
        row.state = ValueState.APPROVED
        row.review_comment = ""
        row.reviewed_by, row.reviewed_at = actor, timezone.now()
        row.save(update_fields=["state", "review_comment", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action="indicator_value.approved",
            object_type="indicators.datavalue",
            object_id=row.pk,
            before=before,
            after=value_snapshot(row),
        )
    return row


def value_return(*, actor: User, value_id: int, comment: str) -> DataValue:
    comment = comment.strip()
    if not comment:
        raise ServiceError(
            "comment_required",
            _("Say what is to be corrected."),
            {"comment": [_("Say what is to be corrected.")]},
        )
    if len(comment) > TEXT_MAX:
        raise ServiceError("comment_too_long", _("The comment is too long."))
    with transaction.atomic():
        row = _for_review(actor, value_id)
        before = value_snapshot(row)
        row.state = ValueState.RETURNED
        row.review_comment = comment
        row.reviewed_by, row.reviewed_at = actor, timezone.now()
        row.save(update_fields=["state", "review_comment", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action="indicator_value.returned",
            object_type="indicators.datavalue",
            object_id=row.pk,
            before=before,
            after=value_snapshot(row),
            reason=comment,
        )
    return row


def value_correct(
    *, actor: User, value_id: int, value: Decimal, reason: str, source: str = ""
) -> Correction:
    """Correct an approved value: a new ``Correction`` keeps the previous and the new figure;
    the approved row itself is not overwritten. The centre corrects (a region's office asks it)."""
    require_centre(actor)
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            "reason_required",
            _("Give the reason of the correction."),
            {"reason": [_("Give the reason of the correction.")]},
        )
    if len(reason) > TEXT_MAX or len(source) > SOURCE_MAX:
        raise ServiceError("too_long", _("The reason or the source is too long."))
    with transaction.atomic():
        row = DataValue.objects.select_for_update().filter(pk=value_id).first()
        if row is None:
            raise ServiceError("not_found", _("There is no such value."))
        if row.state != ValueState.APPROVED:
            raise Conflict(
                "not_approved", _("Only an approved value is corrected; edit a draft instead.")
            )
        if value == row.current:
            raise Conflict("same_value", _("The corrected value is the same as the current one."))
        before = value_snapshot(row)
        correction = Correction.objects.create(
            data_value=row,
            previous=row.current,
            value=value,
            reason=reason,
            source=source,
            made_by=actor,
            made_at=timezone.now(),
        )
        row.corrected_value = value
        row.save(update_fields=["corrected_value"])
        audit_record(
            actor=actor,
            action="indicator_value.corrected",
            object_type="indicators.datavalue",
            object_id=row.pk,
            before=before,
            after=value_snapshot(row),
            reason=reason,
        )
    return correction


def can_review(actor: User) -> bool:
    return is_centre(actor)
