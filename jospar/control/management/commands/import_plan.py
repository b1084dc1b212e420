from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from jospar.control.services.plan_revisions import plan_file_import
from jospar.core.errors import ServiceError
from jospar.plans.models import Plan


class Command(BaseCommand):
    help = "Import plans of activities from their official text (.txt, .docx, .html)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--lang", choices=["kk", "ru"], default=None)
        parser.add_argument(
            "--period",
            nargs=2,
            metavar=("START", "END"),
            type=dt.date.fromisoformat,
            help="the plan's period where its text states none (YYYY-MM-DD YYYY-MM-DD)",
        )
        parser.add_argument(
            "--plan",
            type=int,
            default=None,
            help="add the text to this plan (another language or revision)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        target = None
        if options["plan"] is not None:
            target = Plan.objects.filter(pk=options["plan"]).first()
            if target is None:
                raise CommandError(f"no plan #{options['plan']}")
        failures = 0
        for path in options["files"]:
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.stderr.write(f"{path}: cannot read: {exc.strerror}")
                failures += 1
                continue
            bar = tqdm(
                total=0,
                desc=path.name,
                unit="activity",
                disable=options["no_progress"],
                file=self.stderr,
                leave=False,
            )

            def progress(done: int, total: int, bar: Any = bar) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                outcome = plan_file_import(
                    actor=None,
                    data=data,
                    filename=path.name,
                    lang=options["lang"],
                    period=tuple(options["period"]) if options["period"] else None,
                    target_plan=target,
                    progress=progress,
                )
            except ServiceError as exc:
                bar.close()
                self.stderr.write(f"{path}: {exc.code}: {exc.message}")
                failures += 1
                continue
            bar.close()
            plan = outcome.plan
            if outcome.unchanged:
                self.stdout.write(f"{path}: unchanged — plan #{plan.pk} already has this text")
                continue
            assert outcome.revision is not None
            verb = "created plan" if outcome.created_plan else "updated plan"
            self.stdout.write(
                f"{path}: {verb} #{plan.pk} «{plan.title[:70]}», "
                f"[{outcome.revision.lang}] revision {outcome.revision.number}, "
                f"{len(outcome.revision.parsed['activities'])} activities, "
                f"{len(outcome.changes)} changes, {len(outcome.warnings)} warnings, "
                f"obligations +{outcome.obligations_created} −{outcome.obligations_withdrawn}"
            )
        if failures:
            raise CommandError(f"{failures} file(s) not imported")
