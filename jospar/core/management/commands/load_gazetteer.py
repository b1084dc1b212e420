from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jospar.core.services.places import places_load


class Command(BaseCommand):
    help = (
        "Load Kazakhstan's settlements from the packaged gazetteer (after load-regions). "
        "Safe to rerun."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = places_load(actor=None)
        if not result.changed:
            self.stdout.write(_("The settlements are up to date: nothing changed."))
            return
        self.stdout.write(
            _("Settlements created: %(created)s, updated: %(updated)s (%(source)s).")
            % {"created": result.created, "updated": result.updated, "source": result.source}
        )
