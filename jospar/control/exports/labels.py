"""The words of the report, looked up in the language the report is built in.

Column headings carry a context so that their official wording («№ п/п», «Р/с №») does not
change the same English words elsewhere in the interface.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jospar.control.exports.data import ConsolidatedReport
from jospar.control.exports.periods import ReportPeriod


def column_headings(report: ConsolidatedReport | None = None) -> list[str]:
    program = report is not None and report.subject == "program"
    return [
        pgettext("report column", "No."),
        pgettext("report column", "Project task, key event")
        if program
        else pgettext("report column", "Name of the activity"),
        pgettext("report column", "Form of completion"),
        pgettext("report column", "Responsible executors"),
        pgettext("report column", "Deadline"),
        pgettext("report column", "Information on execution"),
        pgettext("report column", "Execution mark"),
    ]


def report_heading(report: ConsolidatedReport | None = None) -> str:
    if report is not None and report.subject == "program":
        return _(
            "Information on the course of execution of the Program: what was done, what is "
            "late and why"
        )
    return _("Information on the course of execution of the Plan of activities")


def period_line(report: ConsolidatedReport) -> str:
    return ReportPeriod(report.period_start, report.period_end).label()


def approval_line(report: ConsolidatedReport) -> str:
    if report.approved_on is None:
        return ""
    if report.approval_number:
        return _("approved on %(date)s, No. %(number)s") % {
            "date": f"{report.approved_on:%d.%m.%Y}",
            "number": report.approval_number,
        }
    return _("approved on %(date)s") % {"date": f"{report.approved_on:%d.%m.%Y}"}


def organisation_line(report: ConsolidatedReport) -> str:
    if not report.organisation_name:
        return ""
    return _("Reports of: %(organisation)s") % {"organisation": report.organisation_name}


def status_date_line(report: ConsolidatedReport) -> str:
    return _("Statuses as of %(date)s") % {"date": f"{report.status_on:%d.%m.%Y}"}


def not_reported_line(labels: list[str]) -> str:
    return _("No information submitted: %(executors)s") % {"executors": ", ".join(labels)}


def attachments_line(names: tuple[str, ...] | list[str]) -> str:
    return _("Attachments: %(files)s") % {"files": ", ".join(names)}


def no_rows_line(report: ConsolidatedReport | None = None) -> str:
    if report is not None and report.subject == "program":
        return _("No project task of the program is due in this period.")
    return _("No activity of the plan owes a report in this period.")
