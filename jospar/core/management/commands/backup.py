from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file together into DEST: a new directory, or a "
        ".tar/.tar.gz file, with a manifest (version, migrations, audit head, file hashes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", help="a directory or .tar.gz file that does not exist yet")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["dest"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"backed up to {result.path}: {manifest['database']['vendor']} database, "
            f"{manifest['audit']['events']} audit events, {len(manifest['files'])} files"
        )
