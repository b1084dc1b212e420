"""Achievement of a target and its traffic light, by one stated rule.

Achievement is the value against the target, the right way up, in percent:

* higher is better: ``value / target``;
* lower is better: ``target / value``;
* closer is better: ``100 − |value − target| / |target| · 100`` (not below 0).

The traffic light:

* **green** — the target is met: ``value ≥ target`` for "at least" (and for "=" where higher is
  better), ``value ≤ target`` for "at most" (and for "=" where lower is better), and within 1 %
  of the target for "=" where closer is better;
* **amber** — not met, but the achievement is at least 90 %;
* **red** — the achievement is below 90 %;
* **grey** — no approved value or no target for the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.indicators.models import Comparator, Direction

AMBER_FROM = Decimal(90)
EXACT_TOLERANCE = Decimal("0.01")


class Light(models.TextChoices):
    GREEN = "green", _("Target met")
    AMBER = "amber", _("Close to the target (achievement ≥ 90 %)")
    RED = "red", _("Achievement below 90 %")
    GREY = "grey", _("No value or no target")


@dataclass(frozen=True)
class Achievement:
    percent: Decimal | None
    light: Light

    @property
    def label(self) -> str:
        return str(self.light.label)


GREY = Achievement(None, Light.GREY)


def _percent(direction: str, value: Decimal, target: Decimal) -> Decimal | None:
    if direction == Direction.DOWN:
        if value <= 0:
            return Decimal(100) if target >= value else None
        return (Decimal(100) * target / value).quantize(Decimal("0.1"))
    if direction == Direction.TO_VALUE:
        if target == 0:
            return Decimal(100) if value == 0 else Decimal(0)
        gap = abs(value - target) / abs(target) * Decimal(100)
        return max(Decimal(0), Decimal(100) - gap).quantize(Decimal("0.1"))
    if target == 0:
        return Decimal(100) if value >= 0 else Decimal(0)
    return (Decimal(100) * value / target).quantize(Decimal("0.1"))


def _met(direction: str, comparator: str, value: Decimal, target: Decimal) -> bool:
    if comparator == Comparator.AT_LEAST:
        return value >= target
    if comparator == Comparator.AT_MOST:
        return value <= target
    if direction == Direction.DOWN:
        return value <= target
    if direction == Direction.TO_VALUE:
        return abs(value - target) <= abs(target) * EXACT_TOLERANCE
    return value >= target


def achievement(
    direction: str, value: Decimal | None, target: Decimal | None, comparator: str = "eq"
) -> Achievement:
    if value is None or target is None:
        return GREY
    percent = _percent(direction, value, target)
    if _met(direction, comparator, value, target):
        return Achievement(percent, Light.GREEN)
    if percent is not None and percent >= AMBER_FROM:
        return Achievement(percent, Light.AMBER)
    return Achievement(percent, Light.RED)
