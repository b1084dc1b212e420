"""Indicators computed from jospar's own data, each rule named and defined here, in one place.

A computed indicator names its rule (``Indicator.rule``); ``compute(rule, period, region)`` is
the fresh computation and ``services.computed.computed_refresh`` stores it as the value of the
period (nationally, and by region where the indicator is regional) with the time it was
computed. A test holds the stored value equal to a fresh computation.

The rules (days are Kazakhstan's):

* ``civic_solved_promptly`` — citizens' reports done in the period by the state body no later
  than the day the answer was due (Civic Control's own definition,
  ``jospar.civic.selectors_figures``);
* ``civic_solved_by_citizens`` — reports done in the period that the citizen recorded as
  solved without the akimat;
* ``civic_reports_per_month`` — reports placed on the portal in the period, divided by the
  number of months in it;
* ``control_on_time_share`` — of the control schedule's reports in force whose deadline fell in
  the period and has passed (or that were submitted), the percentage submitted on time (the
  control loop's ``submitted_on_time``); none due: no value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jospar.civic.selectors import figures
from jospar.control.models import Obligation
from jospar.control.status import submitted_on_time, today
from jospar.indicators.periods import Period


@dataclass(frozen=True)
class Rule:
    name: str
    label: Promise
    unit: str
    compute: Callable[[Period, int | None], Decimal | None]


def _civic(period: Period, region_id: int | None) -> dict[str, Any]:
    return figures(region_id, (period.start, period.end))


def _solved_promptly(period: Period, region_id: int | None) -> Decimal | None:
    return Decimal(int(_civic(period, region_id)["solved_promptly"]))


def _solved_by_citizens(period: Period, region_id: int | None) -> Decimal | None:
    return Decimal(int(_civic(period, region_id)["solved_by_citizens"]))


def _reports_per_month(period: Period, region_id: int | None) -> Decimal | None:
    months = _civic(period, region_id)["published_by_month"]
    placed = sum(int(row["count"]) for row in months)
    return (Decimal(placed) / Decimal(period.months)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _on_time_share(period: Period, region_id: int | None) -> Decimal | None:
    where = Q(in_force=True, deadline__gte=period.start, deadline__lte=period.end) & (
        Q(deadline__lt=today()) | Q(submitted_at__isnull=False)
    )
    if region_id is not None:
        where &= Q(region_id=region_id) | Q(organisation__region_id=region_id)
    counts = Obligation.objects.filter(where).aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(submitted_at__isnull=False) & submitted_on_time()),
    )
    if not counts["due"]:
        return None
    share = Decimal(100) * Decimal(counts["on_time"]) / Decimal(counts["due"])
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "civic_solved_promptly",
            _("Problems solved promptly by state bodies (Civic Control)"),
            "",
            _solved_promptly,
        ),
        Rule(
            "civic_solved_by_citizens",
            _("Problems solved by citizens themselves (Civic Control)"),
            "",
            _solved_by_citizens,
        ),
        Rule(
            "civic_reports_per_month",
            _("Citizens' reports placed per month (Civic Control)"),
            "",
            _reports_per_month,
        ),
        Rule(
            "control_on_time_share",
            _("Share of the control schedule's reports submitted on time"),
            "%",
            _on_time_share,
        ),
    )
}


def compute(rule: str, period: Period, region_id: int | None) -> Decimal | None:
    """The fresh value of a rule for a period, nationally (None) or for one region."""
    return RULES[rule].compute(period, region_id)
