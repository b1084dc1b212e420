from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jospar.core.files_sweep import grace, sweep_files, temp_max_age


class Command(BaseCommand):
    help = (
        "Delete uploaded files that no row points at (older than FILES_ORPHAN_GRACE_HOURS) and "
        "stale upload temporary files (older than FILES_TEMP_MAX_AGE_HOURS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        result = sweep_files(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        for name in [*result.deleted, *result.temp_deleted]:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(
            f"sweep-files: {verb} {len(result.deleted)} orphaned files (older than {grace()}) "
            f"and {len(result.temp_deleted)} temporary files (older than {temp_max_age()}); "
            f"{result.referenced} in use, {result.kept_young} orphans still young"
        )
