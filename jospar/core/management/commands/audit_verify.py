from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jospar.core.audit import audit_verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log: every event's HMAC in order, and the chain against the anchors "
        "kept outside the database (an emptied table, removed newest events, a rewritten or "
        "re-hashed chain all fail)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain broken: {report.problem} "
                f"({report.checked} events verified before it, {report.anchors} anchors)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} events, {report.anchors} anchors")
