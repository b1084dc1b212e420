"""Background work of indicators: recomputing the computed ones."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from jospar.indicators.models import Indicator, Method
from jospar.indicators.periods import Period, periods_of
from jospar.indicators.services.computed import computed_refresh


def recent_periods(kind: str, on: dt.date) -> list[Period]:
    """This year's and last year's periods of a type up to the one containing ``on``."""
    return [p for p in periods_of(kind, on.year - 1, on.year) if p.start <= on]


@shared_task(name="indicators.recompute", acks_late=True)  # type: ignore[untyped-decorator]
def recompute(on: str | None = None) -> dict[str, int]:
    """Recompute every computed indicator for this and last year's periods (idempotent)."""
    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    written = unchanged = 0
    for indicator in Indicator.objects.filter(method=Method.COMPUTED, active=True):
        result = computed_refresh(
            actor=None, indicator=indicator, periods=recent_periods(indicator.frequency, day)
        )
        written += result.written
        unchanged += result.unchanged
    return {"written": written, "unchanged": unchanged}
