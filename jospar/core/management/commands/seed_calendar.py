from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jospar.core.calendar import calendar_seed


class Command(BaseCommand):
    help = "Add Kazakhstan's public holidays and transferred days of these years to the calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("first_year", type=int)
        parser.add_argument("last_year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        added = calendar_seed(
            actor=None, years=range(options["first_year"], options["last_year"] + 1)
        )
        self.stdout.write(f"calendar: {added} days added")
