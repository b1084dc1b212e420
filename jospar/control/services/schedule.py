"""Building and keeping the control schedule of a plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from jospar.control.discipline_counts import counts_after, counts_before
from jospar.control.models import Obligation
from jospar.core.audit import audit_record
from jospar.core.calendar import next_working_day
from jospar.core.models import User
from jospar.core.selectors.directory import regions_existing_on
from jospar.plans.models import Activity, Plan


@dataclass(frozen=True)
class ScheduleSync:
    created: int
    withdrawn: int
    restored: int
    total: int


def _desired(plan: Plan) -> dict[tuple[int, int | None, dt.date], tuple[int, int | None]]:
    """Every (executor, region, date) the plan owes, with the activity and organisation.

    An activity a controller removed from control owes nothing until it is put back."""
    from jospar.control.selectors.obligations import removed_activity_ids

    day = plan.approved_on or plan.period_start or dt.date.today()
    regions = list(regions_existing_on(day))
    wanted: dict[tuple[int, int | None, dt.date], tuple[int, int | None]] = {}
    activities = (
        Activity.objects.filter(plan=plan, in_force=True)
        .exclude(pk__in=removed_activity_ids(plan))
        .prefetch_related("executors")
    )
    for activity in activities:
        dates = [dt.date.fromisoformat(d) for d in activity.report_dates]
        for executor in activity.executors.all():
            if not executor.in_force:
                continue
            for due in dates:
                if executor.is_akimat_group:
                    for region in regions:
                        akimat = getattr(region, "akimat", None)
                        wanted[(executor.pk, region.pk, due)] = (
                            activity.pk,
                            akimat.pk if akimat is not None else None,
                        )
                else:
                    wanted[(executor.pk, None, due)] = (activity.pk, executor.organisation_id)
    return wanted


def _link_to_leads(plan: Plan) -> None:
    """Point each co-executor's obligation at the lead's obligation of the same date.

    An activity without a lead has every executor report on its own (no link)."""
    rows = list(
        Obligation.objects.filter(activity__plan=plan, in_force=True).values(
            "id", "activity_id", "due_on", "executor__lead", "lead_obligation_id"
        )
    )
    leads = {(r["activity_id"], r["due_on"]): r["id"] for r in rows if r["executor__lead"]}
    changes: dict[int | None, list[int]] = {}
    for r in rows:
        target = None if r["executor__lead"] else leads.get((r["activity_id"], r["due_on"]))
        if r["lead_obligation_id"] != target:
            changes.setdefault(target, []).append(r["id"])
    for target, ids in changes.items():
        Obligation.objects.filter(pk__in=ids).update(lead_obligation_id=target)


def _fill_deadlines(plan: Plan) -> None:
    """Obligations made before deadlines were kept get theirs: the due date, moved off weekends
    and public holidays. The status is computed from the deadline alone."""
    missing = Obligation.objects.filter(activity__plan=plan, deadline__isnull=True)
    for pk, due_on in missing.values_list("pk", "due_on"):
        Obligation.objects.filter(pk=pk).update(deadline=next_working_day(due_on))


def obligations_sync_for_plan(
    *,
    actor: User | None,
    plan: Plan,
    keep_counts: bool = True,
    reason: str = "",
    keep_accepted: bool = False,
) -> ScheduleSync:
    """Make the plan's obligations match its activities: add what is owed, withdraw what is not.

    Obligations are never deleted: a withdrawn one keeps whatever was reported against it.
    ``keep_counts=False`` is for a caller that keeps ``DisciplineCount`` over a wider change
    (the plan import, which takes activities out of force before this runs). ``reason`` is
    written on the obligations withdrawn (an amending act); with ``keep_accepted`` an
    obligation whose report was already accepted stays in force: the act does not undo it.
    """
    with transaction.atomic():
        kept = counts_before(Q(activity__plan=plan)) if keep_counts else None
        wanted = _desired(plan)
        existing = {
            (o.executor_id, o.region_id, o.due_on): o
            for o in Obligation.objects.filter(activity__plan=plan).only(
                "id",
                "executor_id",
                "region_id",
                "due_on",
                "in_force",
                "organisation_id",
                "accepted_at",
            )
        }
        to_create = [
            Obligation(
                activity_id=activity_id,
                executor_id=key[0],
                region_id=key[1],
                due_on=key[2],
                deadline=next_working_day(key[2]),
                organisation_id=organisation_id,
            )
            for key, (activity_id, organisation_id) in wanted.items()
            if key not in existing
        ]
        withdraw = [
            o.pk
            for key, o in existing.items()
            if key not in wanted and o.in_force and not (keep_accepted and o.accepted_at)
        ]
        restore = [o.pk for key, o in existing.items() if key in wanted and not o.in_force]
        repoint = [
            (o.pk, wanted[key][1])
            for key, o in existing.items()
            if key in wanted and o.organisation_id != wanted[key][1]
        ]
        Obligation.objects.bulk_create(to_create, batch_size=2000)
        if withdraw:
            Obligation.objects.filter(pk__in=withdraw).update(
                in_force=False, withdrawn_reason=reason[:2000]
            )
        if restore:
            Obligation.objects.filter(pk__in=restore).update(in_force=True, withdrawn_reason="")
        for pk, organisation_id in repoint:
            Obligation.objects.filter(pk=pk).update(organisation_id=organisation_id)
        _fill_deadlines(plan)
        _link_to_leads(plan)
        if kept is not None:
            counts_after(kept)
        result = ScheduleSync(
            created=len(to_create),
            withdrawn=len(withdraw),
            restored=len(restore),
            total=len(wanted),
        )
        if to_create or withdraw or restore or repoint:
            audit_record(
                actor=actor,
                action="plan.schedule_synced",
                object_type="plans.Plan",
                object_id=plan.pk,
                after={
                    "created": result.created,
                    "withdrawn": result.withdrawn,
                    "restored": result.restored,
                    "repointed": len(repoint),
                    "in_force": result.total,
                },
            )
        return result
