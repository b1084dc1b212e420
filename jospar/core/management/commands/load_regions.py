from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jospar.core.services import regions_load


class Command(BaseCommand):
    help = "Load Kazakhstan's regions (since 2015), their boundaries and akimats. Safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        result = regions_load(actor=None)
        lines = [
            (_("Regions created"), result.regions_created),
            (_("Regions updated"), result.regions_updated),
            (_("Akimats created"), result.akimats_created),
            (_("Akimats updated"), result.akimats_updated),
            (_("Successions recorded"), result.successions_created),
        ]
        for label, codes in lines:
            if codes:
                self.stdout.write(f"{label} ({len(codes)}): {', '.join(codes)}")
        if not result.changed:
            self.stdout.write(_("The regions are up to date: nothing changed."))
