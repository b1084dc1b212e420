"""Indicators and their targets: created and set by the centre, each with its audit row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from jospar.core.audit import audit_record
from jospar.core.models import Region, User
from jospar.indicators.models import Comparator, Indicator, Target
from jospar.indicators.services._common import require_centre

INDICATOR_FIELDS = (
    "code",
    "kind",
    "unit",
    "direction",
    "method",
    "frequency",
    "level",
    "aggregation",
    "rule",
)


def indicator_create(*, actor: User | None, **fields: Any) -> Indicator:
    """A new indicator (``actor`` None: the system, as the demo and imports do)."""
    if actor is not None:
        require_centre(actor)
    with transaction.atomic():
        indicator = Indicator.objects.create(**fields)
        audit_record(
            actor=actor,
            action="indicator.created",
            object_type="indicators.indicator",
            object_id=indicator.pk,
            after={name: getattr(indicator, name) for name in INDICATOR_FIELDS},
        )
    return indicator


def target_set(
    *,
    actor: User | None,
    indicator: Indicator,
    year: int,
    value: Decimal,
    comparator: str = Comparator.EQUAL,
    region: Region | None = None,
) -> Target:
    if actor is not None:
        require_centre(actor)
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(indicator=indicator, year=year, region=region)
            .first()
        )
        before = None if target is None else {"value": str(target.value), "cmp": target.comparator}
        if target is None:
            target = Target(indicator=indicator, year=year, region=region)
        elif target.value == value and target.comparator == comparator:
            return target
        target.value = value
        target.comparator = comparator
        target.save()
        audit_record(
            actor=actor,
            action="indicator_target.set",
            object_type="indicators.target",
            object_id=target.pk,
            before=before,
            after={
                "indicator": indicator.pk,
                "year": year,
                "region": region.pk if region else None,
                "value": str(value),
                "cmp": comparator,
            },
        )
    return target
