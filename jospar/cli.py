"""The ``jospar`` command.

``parse-plan``, ``parse-program`` and ``parse-deadlines`` need no database and do not start
Django, so that any plan can be checked in seconds; everything else is a Django management command.
"""

from __future__ import annotations

import os
import sys

HYPHENATED = {
    "import-plan",
    "import-program",
    "load-regions",
    "load-gazetteer",
    "load-directory",
    "audit-verify",
    "audit-anchor",
    "run-schedule",
    "seed-calendar",
    "synth-civic",
    "sweep-files",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "parse-plan":
        from jospar.planparser.cli import run_parse_plan

        return run_parse_plan(args[1:], sys.stdout, sys.stderr)
    if args and args[0] == "parse-program":
        from jospar.planparser.program.cli import run_parse_program

        return run_parse_program(args[1:], sys.stdout, sys.stderr)
    if args and args[0] == "parse-amendment":
        from jospar.planparser.amendment_cli import run_parse_amendment

        return run_parse_amendment(args[1:], sys.stdout, sys.stderr)
    if args and args[0] == "parse-deadlines":
        from jospar.planparser.deadlines_cli import run_parse_deadlines

        return run_parse_deadlines(sys.stdin, sys.stdout)
    # Our own commands are spelt with hyphens (`import-plan`); Django's modules cannot be.
    if args and args[0] in HYPHENATED:
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jospar", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
