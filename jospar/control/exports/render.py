"""From the report's data to a file in one of the three formats, in the report's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

from jospar.control.exports.data import ConsolidatedReport
from jospar.control.exports.docx_writer import write_docx
from jospar.control.exports.pdf_writer import write_pdf
from jospar.control.exports.periods import ReportPeriod
from jospar.control.exports.xlsx_writer import write_xlsx

Progress = Callable[[int, int], None]

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}


@dataclass(frozen=True)
class RenderedReport:
    data: bytes
    content_type: str
    file_name: str


def file_name(
    *, plan_id: int, period: ReportPeriod, lang: str, fmt: str, subject: str = "plan"
) -> str:
    """``jospar-plan-12-2016Q1-kk.docx`` (``jospar-program-3-…`` for a program): ASCII only,
    so that every browser keeps it."""
    return f"jospar-{subject}-{plan_id}-{period.slug}-{lang}.{fmt}"


def render_report(
    report: ConsolidatedReport,
    fmt: str,
    progress: Progress | None = None,
    *,
    parallel: bool = False,
) -> RenderedReport:
    """``parallel``: a long PDF is laid out in chunks in processes of their own (the background
    worker's choice; a web worker builds in its own process)."""
    with translation.override(report.lang):
        if fmt == "pdf":
            data = write_pdf(report, progress, workers=None if parallel else 1)
        else:
            data = _WRITERS[fmt](report, progress)
    return RenderedReport(
        data=data,
        content_type=CONTENT_TYPES[fmt],
        file_name=file_name(
            plan_id=report.plan_id,
            period=ReportPeriod(report.period_start, report.period_end),
            lang=report.lang,
            fmt=fmt,
            subject=report.subject,
        ),
    )
