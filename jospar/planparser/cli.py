"""`jospar parse-plan FILE [--lang kk|ru] [--period START END]`: a plan as one JSON object.

Needs no database, so that any plan can be checked in seconds. Errors go to stderr in the
service error shape `{"code", "message", "fields"}` with exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, Protocol, TextIO

from jospar.planparser.document import parse_plan
from jospar.planparser.model import Lang, Period, PlanParseError

USAGE_ERROR = 2


class _ArgumentError(Exception):
    def __init__(self, message: str, field: str = "arguments") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class _HelpShown(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports instead of exiting, so errors keep the JSON shape."""

    def error(self, message: str) -> NoReturn:
        raise _ArgumentError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _HelpShown


def _parser() -> _Parser:
    p = _Parser(
        prog="jospar parse-plan",
        description="Parse a plan (.txt, .docx, .html) and print it as JSON.",
    )
    p.add_argument("file", help="the plan file")
    p.add_argument("--lang", choices=["kk", "ru"], help="the plan's language (default: detect)")
    p.add_argument(
        "--period",
        nargs=2,
        metavar=("START", "END"),
        help="the plan's period, ISO dates, where the text gives none or gives it wrongly",
    )
    return p


def _error(stderr: TextIO, code: str, message: str, fields: dict[str, list[str]]) -> int:
    payload: dict[str, Any] = {"code": code, "message": message, "fields": fields}
    stderr.write(json.dumps(payload, ensure_ascii=False) + "\n")
    return USAGE_ERROR


def _period(values: list[str] | None) -> Period | None:
    if values is None:
        return None
    try:
        start, end = (dt.date.fromisoformat(v) for v in values)
    except ValueError as exc:
        raise _ArgumentError(f"--period needs two ISO dates (YYYY-MM-DD): {exc}", "period") from exc
    if start > end:
        raise _ArgumentError("--period: START is after END.", "period")
    return Period(start, end)


class Reader(Protocol):
    def __call__(self, data: bytes, filename: str, lang: Lang | None, **extra: Any) -> Any: ...


def run_reader(
    parser: _Parser,
    argv: list[str],
    stdout: TextIO,
    stderr: TextIO,
    read: Reader,
    extra: Callable[[argparse.Namespace], dict[str, Any]] | None = None,
) -> int:
    """Parse the arguments, read the file, print what `read` made of it as JSON.

    The commands that read a document (`parse-plan`, `parse-program`, `parse-amendment`) differ
    only in their reader and options: errors keep one shape and exit code for all of them.
    """
    try:
        args = parser.parse_args(argv)
        options = extra(args) if extra else {}
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
    try:
        result = read(data, path.name, args.lang, **options)
    except PlanParseError as exc:
        return _error(stderr, exc.code, exc.message, {"file": [exc.message]})
    stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    return 0


def document_parser(prog: str, description: str, what: str) -> _Parser:
    p = _Parser(prog=prog, description=description)
    p.add_argument("file", help=f"the {what} file")
    p.add_argument("--lang", choices=["kk", "ru"], help=f"the {what}'s language (default: detect)")
    return p


def _read_plan(data: bytes, filename: str, lang: Lang | None, **extra: Any) -> Any:
    return parse_plan(data, filename=filename, lang=lang, period=extra.get("period"))


def run_parse_plan(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    return run_reader(
        _parser(), argv, stdout, stderr, _read_plan, lambda a: {"period": _period(a.period)}
    )
