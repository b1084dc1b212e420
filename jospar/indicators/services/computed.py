"""Storing computed indicators: each value is the rule's fresh computation for the period, kept
with the time it was computed. A computed value is not typed, submitted or approved: it is
stored approved, and a later computation replaces it (the audit row keeps the figure before)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.indicators.aggregation import regions_of
from jospar.indicators.computed import RULES, compute
from jospar.indicators.models import (
    DataValue,
    Indicator,
    Level,
    Method,
    ValueOrigin,
    ValueState,
    place_q,
)
from jospar.indicators.periods import Period


@dataclass
class RefreshResult:
    written: int = 0
    unchanged: int = 0
    empty: int = 0


def computed_refresh(
    *, actor: User | None, indicator: Indicator, periods: list[Period]
) -> RefreshResult:
    if indicator.method != Method.COMPUTED or indicator.rule not in RULES:
        raise ServiceError("not_computed", _("This indicator is not computed by a known rule."))
    result = RefreshResult()
    now = timezone.now()
    with transaction.atomic():
        changes: list[dict[str, object]] = []
        for period in periods:
            places: list[int | None] = [None]
            if indicator.level == Level.REGION:
                places += [region.pk for region in regions_of(period.end)]
            for region_id in places:
                fresh = compute(indicator.rule, period, region_id)
                row = (
                    DataValue.objects.select_for_update()
                    .filter(place_q(region_id), indicator=indicator, period=period.iso)
                    .first()
                )
                if fresh is None:
                    if row is not None:
                        changes.append({"period": period.iso, "region": region_id, "value": None})
                        row.delete()
                    result.empty += 1
                    continue
                if row is None:
                    row = DataValue(
                        indicator=indicator,
                        period=period.iso,
                        period_type=period.type,
                        period_start=period.start,
                        region_id=region_id,
                        entered_at=now,
                    )
                elif row.value == fresh and row.origin == ValueOrigin.COMPUTED:
                    row.computed_at = now
                    row.save(update_fields=["computed_at"])
                    result.unchanged += 1
                    continue
                changes.append(
                    {
                        "period": period.iso,
                        "region": region_id,
                        "before": None if row.pk is None else str(row.value),
                        "value": str(fresh),
                    }
                )
                row.value = fresh
                row.corrected_value = None
                row.origin = ValueOrigin.COMPUTED
                row.state = ValueState.APPROVED
                row.source = f"jospar: {indicator.rule}"
                row.computed_at = now
                row.save()
                result.written += 1
        if changes:
            audit_record(
                actor=actor,
                action="indicator.computed",
                object_type="indicators.indicator",
                object_id=indicator.pk,
                after={"rule": indicator.rule, "changes": changes[:500], "count": len(changes)},
            )
    return result
