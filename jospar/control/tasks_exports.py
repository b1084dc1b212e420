"""Background work of the reports on a plan's execution: building large files."""

from __future__ import annotations

from celery import shared_task

from jospar.control.services.exports import report_export_build


@shared_task(name="control.build_report_export", acks_late=True)  # type: ignore[untyped-decorator]
def build_report_export(export_id: int) -> str:
    """Build a requested export. Takes the id and is safe to run twice: an export already built
    is not built again."""
    # A worker may lay a long PDF out on all its cores (jospar.control.exports.pdf_layout).
    export = report_export_build(export_id=export_id, parallel=True)
    return export.status if export is not None else "missing"
