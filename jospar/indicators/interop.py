"""Values exchanged with statistical systems: CSV (``indicator,period,region,value,comment``)
and DHIS2's ``dataValueSets`` JSON (``dataElement`` = the indicator's code, ``period`` in ISO
form, ``orgUnit`` = the region's code, ``KZ`` for the country).

Reading turns a file into rows and a list of problems, without touching the database's values;
``services.exchange.values_import`` writes the rows in one transaction, or nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.errors import ServiceError
from jospar.core.spreadsheet import csv_text
from jospar.indicators.models import DataValue
from jospar.indicators.periods import Period, PeriodError, parse_period, parse_value
from jospar.indicators.tabular import MAX_BYTES, read_table

NATIONAL = "KZ"
CSV_COLUMNS = ["indicator", "period", "region", "value", "comment"]
MAX_VALUES = 100_000
COMMENT_MAX = 2_000


@dataclass(frozen=True)
class InRow:
    line: int  # the line of a CSV, or the position in dataValues (from 1)
    indicator: str
    period: Period
    region: str  # a region's code, or NATIONAL
    value: Decimal
    comment: str


def _code(region_code: str | None) -> str:
    return region_code or NATIONAL


def export_rows(values: Iterable[DataValue]) -> list[dict[str, str]]:
    return [
        {
            "indicator": v.indicator.code,
            "period": v.period,
            "region": _code(v.region.code if v.region else None),
            "value": f"{v.current.normalize():f}",
            "comment": v.comment,
        }
        for v in values
    ]


def export_csv(values: Iterable[DataValue]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in export_rows(values):
        writer.writerow(
            [
                csv_text(row["indicator"]),
                row["period"],
                row["region"],
                row["value"],
                csv_text(row["comment"]),
            ]
        )
    return out.getvalue()


def export_data_value_sets(values: Iterable[DataValue]) -> dict[str, Any]:
    items = []
    for v in values:
        item = {
            "dataElement": v.indicator.code,
            "period": v.period,
            "orgUnit": _code(v.region.code if v.region else None),
            "value": f"{v.current.normalize():f}",
            "lastUpdated": timezone.localtime(v.reviewed_at or v.entered_at).isoformat(
                timespec="seconds"
            ),
        }
        if v.comment:
            item["comment"] = v.comment
        items.append(item)
    return {"dataValues": items}


def _problem(problems: list[str], line: int, text: str) -> None:
    if len(problems) < 50:
        problems.append(_("Row %(line)s: %(text)s") % {"line": line, "text": text})


def _row(
    problems: list[str],
    line: int,
    indicator: object,
    period: object,
    region: object,
    value: object,
    comment: object,
) -> InRow | None:
    ok = True
    if not isinstance(indicator, str) or not indicator.strip():
        _problem(problems, line, _("the indicator's code is missing."))
        ok = False
    if not isinstance(region, str) or not region.strip():
        _problem(problems, line, _("the region's code is missing."))
        ok = False
    parsed_period: Period | None = None
    try:
        parsed_period = parse_period(period)
    except PeriodError as exc:
        _problem(problems, line, str(exc.message))
    number: Decimal | None = None
    try:
        number = parse_value(value)
    except ServiceError as exc:
        _problem(problems, line, str(exc.message))
    text = comment if isinstance(comment, str) else ""
    if comment is not None and not isinstance(comment, str):
        _problem(problems, line, _("the comment is not text."))
        ok = False
    if "\x00" in text or len(text) > COMMENT_MAX:
        _problem(problems, line, _("the comment is too long or holds a NUL character."))
        ok = False
    if not ok or parsed_period is None or number is None:
        return None
    return InRow(
        line, str(indicator).strip(), parsed_period, str(region).strip(), number, text.strip()
    )


def read_values(filename: str, data: bytes) -> tuple[list[InRow], list[str]]:
    """The rows of a CSV or a dataValueSets JSON, and the problems found in them."""
    if len(data) > MAX_BYTES:
        raise ServiceError("unreadable_file", _("The file is larger than 10 MB."))
    if data.lstrip()[:1] in (b"{", b"[") or filename.lower().endswith(".json"):
        return _read_json(data)
    return _read_csv(filename, data)


def _read_json(data: bytes) -> tuple[list[InRow], list[str]]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        message = _("The file is not valid JSON.")
        raise ServiceError("unreadable_file", message, {"file": [message]}) from exc
    items = document.get("dataValues") if isinstance(document, dict) else None
    if not isinstance(items, list):
        message = _("The JSON has no “dataValues” list (DHIS2 dataValueSets).")
        raise ServiceError("unreadable_file", message, {"file": [message]})
    if len(items) > MAX_VALUES:
        raise ServiceError(
            "too_many", _("The file has more than %(n)s values.") % {"n": MAX_VALUES}
        )
    defaults = document if isinstance(document, dict) else {}
    rows: list[InRow] = []
    problems: list[str] = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            _problem(problems, position, _("not an object."))
            continue
        row = _row(
            problems,
            position,
            item.get("dataElement"),
            item.get("period", defaults.get("period")),
            item.get("orgUnit", defaults.get("orgUnit")),
            item.get("value"),
            item.get("comment"),
        )
        if row is not None:
            rows.append(row)
    return rows, problems


def _read_csv(filename: str, data: bytes) -> tuple[list[InRow], list[str]]:
    table = read_table(filename, data)
    missing = [c for c in CSV_COLUMNS[:4] if c not in table.header]
    unknown = [c for c in table.header if c not in CSV_COLUMNS]
    problems: list[str] = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if problems:
        return [], problems
    if len(table.rows) > MAX_VALUES:
        raise ServiceError(
            "too_many", _("The file has more than %(n)s values.") % {"n": MAX_VALUES}
        )
    index = {c: table.header.index(c) for c in CSV_COLUMNS if c in table.header}
    rows: list[InRow] = []
    for line, cells in enumerate(table.rows, start=2):
        row = _row(
            problems,
            line,
            cells[index["indicator"]],
            cells[index["period"]],
            cells[index["region"]],
            cells[index["value"]],
            cells[index["comment"]] if "comment" in index else "",
        )
        if row is not None:
            rows.append(row)
    return rows, problems
