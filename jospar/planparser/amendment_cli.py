"""`jospar parse-amendment FILE [--lang kk|ru]`: an amending act's changes as one JSON object.

Needs no database. Errors go to stderr in the service error shape with exit code 2.
"""

from __future__ import annotations

from typing import Any, TextIO

from jospar.planparser.amendment import parse_amendment
from jospar.planparser.cli import document_parser, run_reader
from jospar.planparser.model import Lang


def _read(data: bytes, filename: str, lang: Lang | None, **extra: Any) -> Any:
    return parse_amendment(data, filename=filename, lang=lang)


def run_parse_amendment(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = document_parser(
        "jospar parse-amendment",
        "Read an amending act (.txt, .docx, .html) and print its changes as JSON.",
        "act",
    )
    return run_reader(parser, argv, stdout, stderr, _read)
