"""``jospar collect-media``: collect the monitored sources that are due, now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jospar.media.services.collection import collect_due


class Command(BaseCommand):
    help = "Collect the monitored sources that are due (politely; safe to rerun)."

    def handle(self, *args: Any, **options: Any) -> None:
        for result in collect_due():
            state = "ok" if result.ok else f"failed: {result.error}"
            self.stdout.write(f"source {result.source_id}: {result.new} new, {state}")
