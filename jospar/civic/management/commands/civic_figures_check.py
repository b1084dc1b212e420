from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jospar.civic.figure_counts import figure_counts_check, figure_counts_repair


class Command(BaseCommand):
    help = (
        "Compare the kept figures of Civic Control with a fresh count of the reports; with "
        "--repair, add what differs. Exits 1 when they differed (and were not repaired)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair", action="store_true", help="correct the kept figures from the reports"
        )
        parser.add_argument("--show", type=int, default=20, help="differences to print")

    def handle(self, *args: Any, **options: Any) -> None:
        found = figure_counts_repair() if options["repair"] else figure_counts_check()
        for difference in found[: max(0, options["show"])]:
            self.stdout.write(
                f"{difference.table} {difference.key!r}: "
                f"kept {difference.stored!r}, reports {difference.actual!r}"
            )
        if not found:
            self.stdout.write(_("The kept figures agree with the reports."))
        elif options["repair"]:
            self.stdout.write(
                _("Repaired %(count)s kept figures from the reports.") % {"count": len(found)}
            )
        else:
            raise CommandError(
                _("%(count)s kept figures differ from the reports; run with --repair.")
                % {"count": len(found)}
            )
