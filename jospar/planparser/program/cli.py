"""`jospar parse-program FILE [--lang kk|ru]`: a program's tree as one JSON object.

Like `parse-plan`, it needs no database; errors go to stderr in the service error shape with exit
code 2.
"""

from __future__ import annotations

from typing import Any, TextIO

from jospar.planparser.cli import document_parser, run_reader
from jospar.planparser.model import Lang
from jospar.planparser.program.reader import parse_program


def _read(data: bytes, filename: str, lang: Lang | None, **extra: Any) -> Any:
    return parse_program(data, filename=filename, lang=lang)


def run_parse_program(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = document_parser(
        "jospar parse-program",
        "Read a state program (.txt, .docx, .html) and print its tree as JSON.",
        "program",
    )
    return run_reader(parser, argv, stdout, stderr, _read)
