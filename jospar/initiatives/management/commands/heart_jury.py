"""``jospar heart-jury CYCLE USERNAME --actor ADMIN``: appoint a member of a cycle's jury."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.initiatives.models import HeartCycle
from jospar.initiatives.services import juror_appoint


class Command(BaseCommand):
    help = "Appoint a member of a Generous Heart cycle's jury."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cycle", type=int)
        parser.add_argument("username")
        parser.add_argument("--actor", required=True, help="an administrator's username")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = HeartCycle.objects.filter(pk=options["cycle"]).first()
        user = User.objects.filter(username=options["username"]).first()
        if cycle is None or user is None:
            raise CommandError("No such cycle or user.")
        actor = User.objects.filter(username=options["actor"]).first()
        try:
            juror_appoint(actor=actor, cycle=cycle, user=user)
        except ServiceError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"{user.get_username()} sits on the jury of cycle {cycle.pk}.")
