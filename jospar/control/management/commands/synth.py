from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from jospar.control.synth import SynthSpec, synth_build, synth_reset


class Command(BaseCommand):
    help = (
        "Build a national-scale synthetic control schedule (2,000 plans, about 2 million "
        "obligations and 1.5 million reports) on PostgreSQL, for benchmarks. --small makes a "
        "few thousand rows on any database. --civic adds a million citizens' reports too, "
        "--indicators 300 indicators with their values by region over 40 quarters."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = SynthSpec()
        parser.add_argument("--plans", type=int, default=None)
        parser.add_argument("--obligations", type=int, default=None)
        parser.add_argument("--reports", type=int, default=None)
        parser.add_argument("--ministries", type=int, default=None)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--small",
            action="store_true",
            help=f"a few plans and about {SynthSpec.small().obligations} obligations "
            "(works on SQLite too)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="remove the previous synthetic data first"
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="only remove the synthetic data"
        )
        parser.add_argument(
            "--civic",
            action="store_true",
            help="also add a million citizens' reports of Civic Control (jospar synth-civic)",
        )
        parser.add_argument(
            "--civic-only",
            action="store_true",
            help="only add the citizens' reports, leaving the control schedule as it is",
        )
        parser.add_argument(
            "--indicators",
            action="store_true",
            help="also add 300 indicators × 20 regions × 40 quarters (jospar synth-indicators)",
        )
        parser.add_argument(
            "--indicators-only",
            action="store_true",
            help="only add the indicators, leaving the rest as it is",
        )
        parser.add_argument(
            "--program",
            action="store_true",
            help="also add a national program (4 sub-programs, 20 base projects, 2,000 "
            "projects, 200,000 project tasks on control across the regions)",
        )
        parser.add_argument(
            "--program-only",
            action="store_true",
            help="only (re)build the national program, leaving the plans as they are",
        )
        parser.add_argument(
            "--initiatives",
            action="store_true",
            help="also add 200,000 civic initiatives with pledges and 2 million public votes "
            "(jospar synth-initiatives)",
        )
        parser.add_argument(
            "--initiatives-only",
            action="store_true",
            help="only add the civic initiatives, leaving everything else as it is",
        )
        parser.set_defaults(full_plans=defaults.plans)

    def _indicators(self, options: dict[str, Any]) -> None:
        # By name: the indicators app sits above control.
        call_command(
            "synth_indicators",
            small=options["small"],
            reset=options["reset"],
            seed=options["seed"],
            stdout=self.stdout,
            stderr=self.stderr,
        )

    def _program(self, options: dict[str, Any]) -> None:
        from jospar.control.synth_programs import ProgramSpec, synth_program_build

        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {message}")
            self.stdout.flush()

        spec = ProgramSpec.small() if options["small"] else ProgramSpec()
        if options["seed"] is not None:
            spec = ProgramSpec(**{**spec.__dict__, "seed": options["seed"]})
        result = synth_program_build(actor=None, spec=spec, progress=progress)
        self.stdout.write(
            _(
                "Built program %(program)s: %(nodes)s nodes, %(tasks)s project tasks, "
                "%(obligations)s obligations and %(reports)s reports in %(seconds).1f s."
            )
            % {
                "program": result.program_id,
                "nodes": result.nodes,
                "tasks": result.tasks,
                "obligations": result.obligations,
                "reports": result.reports,
                "seconds": result.seconds,
            }
        )

    def _civic(self, options: dict[str, Any]) -> None:
        call_command(
            "synth_civic",
            small=options["small"],
            reset=options["reset"],
            seed=options["seed"],
            stdout=self.stdout,
            stderr=self.stderr,
        )

    def _initiatives(self, options: dict[str, Any]) -> None:
        call_command(
            "synth_initiatives",
            small=options["small"],
            reset=options["reset"],
            seed=options["seed"],
            stdout=self.stdout,
            stderr=self.stderr,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["initiatives_only"]:
            self._initiatives(options)
            return
        if options["civic_only"]:
            self._civic(options)
            return
        if options["indicators_only"]:
            self._indicators(options)
            return
        if options["program_only"]:
            self._program(options)
            return
        if options["reset_only"]:
            removed = synth_reset_atomic()
            self.stdout.write(_("Removed: %(what)s") % {"what": removed})
            return
        base = SynthSpec.small() if options["small"] else SynthSpec()
        spec = SynthSpec(
            plans=options["plans"] or base.plans,
            obligations=options["obligations"] or base.obligations,
            reports=options["reports"] if options["reports"] is not None else base.reports,
            ministries=options["ministries"] or base.ministries,
            seed=options["seed"] if options["seed"] is not None else base.seed,
        )
        if connection.vendor != "postgresql" and spec.obligations > 50_000:
            raise CommandError(
                _(
                    "jospar synth builds millions of rows with PostgreSQL's COPY and needs "
                    "PostgreSQL (set DATABASE_URL). On %(vendor)s, run it with --small, or "
                    "with --obligations of at most 50000."
                )
                % {"vendor": connection.vendor}
            )
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {message}")
            self.stdout.flush()

        result = synth_build(actor=None, spec=spec, reset=options["reset"], progress=progress)
        if result.removed:
            progress(_("Removed before the build: %(what)s") % {"what": result.removed})
        self.stdout.write(
            _(
                "Built %(plans)s plans, %(activities)s activities, %(executors)s executors, "
                "%(obligations)s obligations and %(reports)s reports in %(seconds).1f s."
            )
            % {
                "plans": result.plans,
                "activities": result.activities,
                "executors": result.executors,
                "obligations": result.obligations,
                "reports": result.reports,
                "seconds": result.seconds,
            }
        )
        if options["program"]:
            self._program(options)
        if options["civic"]:
            self._civic(options)
        if options["indicators"]:
            self._indicators(options)
        if options["initiatives"]:
            self._initiatives(options)


def synth_reset_atomic() -> dict[str, int]:
    from django.db import transaction

    with transaction.atomic():
        return synth_reset()
