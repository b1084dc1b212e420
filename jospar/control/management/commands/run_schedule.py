"""`jospar run-schedule`: the periodic jobs (reminders, digests) without Celery beat."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jospar.core.scheduler import DEFAULT_INTERVAL, periodic_jobs, run_due_jobs, run_loop


class Command(BaseCommand):
    help = (
        "Run the periodic jobs whose time of day has come and that have not run today "
        "(Kazakhstan time): once with --once, or checking every few minutes until stopped. "
        "Each job runs at most once a day, however many processes run this."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the due jobs once and exit")
        parser.add_argument(
            "--interval",
            type=float,
            default=DEFAULT_INTERVAL,
            help=f"seconds between checks when looping (default {DEFAULT_INTERVAL:.0f})",
        )
        parser.add_argument(
            "--now",
            help="act as if it were this local date and time (YYYY-MM-DDTHH:MM), with --once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = periodic_jobs()
        if not jobs:
            raise CommandError("No periodic jobs are configured (JOSPAR_PERIODIC_JOBS).")
        if options["once"]:
            now = None
            if options["now"]:
                try:
                    parsed = dt.datetime.fromisoformat(options["now"])
                except ValueError as exc:
                    raise CommandError(f"--now: {exc}") from exc
                now = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
            outcomes = run_due_jobs(now=now, jobs=jobs)
            for outcome in outcomes:
                line = f"{outcome.day.isoformat()} {outcome.job}: {outcome.state}"
                if outcome.result is not None:
                    line += f" {outcome.result}"
                self.stdout.write(line)
            if not outcomes:
                self.stdout.write("Nothing due.")
            return
        if options["now"]:
            raise CommandError("--now goes with --once.")
        schedule = ", ".join(f"{job.name} at {job.hour:02d}:{job.minute:02d}" for job in jobs)
        self.stdout.write(f"Running the schedule ({schedule}); Ctrl-C stops.")
        stop = threading.Event()
        try:
            run_loop(stop=stop, interval=options["interval"])
        except KeyboardInterrupt:
            stop.set()
