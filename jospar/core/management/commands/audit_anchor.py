from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.audit_anchor import audit_accept_legacy, audit_anchor_write


class Command(BaseCommand):
    help = (
        "Write the audit chain's head (its length and newest HMAC) outside the database, after "
        "checking the events added since the last anchor. Runs periodically by itself."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accept-legacy",
            action="store_true",
            help=(
                "once, after upgrading: accept the events hashed with plain SHA-256 before the "
                "keyed chain (they must form an intact chain) and record the switch"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["accept_legacy"]:
            accepted = audit_accept_legacy()
            if accepted.get("problem"):
                raise CommandError(str(accepted["problem"]))
            self.stdout.write(f"accepted {accepted['accepted']} events hashed before the key")
            return
        result = audit_anchor_write()
        if result.get("problem"):
            raise CommandError(f"not anchored: {result['problem']}")
        if result.get("anchored"):
            self.stdout.write(f"anchored the chain at {result['seq']} events")
        else:
            self.stdout.write(f"nothing new to anchor ({result.get('seq', 0)} events)")
