from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from jospar.civic.synth import CivicSynthSpec, synth_civic_build, synth_civic_reset


class Command(BaseCommand):
    help = (
        "Add a million synthetic citizens' reports (2018 to today) on PostgreSQL, for "
        "benchmarks. --small adds a few thousand on any database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, default=None)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--small",
            action="store_true",
            help=f"{CivicSynthSpec.small().reports} reports (works on SQLite too)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="remove the previous synthetic reports first"
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="only remove the synthetic reports"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset_only"]:
            removed = synth_civic_reset()
            self.stdout.write(_("Removed %(count)s synthetic reports.") % {"count": removed})
            return
        base = CivicSynthSpec.small() if options["small"] else CivicSynthSpec()
        spec = CivicSynthSpec(
            reports=options["reports"] or base.reports,
            seed=options["seed"] if options["seed"] is not None else base.seed,
        )
        if connection.vendor != "postgresql" and spec.reports > 50_000:
            raise CommandError(
                _(
                    "jospar synth-civic writes a million reports with PostgreSQL's COPY and "
                    "needs PostgreSQL (set DATABASE_URL). On %(vendor)s, run it with --small, "
                    "or with --reports of at most 50000."
                )
                % {"vendor": connection.vendor}
            )
        if (
            not connection.vendor == "postgresql"
            and not options["small"]
            and not options["reports"]
        ):
            raise CommandError(_("On SQLite use --small."))
        import time

        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {message}")
            self.stdout.flush()

        result = synth_civic_build(spec=spec, reset=options["reset"], progress=progress)
        if result.removed:
            progress(_("Removed before the build: %(count)s") % {"count": result.removed})
        self.stdout.write(
            _("Added %(reports)s reports and %(events)s events in %(seconds).1f s.")
            % {"reports": result.reports, "events": result.events, "seconds": result.seconds}
        )
