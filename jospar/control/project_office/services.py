"""The regional status reports on the control loop: the schedule makes one obligation per
report (owed by the region's project office, due on the report's date); the office writes and
submits the report, with the figures of that moment frozen in it; the centre accepts it or
returns it with a comment. Each service sets the obligation's facts and keeps the discipline
counts as the execution reports' services do (`services_reports`, `services_review`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import counts_after, counts_before, counts_kept
from jospar.control.models import Obligation
from jospar.control.project_office.figures import status_figures
from jospar.control.services.common import facts, local_today
from jospar.core.audit import audit_record
from jospar.core.calendar import next_working_day
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import Region, User
from jospar.programs.models import (
    Program,
    ProgramNode,
    StatusReport,
    StatusReportReview,
    StatusSchedule,
)
from jospar.programs.models_office import StatusReportState
from jospar.programs.office_policy import may_review_status_report, may_write_status_report
from jospar.programs.services.status_reports import (
    ScheduleOutcome,
    status_report_write,
    status_schedule_extend,
    status_schedule_write,
)

COMMENT_MAX = 10_000


def status_schedule_set(
    *,
    actor: User,
    program: Program,
    node: ProgramNode | None,
    frequency: str,
    starts_on: dt.date | None,
    regions: list[Region],
) -> ScheduleOutcome:
    """The centre sets how often the regional offices report; each report it makes is owed
    as an obligation of the control loop (the region's, due on the report's date)."""
    with transaction.atomic():
        outcome = status_schedule_write(
            actor=actor,
            program=program,
            node=node,
            frequency=frequency,
            starts_on=starts_on,
            regions=regions,
            today=local_today(),
        )
        _on_control(outcome)
    return outcome


def _on_control(outcome: ScheduleOutcome) -> None:
    """The schedule's new reports owed on the control loop, changed ones with their new
    dates, retired ones out of force; the counts kept."""
    touched = [r.pk for r in outcome.changed] + outcome.retired
    with counts_kept(Q(status_report_id__in=[r.pk for r in outcome.made] + touched)):
        Obligation.objects.bulk_create(
            Obligation(
                status_report=r,
                region_id=r.region_id,
                due_on=r.due_on,
                deadline=next_working_day(r.due_on),
            )
            for r in outcome.made
        )
        for r in outcome.changed:
            Obligation.objects.filter(status_report=r).update(
                due_on=r.due_on, deadline=next_working_day(r.due_on), in_force=True
            )
        Obligation.objects.filter(status_report_id__in=outcome.retired).update(in_force=False)


def status_schedules_extend(*, on: dt.date) -> int:
    """The daily job: every program's schedule makes its reports up to a year ahead of ``on``
    and puts them on control, one transaction per schedule. Returns the reports made;
    idempotent (a second run the same day makes none)."""
    made = 0
    for schedule_id in StatusSchedule.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            schedule = StatusSchedule.objects.get(pk=schedule_id)
            outcome = status_schedule_extend(schedule=schedule, today=on)
            _on_control(outcome)
            made += len(outcome.made)
    return made


def _obligation(report: StatusReport) -> Obligation:
    return Obligation.objects.select_for_update(of=("self",)).get(status_report=report)


def status_report_save(
    *, actor: User, report: StatusReport, narrative: str, risks: str, help_requests: str
) -> StatusReport:
    """The office writes its report; the figures are read from the data now."""
    with transaction.atomic():
        return status_report_write(
            actor=actor,
            report=report,
            narrative=narrative,
            risks=risks,
            help_requests=help_requests,
            figures=status_figures(report, local_today()),
        )


def status_report_submit(*, actor: User, report: StatusReport) -> StatusReport:
    """Send the report to the centre: its figures are taken again now and frozen in it."""
    if not may_write_status_report(actor, report):
        raise PermissionRefused(
            "not_office", _("Only the project office of this region writes its status report.")
        )
    with transaction.atomic():
        obligation = _obligation(report)
        locked = StatusReport.objects.select_for_update().get(pk=report.pk)
        if not locked.in_force or not obligation.in_force:
            raise Conflict("not_in_force", _("This report is no longer owed."))
        if locked.state not in (StatusReportState.DRAFT, StatusReportState.RETURNED):
            raise Conflict("not_draft", _("Write the report before sending it."))
        if not locked.narrative.strip():
            message = _("Write what was done in the period before sending the report.")
            raise ServiceError("empty_report", message, {"narrative": [message]})
        before = facts(obligation)
        kept = counts_before(Q(pk=obligation.pk))
        now = timezone.now()
        locked.figures = status_figures(locked, timezone.localdate(now))
        locked.figures_at = now
        locked.state = StatusReportState.SUBMITTED
        locked.submitted_at = now
        locked.version += 1
        locked.written_by = actor
        locked.save()
        obligation.submitted_at = now
        obligation.submitted_on = timezone.localdate(now)
        if obligation.deadline is None:
            obligation.deadline = next_working_day(obligation.due_on)
        if obligation.first_late_days is None:
            days = (timezone.localdate(now) - obligation.deadline).days
            obligation.first_late_days = max(days, 0)
        obligation.save(
            update_fields=["submitted_at", "submitted_on", "deadline", "first_late_days"]
        )
        counts_after(kept)
        audit_record(
            actor=actor,
            action="status_report.submitted",
            object_type="control.Obligation",
            object_id=obligation.pk,
            before=before,
            after={
                **facts(obligation),
                "status_report": locked.pk,
                "version": locked.version,
                "figures": locked.figures,
            },
        )
    return locked


def _reviewable(actor: User, report: StatusReport) -> tuple[Obligation, StatusReport]:
    if not may_review_status_report(actor, report):
        raise PermissionRefused(
            "not_centre",
            _(
                "Only the program's centre (its curator, the sub-program's curator or head)"
                " may do this."
            ),
        )
    obligation = _obligation(report)
    locked = StatusReport.objects.select_for_update().get(pk=report.pk)
    if locked.state != StatusReportState.SUBMITTED:
        raise Conflict("not_submitted", _("Only a submitted report is accepted or returned."))
    return obligation, locked


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        message = _("The comment is too long.")
        raise ServiceError("comment_too_long", message, {"comment": [message]})
    return comment


def status_report_accept(*, actor: User, report: StatusReport, comment: str = "") -> StatusReport:
    comment = _comment(comment)
    with transaction.atomic():
        obligation, locked = _reviewable(actor, report)
        before = facts(obligation)
        kept = counts_before(Q(pk=obligation.pk))
        now = timezone.now()
        StatusReportReview.objects.create(
            report=locked, version=locked.version, accepted=True, comment=comment, reviewer=actor
        )
        locked.state = StatusReportState.ACCEPTED
        locked.save(update_fields=["state"])
        obligation.accepted_at = now
        obligation.save(update_fields=["accepted_at"])
        counts_after(kept)
        audit_record(
            actor=actor,
            action="status_report.accepted",
            object_type="control.Obligation",
            object_id=obligation.pk,
            before=before,
            after={**facts(obligation), "status_report": locked.pk, "comment": comment},
        )
    return locked


def status_report_return(
    *, actor: User, report: StatusReport, comment: str, new_deadline: dt.date | None = None
) -> StatusReport:
    """Return the report with what to revise (and, if given, by when)."""
    comment = _comment(comment)
    if not comment:
        message = _("Say what must be revised: the office sees this comment.")
        raise ServiceError("comment_required", message, {"comment": [message]})
    if new_deadline is not None and new_deadline < local_today():
        message = _("The new date is in the past; give today or a later date.")
        raise ServiceError("date_in_past", message, {"new_deadline": [message]})
    with transaction.atomic():
        obligation, locked = _reviewable(actor, report)
        before = facts(obligation)
        kept = counts_before(Q(pk=obligation.pk))
        now = timezone.now()
        StatusReportReview.objects.create(
            report=locked, version=locked.version, accepted=False, comment=comment, reviewer=actor
        )
        locked.state = StatusReportState.RETURNED
        locked.save(update_fields=["state"])
        obligation.returned_at = now
        fields = ["returned_at"]
        if new_deadline is not None:
            obligation.deadline = next_working_day(new_deadline)
            fields.append("deadline")
        obligation.save(update_fields=fields)
        counts_after(kept)
        audit_record(
            actor=actor,
            action="status_report.returned",
            object_type="control.Obligation",
            object_id=obligation.pk,
            before=before,
            after={**facts(obligation), "status_report": locked.pk},
            reason=comment,
        )
    return locked
