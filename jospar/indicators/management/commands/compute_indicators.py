"""``jospar compute-indicators [--period P ...] [--code C ...]``: recompute computed indicators."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jospar.core.errors import ServiceError
from jospar.indicators.models import Indicator, Method
from jospar.indicators.periods import parse_period
from jospar.indicators.services.computed import computed_refresh
from jospar.indicators.tasks import recent_periods


class Command(BaseCommand):
    help = "Recompute the indicators computed from jospar's data (this and last year by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", action="append", default=[], help="2024, 2024Q3, ...")
        parser.add_argument("--code", action="append", default=[], help="indicator code")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            periods = [parse_period(text, "--period") for text in options["period"]]
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        indicators = Indicator.objects.filter(method=Method.COMPUTED, active=True)
        if options["code"]:
            indicators = indicators.filter(code__in=options["code"])
        today = timezone.localdate()
        for indicator in indicators:
            wanted = [p for p in periods if p.type == indicator.frequency] if periods else None
            result = computed_refresh(
                actor=None,
                indicator=indicator,
                periods=wanted
                if wanted is not None
                else recent_periods(indicator.frequency, today),
            )
            self.stdout.write(
                f"{indicator.code}: {result.written} written, {result.unchanged} unchanged,"
                f" {result.empty} without data"
            )
