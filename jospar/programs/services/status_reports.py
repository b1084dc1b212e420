"""The regional project offices' status reports: the schedule a program sets (monthly, due by
the 5th of the next month; quarterly, by the 10th of the month after the quarter), the reports
it makes for each region and period, and what the office writes in them. Putting a report on
control (its obligation) and its submission and review are the control app's
(`jospar.control.project_office.services`), which calls these inside its transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import Region, User
from jospar.programs.models import NodeKind, Program, ProgramNode, StatusReport, StatusSchedule
from jospar.programs.models_office import DUE_DAY, Frequency, StatusReportState
from jospar.programs.office_policy import may_set_schedule, may_write_status_report

TEXT_MAX = 20_000
# How far ahead a schedule makes its reports (a later setting of the schedule extends it).
HORIZON_DAYS = 400
MAX_PERIODS = 60


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(
    frequency: str, starts_on: dt.date, until: dt.date
) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(first day, last day, due date) of each period starting from `starts_on` whose report
    is due on or before `until`."""
    step = 3 if frequency == Frequency.QUARTERLY else 1
    start = _month_start(starts_on)
    if step == 3:
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    out: list[tuple[dt.date, dt.date, dt.date]] = []
    while len(out) < MAX_PERIODS:
        nxt = _add_months(start, step)
        due = nxt.replace(day=DUE_DAY[Frequency(frequency)])
        if due > until:
            break
        out.append((start, nxt - dt.timedelta(days=1), due))
        start = nxt
    return out


@dataclass
class ScheduleOutcome:
    schedule: StatusSchedule
    made: list[StatusReport]
    changed: list[StatusReport]
    retired: list[int]


def status_schedule_write(
    *,
    actor: User,
    program: Program,
    node: ProgramNode | None,
    frequency: str,
    starts_on: dt.date | None,
    regions: list[Region],
    today: dt.date,
) -> ScheduleOutcome:
    """Set (or change) the program's schedule and make the reports it owes from its first
    period to a year ahead. Reports not yet written that the new schedule no longer owes leave
    force. Run inside the control service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the schedule is written inside the control service's transaction")
    if frequency not in Frequency.values:
        message = _("Choose how often the offices report.")
        raise ServiceError("frequency_required", message, {"frequency": [message]})
    if starts_on is None:
        message = _("Give the first day of the first period.")
        raise ServiceError("start_required", message, {"starts_on": [message]})
    if not regions:
        message = _("Choose the regions whose offices report.")
        raise ServiceError("regions_required", message, {"regions": [message]})
    if node is not None and (node.program_id != program.pk or node.kind != NodeKind.SUBPROGRAM):
        message = _("Reports are made on the whole program or on one of its sub-programs.")
        raise ServiceError("wrong_node", message, {"node": [message]})
    if not may_set_schedule(actor, program.pk, node):
        raise PermissionRefused(
            "not_centre",
            _("Only the program's curator or the sub-program's curator or head sets this."),
        )
    schedule = StatusSchedule.objects.select_for_update().filter(program=program).first()
    before = None
    if schedule is None:
        schedule = StatusSchedule(program=program)
    else:
        before = {
            "frequency": schedule.frequency,
            "node": schedule.node_id,
            "starts_on": schedule.starts_on.isoformat(),
            "regions": sorted(schedule.regions.values_list("pk", flat=True)),
        }
    schedule.node = node
    schedule.frequency = frequency
    schedule.starts_on = starts_on
    schedule.set_by = actor
    schedule.save()
    schedule.regions.set(regions)
    wanted = {
        (region.pk, start): (end, due)
        for region in regions
        for start, end, due in periods(
            frequency, starts_on, today + dt.timedelta(days=HORIZON_DAYS)
        )
    }
    existing = {
        (r.region_id, r.period_start): r
        for r in StatusReport.objects.select_for_update().filter(schedule=schedule)
    }
    retired: list[int] = []
    changed: list[StatusReport] = []
    for key, r in existing.items():
        if r.state != StatusReportState.DUE:
            continue  # written: it stays as it is
        if key not in wanted:
            if r.in_force:
                retired.append(r.pk)
            continue
        if not r.in_force or wanted[key] != (r.period_end, r.due_on):
            r.period_end, r.due_on = wanted[key]
            r.in_force = True
            r.save(update_fields=["period_end", "due_on", "in_force"])
            changed.append(r)
    StatusReport.objects.filter(pk__in=retired).update(in_force=False)
    made = StatusReport.objects.bulk_create(
        StatusReport(
            schedule=schedule,
            program=program,
            region_id=region_id,
            period_start=start,
            period_end=end,
            due_on=due,
        )
        for (region_id, start), (end, due) in sorted(wanted.items())
        if (region_id, start) not in existing
    )
    audit_record(
        actor=actor,
        action="program.status_schedule_set",
        object_type="programs.StatusSchedule",
        object_id=schedule.pk,
        before=before,
        after={
            "frequency": frequency,
            "node": node.pk if node is not None else None,
            "starts_on": starts_on.isoformat(),
            "regions": sorted(r.pk for r in regions),
            "reports_made": len(made),
            "reports_changed": [r.pk for r in changed],
            "reports_retired": retired,
        },
    )
    return ScheduleOutcome(schedule=schedule, made=made, changed=changed, retired=retired)


def status_schedule_extend(*, schedule: StatusSchedule, today: dt.date) -> ScheduleOutcome:
    """Make the reports a schedule owes up to a year ahead of ``today`` that are not made yet
    (the daily job: a schedule set once keeps its reports a year ahead). Counts from the latest
    report in force, so a schedule older than ``MAX_PERIODS`` periods goes on; a report retired
    by an earlier setting that the schedule owes again is put back in force. Nothing is
    retired here (only a new setting does that). Run inside the control service's
    transaction; idempotent."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the schedule is extended inside the control service's transaction")
    locked = StatusSchedule.objects.select_for_update().get(pk=schedule.pk)
    existing = {
        (r.region_id, r.period_start): r
        for r in StatusReport.objects.select_for_update().filter(schedule=locked)
    }
    latest = max(
        (r.period_start for r in existing.values() if r.in_force), default=locked.starts_on
    )
    until = today + dt.timedelta(days=HORIZON_DAYS)
    regions = sorted(locked.regions.values_list("pk", flat=True))
    wanted = {
        (region, start): (end, due)
        for region in regions
        for start, end, due in periods(locked.frequency, max(latest, locked.starts_on), until)
    }
    changed: list[StatusReport] = []
    for key, (end, due) in wanted.items():
        r = existing.get(key)
        if r is not None and not r.in_force and r.state == StatusReportState.DUE:
            r.period_end, r.due_on, r.in_force = end, due, True
            r.save(update_fields=["period_end", "due_on", "in_force"])
            changed.append(r)
    made = StatusReport.objects.bulk_create(
        StatusReport(
            schedule=locked,
            program_id=locked.program_id,
            region_id=region_id,
            period_start=start,
            period_end=end,
            due_on=due,
        )
        for (region_id, start), (end, due) in sorted(wanted.items())
        if (region_id, start) not in existing
    )
    if made or changed:
        audit_record(
            actor=None,
            action="program.status_schedule_extended",
            object_type="programs.StatusSchedule",
            object_id=locked.pk,
            after={
                "until": until.isoformat(),
                "reports_made": len(made),
                "reports_changed": [r.pk for r in changed],
            },
        )
    return ScheduleOutcome(schedule=locked, made=made, changed=changed, retired=[])


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        message = _("The text is too long.")
        raise ServiceError("too_long", message, {field: [message]})
    return value


def status_report_write(
    *,
    actor: User,
    report: StatusReport,
    narrative: str,
    risks: str,
    help_requests: str,
    figures: dict[str, object],
) -> StatusReport:
    """The office writes (or rewrites) its report; the figures are those of the moment of
    writing. Run inside the control service's transaction (which reads the figures)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a status report is written inside the control service's transaction")
    values = {
        "narrative": _text(narrative, "narrative"),
        "risks": _text(risks, "risks"),
        "help_requests": _text(help_requests, "help_requests"),
    }
    if not may_write_status_report(actor, report):
        raise PermissionRefused(
            "not_office", _("Only the project office of this region writes its status report.")
        )
    locked = StatusReport.objects.select_for_update().get(pk=report.pk)
    if not locked.in_force:
        raise Conflict("not_in_force", _("This report is no longer owed."))
    if locked.state in (StatusReportState.SUBMITTED, StatusReportState.ACCEPTED):
        raise Conflict(
            "not_editable",
            _("This report has been submitted: it is changed only after the centre returns it."),
        )
    for name, value in values.items():
        setattr(locked, name, value)
    locked.figures = figures
    locked.figures_at = timezone.now()
    locked.written_by = actor
    if locked.state == StatusReportState.DUE:
        locked.state = StatusReportState.DRAFT
    locked.save()
    audit_record(
        actor=actor,
        action="program.status_report_written",
        object_type="programs.StatusReport",
        object_id=locked.pk,
        after={**{k: len(v) for k, v in values.items()}, "figures": figures},
    )
    return locked
