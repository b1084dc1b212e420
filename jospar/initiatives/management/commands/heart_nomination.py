"""``jospar heart-nomination CYCLE TITLE CRITERIA --actor ADMIN``: add a nomination of one's own
to a Generous Heart cycle (before its nominations close)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.initiatives.models import HeartCycle
from jospar.initiatives.services import nomination_add


class Command(BaseCommand):
    help = "Add a nomination to a Generous Heart cycle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cycle", type=int)
        parser.add_argument("title")
        parser.add_argument("criteria", help="the published criteria of the jury")
        parser.add_argument("--actor", required=True, help="an administrator's username")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = HeartCycle.objects.filter(pk=options["cycle"]).first()
        if cycle is None:
            raise CommandError("No such cycle.")
        actor = User.objects.filter(username=options["actor"]).first()
        try:
            nomination = nomination_add(
                actor=actor, cycle=cycle, title=options["title"], criteria=options["criteria"]
            )
        except ServiceError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"Nomination {nomination.pk}: {nomination.name}.")
