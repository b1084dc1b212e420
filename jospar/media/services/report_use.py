"""The submitted quarterly monitoring report as the execution report of the monitoring activity
(plan 001, #10: "monitor the information space, report quarterly by the 5th").

Which activities it serves is marked by an administrator or the plan's controller
(``MonitoringActivity``). An executor of the organisation that owes such an activity's report
attaches the frozen report to their draft with one action: control's own services start the
draft, store the report's DOCX as the draft's attachment (checked by content like any upload)
and, where the activity ends with information, give it as that evidence; an empty draft text
gets the report's summary. Nothing is submitted for the executor.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jospar.control.access.obligations import can_report_for
from jospar.control.models import Obligation
from jospar.control.models_evidence import EvidenceKind
from jospar.control.services.evidence import (
    EvidenceInput,
    evidence_kinds_asked,
    report_evidence_add,
)
from jospar.control.services.reports import (
    report_attachment_add,
    report_draft_open,
    report_draft_update,
)
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.media.access import can_keep_rubrics
from jospar.media.models import MonitoringActivity, MonitoringReport, MonitoringReportUse
from jospar.media.report_files import render
from jospar.media.services.reports import frozen_intact, quarter_bounds
from jospar.plans.models import Activity

# The report is due by the 5th of the month after the quarter; an obligation due within this
# many days after the quarter's end is that quarter's.
DUE_WITHIN_DAYS = 62


def monitoring_activity_set(*, actor: User, activity: Activity, marked: bool) -> bool:
    """Mark (or unmark) the activity as reported by the quarterly monitoring report."""
    if not can_keep_rubrics(actor, activity):
        raise PermissionRefused(
            "not_allowed",
            _("Only an administrator or the plan's controller marks monitoring activities."),
        )
    with transaction.atomic():
        existing = MonitoringActivity.objects.select_for_update().filter(activity=activity)
        if existing.exists() == marked:
            return marked
        if marked:
            MonitoringActivity.objects.create(
                activity=activity, marked_by=actor, marked_at=timezone.now()
            )
        else:
            existing.delete()
        audit_record(
            actor=actor,
            action="media.monitoring_activity_marked"
            if marked
            else "media.monitoring_activity_unmarked",
            object_type="plans.Activity",
            object_id=activity.pk,
            after={"marked": marked},
        )
    return marked


def is_monitoring_activity(activity: Activity) -> bool:
    return MonitoringActivity.objects.filter(activity=activity).exists()


def open_monitoring_obligations(actor: User) -> QuerySet[Obligation]:
    """The actor's organisation's open obligations of monitoring activities, soonest first."""
    if not actor.is_authenticated or actor.organisation_id is None:
        return Obligation.objects.none()
    return (
        Obligation.objects.filter(
            activity__media_monitoring__isnull=False,
            organisation_id=actor.organisation_id,
            in_force=True,
            accepted_at__isnull=True,
        )
        .select_related("activity", "activity__plan")
        .order_by("due_on", "pk")
    )


def obligation_for_quarter(
    obligations: list[Obligation], report: MonitoringReport
) -> Obligation | None:
    """The obligation the submitted report answers: the one due within two months after its
    quarter (by the 5th of the next month, in the plan's words)."""
    if report.submitted_at is None:
        return None
    _since, until = quarter_bounds(report.year, report.quarter)
    latest = until + dt.timedelta(days=DUE_WITHIN_DAYS)
    return next((o for o in obligations if until < o.due_on <= latest), None)


def _summary(report: MonitoringReport) -> str:
    data = report.data
    with translation.override(report.lang):
        return _(
            "The quarterly monitoring report for %(year)d, quarter %(quarter)d: %(total)d"
            " publications, %(share).1f %% of them in the state language, %(stories)d stories."
            " Its data is frozen (SHA-256 %(hash)s); the file is attached."
        ) % {
            "year": report.year,
            "quarter": report.quarter,
            "total": int(data.get("total", 0)),
            "share": float(data.get("state_language_share", 0)) * 100,
            "stories": int(data.get("stories_total", data.get("total", 0))),
            "hash": report.data_sha256,
        }


def monitoring_report_attach(
    *, actor: User, report: MonitoringReport, obligation: Obligation
) -> MonitoringReportUse:
    """Attach the submitted report to the actor's draft execution report for the obligation."""
    if report.submitted_at is None or not frozen_intact(report):
        raise Conflict(
            "not_submitted", _("Only a submitted report, frozen with its hash, is attached.")
        )
    if (
        obligation.activity_id is None
        or not MonitoringActivity.objects.filter(activity_id=obligation.activity_id).exists()
    ):
        message = _("This activity is not reported by the monitoring report.")
        raise ServiceError("not_monitoring", message, {"obligation": [message]})
    if not can_report_for(actor, obligation):
        raise PermissionRefused(
            "not_your_obligation",
            _("Only an executor of the organisation that owes this report may write it."),
        )
    body, _type = render(report, "docx")
    name = f"monitoring-{report.year}-Q{report.quarter}-{report.lang}.docx"
    with transaction.atomic():
        draft = report_draft_open(actor=actor, obligation=obligation)
        if MonitoringReportUse.objects.filter(report=report, execution_report=draft).exists():
            raise Conflict(
                "already_attached", _("This monitoring report is already attached to the draft.")
            )
        stream = ContentFile(body, name=name)
        if EvidenceKind.INFORMATION in evidence_kinds_asked(obligation):
            evidence = report_evidence_add(
                actor=actor,
                report=draft,
                data=EvidenceInput(kind=EvidenceKind.INFORMATION),
                files=[(stream, name)],
            )
            attachment = evidence.files.order_by("pk").first()
        else:
            attachment = report_attachment_add(actor=actor, report=draft, stream=stream, name=name)
        if not draft.text.strip():
            report_draft_update(actor=actor, report=draft, text=_summary(report), lang=report.lang)
        use = MonitoringReportUse.objects.create(
            report=report,
            execution_report=draft,
            attachment=attachment,
            attached_by=actor,
            attached_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="media.report_attached",
            object_type="media.MonitoringReport",
            object_id=report.pk,
            after={
                "execution_report": draft.pk,
                "obligation": obligation.pk,
                "attachment": attachment.pk if attachment else None,
                "data_sha256": report.data_sha256,
            },
        )
    return use
