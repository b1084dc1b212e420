from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.backup import BackupError, archive_check, open_archive, restore


class Command(BaseCommand):
    help = (
        "Restore the database and files of a `jospar backup` archive, then verify the audit "
        "chain and every file's hash. Refuses a database that holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", help="the archive: a directory or .tar/.tar.gz file")
        parser.add_argument(
            "--force", action="store_true", help="replace what a non-empty database holds"
        )
        parser.add_argument(
            "--check", action="store_true", help="only check the archive's hashes; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                with tempfile.TemporaryDirectory() as scratch:
                    manifest = archive_check(open_archive(Path(options["src"]), Path(scratch)))
                self.stdout.write(
                    f"archive intact: {len(manifest['files'])} files, "
                    f"{manifest['audit']['events']} audit events"
                )
                return
            result = restore(options["src"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored: {result.audit_events} audit events verified, {result.files} files verified"
        )
        for note in result.notes:
            self.stdout.write(note)
