"""The ``jospar`` command.

``parse-plan``, ``parse-program`` and ``parse-deadlines`` need no database and do not start
Django, so that any plan can be checked in seconds; everything else is a Django management command.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

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
    "calendar-set",
    "calendar-show",
    "synth-civic",
    "synth-indicators",
    "synth-initiatives",
    "sweep-files",
    "compute-indicators",
    "collect-media",
    "initiatives-official",
    "civic-figures-check",
    "heart-cycle",
    "heart-jury",
    "heart-nomination",
    "program-counts",
    "discipline-counts",
    "extend-status-schedules",
}


# jospar's own commands, listed first by `jospar --help`, one line each (Django's follow).
OWN_COMMANDS = {
    "demo": "build the demo: regions, the seed plans, one user per role; prints the logins",
    "serve": "run jospar on the embedded default (127.0.0.1:8000, or ADDR:PORT given)",
    "parse-plan": "read a plan file and print what the importer finds (no database)",
    "parse-program": "read a state program's text and print its tree (no database)",
    "parse-amendment": "read an amending act and print the changes it makes (no database)",
    "parse-deadlines": "read deadline texts from standard input and print their rules",
    "detect-language": 'JSON lines {"text": ...} in, {"lang", "script"} out (no database)',
    "collect-media": "collect the monitored sources that are due (politely; safe to rerun)",
    "initiatives-official": "appoint a region's responsible official for civic initiatives",
    "heart-cycle": "open a year's Generous Heart cycle (national or a region's) with its dates",
    "heart-jury": "appoint a member of a Generous Heart cycle's jury",
    "heart-nomination": "add a nomination to a Generous Heart cycle",
    "import-plan": "import plans from their official text (.txt, .docx, .html, .pdf)",
    "import-program": "import state programs from their text into the program tree",
    "load-regions": "load Kazakhstan's regions, boundaries and akimats (safe to rerun)",
    "load-gazetteer": "load the packaged gazetteer of Kazakhstan's settlements (safe to rerun)",
    "load-directory": "load the central state bodies, current and past (safe to rerun)",
    "seed-calendar": "add public holidays and transferred days of FIRST LAST years",
    "calendar-set": "correct one day: DATE --day-off|--working|--ordinary --reason ...",
    "calendar-show": "list a year's days off and working weekend days",
    "run-schedule": "run the periodic jobs (reminders, digests) that are due",
    "audit-verify": "verify the audit log's keyed chain against its anchors",
    "audit-anchor": "write the audit chain's head outside the database (also periodic)",
    "backup": "back up the database and the files together, with a manifest of hashes",
    "restore": "restore a backup into an empty database and verify chain and files",
    "sweep-files": "delete uploaded files no row points at, and stale temporaries",
    "synth": "build a national-scale synthetic control schedule (benchmarks)",
    "synth-civic": "add synthetic citizens' reports (benchmarks)",
    "synth-indicators": "add 300 synthetic indicators × 20 regions × 40 quarters (benchmarks)",
    "synth-initiatives": "add 200,000 synthetic initiatives, pledges, 2 million votes (benchmarks)",
    "compute-indicators": "recompute the indicators computed from jospar's data",
    "civic-figures-check": "compare Civic Control's kept figures with the reports (--repair)",
    "program-counts": "compare the programs' kept counts with the obligations (--repair)",
    "discipline-counts": "compare the discipline counts with the obligations (--repair)",
    "extend-status-schedules": "schedule the status reports each program owes a year ahead",
}


def _help(out: TextIO) -> None:
    out.write("Usage: jospar COMMAND [options]   (jospar help COMMAND for its options)\n\n")
    out.write("jospar's commands:\n")
    for name, line in OWN_COMMANDS.items():
        out.write(f"  {name:<16} {line}\n")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import get_commands

    django.setup()
    others = sorted(name for name, app in get_commands().items() if not app.startswith("jospar"))
    out.write("\nDjango's commands (jospar runs them too):\n")
    for start in range(0, len(others), 3):
        out.write("  " + "".join(f"{name:<27}" for name in others[start : start + 3]).rstrip())
        out.write("\n")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args == ["help"]:
        _help(sys.stdout)
        return 0
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
    if args and args[0] == "detect-language":
        from jospar.media.language_cli import run_detect_language

        return run_detect_language(sys.stdin, sys.stdout, sys.stderr)
    # Our own commands are spelt with hyphens (`import-plan`); Django's modules cannot be.
    if args and args[0] in HYPHENATED:
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jospar", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
