"""`jospar parse-amendment FILE [--lang kk|ru]`: an amending act's changes as one JSON object.

Needs no database. Errors go to stderr in the service error shape with exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from jospar.planparser.amendment import parse_amendment
from jospar.planparser.cli import _ArgumentError, _error, _HelpShown, _Parser
from jospar.planparser.model import Lang, PlanParseError


def _parser() -> _Parser:
    p = _Parser(
        prog="jospar parse-amendment",
        description="Read an amending act (.txt, .docx, .html) and print its changes as JSON.",
    )
    p.add_argument("file", help="the amending act")
    p.add_argument("--lang", choices=["kk", "ru"], help="the act's language (default: detect)")
    return p


def run_parse_amendment(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
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
        act = parse_amendment(data, filename=path.name, lang=lang)
    except PlanParseError as exc:
        return _error(stderr, exc.code, exc.message, {"file": [exc.message]})
    stdout.write(json.dumps(act.to_json(), ensure_ascii=False, indent=2) + "\n")
    return 0
