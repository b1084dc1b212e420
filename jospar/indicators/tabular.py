"""Reading a table from an uploaded file: CSV (UTF-8 or Windows-1251, comma, semicolon or tab)
or XLSX (the first sheet). One reader for survey answers and value imports; every cell becomes
a stripped string, every problem a ``ServiceError`` naming the file."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jospar.core.errors import ServiceError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 500
CELL_MAX = 500


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]  # each as long as the header; row i is line i + 2 of the file


def _refuse(message: str) -> ServiceError:
    return ServiceError("unreadable_file", message, {"file": [message]})


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if "\x00" in text:
        raise _refuse(_("The file holds a NUL character."))
    return text[:CELL_MAX]


def _csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes nearly any byte
        raise _refuse(_("The file is neither UTF-8 nor Windows-1251 text."))
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return [
            [_cell(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise _refuse(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise _refuse(_("The XLSX file cannot be read.")) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append([_cell(c) for c in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def read_table(filename: str, data: bytes) -> Table:
    if len(data) > MAX_BYTES:
        raise _refuse(_("The file is larger than 10 MB."))
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        rows = _xlsx(data)
    else:
        rows = _csv(data)
    rows = [row for row in rows if any(row)]
    if not rows:
        raise _refuse(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise _refuse(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    header = [h.strip().lower() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise _refuse(_("The file has too many columns."))
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    return Table(header, body)
