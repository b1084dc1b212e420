from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from jospar.core.scheduler import start_background_loop


class Command(BaseCommand):
    help = (
        "Run jospar on the embedded default at http://127.0.0.1:8000 (applies migrations first)."
        " With no broker (REDIS_URL), the periodic jobs — reminders, digests — run in the"
        " background of this process. Production runs gunicorn behind a proxy and Celery beat"
        " instead: see the README."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="do not run the periodic jobs in this process",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.REDIS_URL and not options["no_schedule"]:
            # Without a broker there is no Celery beat: this process keeps the schedule. Each
            # job claims its day in the database, so a second `serve` does not repeat it.
            start_background_loop()
            self.stdout.write("Reminders and digests run on schedule in this process.")
        call_command("runserver", options["addrport"], use_reloader=False)
