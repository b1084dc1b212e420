"""The quarterly monitoring report as DOCX, XLSX and PDF, in Kazakh or Russian, from its data.

The data is laid out once as sections of tables (``sections``); each writer only draws them.
"""

from __future__ import annotations

import io
from html import escape
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from jospar.media.models import Lang, MonitoringReport, RubricPeriod, SourceKind

Section = tuple[str, list[str], list[list[str]]]


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def title(report: MonitoringReport) -> str:
    return _("Monitoring of the information space: %(year)d, quarter %(quarter)d") % {
        "year": report.year,
        "quarter": report.quarter,
    }


def sections(report: MonitoringReport) -> list[Section]:
    data: dict[str, Any] = report.data
    name_key = "name_kk" if report.lang == "kk" else "name_ru"
    title_key = "title_kk" if report.lang == "kk" else "title_ru"
    kinds = dict(SourceKind.choices)
    langs = dict(Lang.choices)
    periods = {k: str(v) for k, v in RubricPeriod.choices}
    total = int(data.get("total", 0))
    out: list[Section] = [
        (
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Period"), f"{data['since']} — {data['until']}"],
                [_("Publications"), str(total)],
                [_("Share in the state language"), _pct(float(data["state_language_share"]))],
                [_("In Kazakh in the Latin script"), str(data.get("kk_latin", 0))],
                [_("Reprints"), str(data.get("reprints", 0))],
                [
                    _("Stories (a story told in several publications or languages counted once)"),
                    str(data.get("stories_total", total)),
                ],
                [
                    _("Stories told in both Kazakh and Russian"),
                    str(data.get("stories_in_both_languages", 0)),
                ],
                [_("Declared reach of the sources"), str(data.get("declared_reach", 0))],
            ],
        ),
        (
            _("Publications by kind of source"),
            [_("Kind of source"), _("Publications")],
            [[str(kinds.get(k, k)), str(n)] for k, n in sorted(data["by_kind"].items())],
        ),
        (
            _("Publications by region"),
            [_("Region"), _("Publications")],
            [[r[name_key] or _("Republic-wide"), str(r["count"])] for r in data["by_region"]],
        ),
        (
            _("Publications by language"),
            [_("Language"), _("Publications")],
            [[str(langs.get(k, k)), str(n)] for k, n in sorted(data["by_lang"].items())],
        ),
        (
            _("The most repeated stories"),
            [_("Story"), _("First published"), _("Repeats"), _("Sources"), _("Languages")],
            [
                [
                    s["title"],
                    f"{s['first_source']}, {s['first_on']}",
                    str(s["count"]),
                    str(s["sources"]),
                    ", ".join(str(langs.get(x, x)) for x in s["langs"]),
                ]
                for s in data["top_stories"]
            ],
        ),
        (
            _("Rubrics"),
            [_("Rubric"), _("Publications")],
            [[r["rubric"], str(r["count"])] for r in data["rubrics"]],
        ),
        (
            _("Rubrics' cadence against the plan"),
            [_("Rubric"), _("Activity"), _("Expected"), _("Found"), _("Periods met")],
            [
                [
                    c["rubric"],
                    str(c["activity"]),
                    _("%(n)d per %(period)s")
                    % {"n": c["expected_per_period"], "period": periods.get(c["period"], "")},
                    f"{c['found']} / {c['expected']}",
                    f"{c['periods_met']} / {c['periods']}",
                ]
                for c in data.get("cadence", [])
            ],
        ),
        (
            _("Activities with no confirmed publication yet (%(n)d)")
            % {"n": data["silent_activities_total"]},
            [_("Activity"), _("Text")],
            [
                [a["number"], a[title_key] or a["title_kk"] or a["title_ru"]]
                for a in data["silent_activities"]
            ],
        ),
        (
            _("Source health over the quarter"),
            [_("Source"), _("Requests"), _("Failed requests"), _("Publications")],
            [
                [h["source"], str(h["fetches"]), str(h["errors"]), str(h["publications"])]
                for h in data["source_health"]
            ],
        ),
    ]
    return out


def _footer(report: MonitoringReport) -> str:
    if report.data_sha256:
        return _("Submitted; SHA-256 of the data: %(hash)s") % {"hash": report.data_sha256}
    return _("Draft, not submitted")


def render(report: MonitoringReport, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and its content type."""
    with translation.override(report.lang):
        heading, parts, footer = title(report), sections(report), _footer(report)
    if fmt == "xlsx":
        return _xlsx(heading, parts, footer), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    if fmt == "pdf":
        return _pdf(heading, parts, footer, report.lang), "application/pdf"
    return _docx(heading, parts, footer), (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def _docx(heading: str, parts: list[Section], footer: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(heading, level=1)
    for name, header, rows in parts:
        document.add_heading(name, level=2)
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    document.add_paragraph(footer)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(heading: str, parts: list[Section], footer: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "report"
    sheet.append([heading])
    for name, header, rows in parts:
        sheet.append([])
        sheet.append([name])
        sheet.append(header)
        for row in rows:
            sheet.append([int(v) if v.isdigit() else v for v in row])
    sheet.append([])
    sheet.append([footer])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf(heading: str, parts: list[Section], footer: str, lang: str) -> bytes:
    from weasyprint import HTML

    html = [
        f'<html lang="{lang}"><head><meta charset="utf-8"><style>'
        "body{font-family:'DejaVu Sans',sans-serif;font-size:9pt}"
        "table{border-collapse:collapse;width:100%;margin-bottom:8pt}"
        "td,th{border:0.5pt solid #999;padding:2pt 4pt;text-align:left}"
        f"</style></head><body><h1>{escape(heading)}</h1>"
    ]
    for name, header, rows in parts:
        html.append(f"<h2>{escape(name)}</h2><table><tr>")
        html.extend(f"<th>{escape(h)}</th>" for h in header)
        html.append("</tr>")
        for row in rows:
            html.append("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>")
        html.append("</table>")
    html.append(f"<p>{escape(footer)}</p></body></html>")
    return bytes(HTML(string="".join(html)).write_pdf())
