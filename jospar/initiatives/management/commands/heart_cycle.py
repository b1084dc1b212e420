"""``jospar heart-cycle YEAR [--region CODE] --nominations D --jury D --vote D --vote-until D
--results D [--jury-weight N] --actor ADMIN``: open a year's Generous Heart cycle with the three
nominations of the document (patron, volunteer, NGO) and their public votes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.edge import EdgeError, parse_date
from jospar.core.errors import ServiceError
from jospar.core.models import Region, User
from jospar.initiatives.services import cycle_create


class Command(BaseCommand):
    help = "Open a year's Generous Heart cycle (national, or a region's)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--region", help="the region's code; none: the national cycle")
        for name in ("nominations", "jury", "vote", "vote-until", "results"):
            parser.add_argument(f"--{name}", required=True, help="YYYY-MM-DD")
        parser.add_argument("--jury-weight", type=int, default=60, help="per cent (0-100)")
        parser.add_argument("--actor", required=True, help="an administrator's username")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["actor"]).first()
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError("No such region.")
        try:
            dates = {
                key: parse_date(options[name], name)
                for key, name in (
                    ("nominations_from", "nominations"),
                    ("jury_from", "jury"),
                    ("vote_from", "vote"),
                    ("vote_until", "vote_until"),
                    ("results_on", "results"),
                )
            }
            cycle = cycle_create(
                actor=actor,
                year=options["year"],
                region=region,
                jury_weight=options["jury_weight"],
                **dates,
            )
        except (EdgeError, ServiceError) as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"Generous Heart cycle {cycle.pk}: {cycle}.")
