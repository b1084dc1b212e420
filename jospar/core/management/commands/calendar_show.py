from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jospar.core.calendar import calendar_year


class Command(BaseCommand):
    help = "List a year's days off on weekdays and working weekend days, with who set each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        days = calendar_year(options["year"])
        for entry in days:
            state = "working" if entry.is_working else "day off"
            who = entry.changed_by.username if entry.changed_by else entry.source
            self.stdout.write(
                f"{entry.day.isoformat()} {entry.day:%a} {state:<8} {who:<10} {entry.name}"
            )
        self.stdout.write(f"{len(days)} days")
