"""`jospar parse-program FILE [--lang kk|ru]`: a program's tree as one JSON object.

Like `parse-plan`, it needs no database; errors go to stderr in the service error shape with exit
code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from jospar.planparser.cli import _ArgumentError, _error, _HelpShown, _Parser
from jospar.planparser.model import Lang, PlanParseError
from jospar.planparser.program.reader import parse_program


def _parser() -> _Parser:
    p = _Parser(
        prog="jospar parse-program",
        description="Read a state program (.txt, .docx, .html) and print its tree as JSON.",
    )
    p.add_argument("file", help="the program file")
    p.add_argument("--lang", choices=["kk", "ru"], help="the program's language (default: detect)")
    return p


def run_parse_program(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _HelpShown:
        parser.print_help(stdout)
        return 0
    except _ArgumentError as exc:
        return _error(stderr, "bad_arguments", exc.message, {exc.field: [exc.message]})
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        msg = f"No such file: {path}"
        return _error(stderr, "file_not_found", msg, {"file": [msg]})
    except OSError as exc:
        msg = f"Cannot read {path}: {exc.strerror or exc}"
        return _error(stderr, "file_unreadable", msg, {"file": [msg]})
    lang: Lang | None = args.lang
    try:
        program = parse_program(data, filename=path.name, lang=lang)
    except PlanParseError as exc:
        return _error(stderr, exc.code, exc.message, {"file": [exc.message]})
    stdout.write(json.dumps(program.to_json(), ensure_ascii=False, indent=2) + "\n")
    return 0
