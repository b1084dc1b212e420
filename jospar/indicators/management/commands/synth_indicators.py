from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from jospar.core.models import Region
from jospar.indicators.synth import (
    IndicatorSynthSpec,
    synth_indicators_build,
    synth_indicators_reset,
)


class Command(BaseCommand):
    help = (
        "Add 300 synthetic indicators with their targets and values for 20 regions over 40 "
        "quarters (about 245,000 values) on PostgreSQL, for benchmarks. --small adds a few "
        "on any database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicators", type=int, default=None)
        parser.add_argument("--quarters", type=int, default=None)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--small",
            action="store_true",
            help=f"{IndicatorSynthSpec.small().indicators} indicators over "
            f"{IndicatorSynthSpec.small().quarters} quarters (works on SQLite too)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="remove the previous synthetic indicators first"
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="only remove the synthetic indicators"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset_only"]:
            removed = synth_indicators_reset()
            self.stdout.write(_("Removed %(count)s synthetic indicators.") % {"count": removed})
            return
        base = IndicatorSynthSpec.small() if options["small"] else IndicatorSynthSpec()
        spec = IndicatorSynthSpec(
            indicators=min(max(options["indicators"] or base.indicators, 1), 9999),
            quarters=min(max(options["quarters"] or base.quarters, 1), 200),
            seed=options["seed"] if options["seed"] is not None else base.seed,
        )
        if connection.vendor != "postgresql" and spec.indicators * spec.quarters > 2_000:
            raise CommandError(
                _(
                    "jospar synth-indicators writes a quarter of a million values with "
                    "PostgreSQL's COPY and needs PostgreSQL (set DATABASE_URL). On %(vendor)s, "
                    "run it with --small."
                )
                % {"vendor": connection.vendor}
            )
        if not Region.objects.exists():
            # Without regions only the national values would be written, and the benchmark
            # would measure a dashboard without its regional roll-up.
            raise CommandError(_("No regions yet: run `jospar load-regions` first."))
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {message}")
            self.stdout.flush()

        result = synth_indicators_build(spec=spec, reset=options["reset"], progress=progress)
        if result.removed:
            progress(_("Removed before the build: %(count)s") % {"count": result.removed})
        self.stdout.write(
            _(
                "Built %(indicators)s indicators, %(targets)s targets and %(values)s values "
                "in %(seconds).1f s."
            )
            % {
                "indicators": result.indicators,
                "targets": result.targets,
                "values": result.values,
                "seconds": result.seconds,
            }
        )
