"""``jospar initiatives-official REGION USERNAME``: appoint the region's responsible official
for civic initiatives (an official of the region's akimat with the role «civic official»)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.errors import ServiceError
from jospar.core.models import Region, User
from jospar.initiatives.services import coordinator_appoint


class Command(BaseCommand):
    help = "Appoint the region's responsible official for civic initiatives."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="the region's code, e.g. astana")
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region"]).first()
        user = User.objects.filter(username=options["username"]).first()
        if region is None or user is None:
            raise CommandError("No such region or user.")
        try:
            coordinator_appoint(actor=None, region=region, user=user)
        except ServiceError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"{user.get_username()} is the responsible official of {region.code}.")
