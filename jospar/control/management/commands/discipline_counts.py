"""`jospar discipline-counts [--repair]`: compare the kept discipline counts (every grain) with a
count from the obligations, and rebuild them from the obligations when asked (after a change made
behind the services' back, or to bring a database's counts up to date without rebuilding it)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from jospar.control.discipline_counts import discipline_counts_check, discipline_counts_rebuild
from jospar.control.models import DisciplineCount


class Command(BaseCommand):
    help = (
        "List where the kept discipline counts (by day, by month and organisation, by month and "
        "plan) disagree with the obligations; with --repair, rebuild them from the obligations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair", action="store_true", help="rebuild the counts from the obligations"
        )
        parser.add_argument(
            "--no-check",
            action="store_true",
            help="with --repair: rebuild without comparing first (minutes saved at scale)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["repair"] and options["no_check"]):
            wrong = discipline_counts_check()
            self.stdout.write(f"{len(wrong)} counts disagree")
            for difference in wrong[:20]:
                self.stdout.write(
                    f"  {difference.key}: kept {difference.stored}, actual {difference.actual}"
                )
            if not wrong:
                return
        if options["repair"]:
            started = time.monotonic()
            rows = discipline_counts_rebuild()
            if connection.vendor == "postgresql":
                # Fresh statistics (the readers' plans depend on how many rows each grain has)
                # and visibility (index-only scans of the rows just written).
                # VACUUM cannot run inside a transaction (a caller's, or a test's): ANALYZE can.
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                with connection.cursor() as cursor:
                    table = connection.ops.quote_name(DisciplineCount._meta.db_table)
                    cursor.execute(f"{verb} {table}")
            self.stdout.write(f"{rows} rows written in {time.monotonic() - started:.1f} s")
