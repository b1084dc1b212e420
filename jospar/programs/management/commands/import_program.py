from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.errors import ServiceError
from jospar.programs.models import Program
from jospar.programs.services import program_import


class Command(BaseCommand):
    help = "Import state programs from their official text (.txt, .docx, .html) into the tree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--lang", choices=["kk", "ru"], default=None)
        parser.add_argument(
            "--program",
            type=int,
            default=None,
            help="add the text to this program (another language version or a corrected text)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = None
        if options["program"] is not None:
            target = Program.objects.filter(pk=options["program"]).first()
            if target is None:
                raise CommandError(f"no program #{options['program']}")
        failures = 0
        for path in options["files"]:
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.stderr.write(f"{path}: cannot read: {exc.strerror}")
                failures += 1
                continue
            try:
                outcome = program_import(
                    actor=None,
                    data=data,
                    filename=path.name,
                    lang=options["lang"],
                    program=target,
                )
            except ServiceError as exc:
                self.stderr.write(f"{path}: {exc.message}")
                failures += 1
                continue
            if outcome.unchanged:
                self.stdout.write(f"{path.name}: program #{outcome.program.pk}, unchanged")
            else:
                assert outcome.revision is not None
                self.stdout.write(
                    f"{path.name}: program #{outcome.program.pk} revision "
                    f"{outcome.revision.number}: {len(outcome.added)} nodes added, "
                    f"{len(outcome.updated)} updated, {len(outcome.moved)} moved, "
                    f"{len(outcome.removed)} left the text"
                )
        if failures:
            raise CommandError(f"{failures} file(s) not imported")
