from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jospar.core.services.directory_seed import directory_load, directory_load_message


class Command(BaseCommand):
    help = (
        "Load Kazakhstan's central state bodies (current and past) into the directory, with "
        "their Kazakh, Russian and English names. Safe to rerun."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = directory_load(actor=None)
        self.stdout.write(directory_load_message(result))
        for key, ids in sorted(result.duplicates.items()):
            self.stdout.write(
                _(
                    "Several records stand for “%(body)s” (ids %(ids)s): "
                    "an administrator may merge them."
                )
                % {"body": key, "ids": ", ".join(str(pk) for pk in ids)}
            )
