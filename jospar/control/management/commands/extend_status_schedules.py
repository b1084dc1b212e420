"""`jospar extend-status-schedules`: make every program's status reports up to a year ahead
(the daily job's work, by hand; idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.control.project_office.services import status_schedules_extend
from jospar.control.status import today


class Command(BaseCommand):
    help = (
        "Make the status reports every program's schedule owes up to a year ahead and put "
        "them on control. Safe to run again: what exists is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = today()
        if options["on"]:
            try:
                day = dt.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"--on: {exc}") from exc
        made = status_schedules_extend(on=day)
        self.stdout.write(f"{day.isoformat()}: {made} status reports made")
