"""`jospar program-counts [--repair]`: compare the kept program counts with a count from the
obligations, and rewrite the programs that disagree (after a re-import moved a node, say)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jospar.control.program_counts import program_counts_check, program_counts_repair


class Command(BaseCommand):
    help = (
        "List where the program dashboard's kept counts disagree with the obligations; with "
        "--repair, rewrite each program that disagrees from its obligations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="rewrite what disagrees")

    def handle(self, *args: Any, **options: Any) -> None:
        wrong = program_counts_check()
        programs = sorted({key[0] for key, _stored, _actual in wrong})
        self.stdout.write(f"{len(wrong)} counts disagree, in {len(programs)} programs")
        for key, stored, actual in wrong[:20]:
            self.stdout.write(f"  {key}: kept {stored}, actual {actual}")
        if options["repair"]:
            for program_id in programs:
                rows = program_counts_repair(program_id)
                self.stdout.write(f"program {program_id}: {rows} rows rewritten")
