from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from jospar.initiatives.synth import (
    InitiativesSynthSpec,
    synth_initiatives_build,
    synth_initiatives_reset,
)


class Command(BaseCommand):
    help = (
        "Add 200,000 synthetic civic initiatives with their needs and pledges on PostgreSQL, "
        "for the map's benchmark. --small adds a few thousand on any database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--initiatives", type=int, default=None)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--votes", type=int, default=None, help="public votes to write (default 2,000,000)"
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help=f"{InitiativesSynthSpec.small().initiatives} initiatives (works on SQLite too)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="remove the previous synthetic initiatives first"
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="only remove the synthetic initiatives"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset_only"]:
            removed = synth_initiatives_reset()
            self.stdout.write(_("Removed %(count)s synthetic initiatives.") % {"count": removed})
            return
        base = InitiativesSynthSpec.small() if options["small"] else InitiativesSynthSpec()
        spec = InitiativesSynthSpec(
            initiatives=options["initiatives"] or base.initiatives,
            votes=options["votes"] if options["votes"] is not None else base.votes,
            people=base.people,
            seed=options["seed"] if options["seed"] is not None else base.seed,
        )
        if connection.vendor != "postgresql" and spec.initiatives > 50_000:
            raise CommandError(
                _(
                    "jospar synth-initiatives writes 200,000 initiatives with PostgreSQL's COPY "
                    "and needs PostgreSQL (set DATABASE_URL). On %(vendor)s, run it with "
                    "--small, or with --initiatives of at most 50000."
                )
                % {"vendor": connection.vendor}
            )
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {message}")
            self.stdout.flush()

        result = synth_initiatives_build(spec=spec, reset=options["reset"], progress=progress)
        self.stdout.write(
            _(
                "Added %(initiatives)s initiatives, %(needs)s needs and %(pledges)s pledges "
                "(removed %(removed)s before) in %(seconds).1f s."
            )
            % {
                "initiatives": result.initiatives,
                "needs": result.needs,
                "pledges": result.pledges,
                "removed": result.removed,
                "seconds": result.seconds,
            }
        )
        self.stdout.write(
            _("Votes: %(votes)s written in %(seconds).1f s.")
            % {"votes": result.votes, "seconds": result.vote_seconds}
        )
