"""Reading the control schedule, the reports and the controller's decisions.

Every list here costs a fixed number of queries whatever the number of rows (checked by the
tests). The status of an obligation is computed in SQL (``jospar.control.status``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Self

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from jospar.control.access.obligations import visible_obligations
from jospar.control.models import (
    ControlDecision,
    ControlDecisionKind,
    ExecutionReport,
    Obligation,
    ObligationStatus,
    ReportAttachment,
    ReportEvidence,
    ReportKind,
    ReportLink,
    ReportState,
    Review,
)
from jospar.control.sources import reviewed_tasks_q, source_in_force_q
from jospar.control.status import OUTCOMES, outcome_filter, status_filter, today, with_status
from jospar.core.collation import sorted_for_people
from jospar.core.models import Region, User
from jospar.plans.access import controlled_plans, visible_plans
from jospar.plans.models import Activity, Plan

__all__ = [
    "ObligationFilter",
    "activity_decisions",
    "activity_is_removed",
    "activity_obligations",
    "lead_inputs",
    "obligation_list_for",
    "obligation_regions",
    "obligation_status_counts",
    "quarter_bounds",
    "removed_activities",
    "removed_activity_ids",
    "report_detail",
    "report_versions",
    "review_queue",
    "visible_obligations",
]

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date] | None:
    """``"2016-Q1"`` → (2016-01-01, 2016-03-31); anything else → None."""
    match = _QUARTER.match(quarter.strip())
    if match is None:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 2999:
        return None
    start = dt.date(year, 3 * number - 2, 1)
    end = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return start, end - dt.timedelta(days=1)


@dataclass(frozen=True)
class ObligationFilter:
    """What the obligation list (page and API) can be narrowed by; every field optional.

    ``region`` matches an obligation of that region's akimat: one the group of akimats owes
    there (``Obligation.region``), or one the plan gives that akimat by name. ``quarter``
    (``"2016-Q1"``) and ``deadline_*`` bound the deadline (after extensions and returns);
    ``due_*`` bound the date the plan itself gives. ``status`` is an ``ObligationStatus`` value,
    computed for ``on`` (today in Kazakhstan when not given)."""

    plan_id: int | None = None
    organisation_id: int | None = None
    region_id: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    quarter: str | None = None
    status: str | None = None
    on: dt.date | None = None
    # Project tasks of a program: its nodes (a subtree), the kind of task, the region the task
    # is for, and what became of the obligation (``status.OUTCOMES``).
    program_id: int | None = None
    task_nodes: tuple[int, ...] | None = None
    task_kind: str | None = None
    task_region_id: int | None = None
    outcome: str | None = None


def _shared_where(f: ObligationFilter) -> Q:
    """The filters that obligations and their counts (``DisciplineCount``) both answer: by
    organisation, region and deadline."""
    where = Q()
    if f.organisation_id is not None:
        where &= Q(organisation_id=f.organisation_id)
    if f.region_id is not None:
        where &= Q(region_id=f.region_id) | Q(organisation__region_id=f.region_id)
    if f.deadline_from is not None:
        where &= Q(deadline__gte=f.deadline_from)
    if f.deadline_to is not None:
        where &= Q(deadline__lte=f.deadline_to)
    if f.quarter:
        bounds = quarter_bounds(f.quarter)
        if bounds is not None:
            where &= Q(deadline__gte=bounds[0], deadline__lte=bounds[1])
    return where


def _apply(qs: QuerySet[Obligation], f: ObligationFilter) -> QuerySet[Obligation]:
    if f.plan_id is not None:
        qs = qs.filter(activity__plan_id=f.plan_id)
    qs = qs.filter(_shared_where(f))
    if f.due_from is not None:
        qs = qs.filter(due_on__gte=f.due_from)
    if f.due_to is not None:
        qs = qs.filter(due_on__lte=f.due_to)
    if f.status and f.status in ObligationStatus.values:
        qs = qs.filter(status_filter(f.status, f.on))
    if f.program_id is not None:
        qs = qs.filter(project_task__program_id=f.program_id)
    if f.task_nodes is not None:
        qs = qs.filter(project_task__node_id__in=f.task_nodes)
    if f.task_kind:
        qs = qs.filter(project_task__kind=f.task_kind)
    if f.task_region_id is not None:
        qs = qs.filter(project_task__region_id=f.task_region_id)
    if f.outcome in OUTCOMES:
        qs = qs.filter(outcome_filter(f.outcome, f.on))
    return qs


class ObligationList(QuerySet[Obligation]):
    """The obligation list as ``obligation_list_for`` returns it: its ``count()`` (the page count
    ``Paginator`` reads) may be answered by ``DisciplineCount`` in a few milliseconds, where
    counting an executor's quarter of a million obligations takes a hundred. Anything derived
    from it (a slice, another filter) counts itself."""

    counter: Callable[[], int] | None = None

    def count(self) -> int:
        if self.counter is not None and self._result_cache is None:
            return self.counter()
        return super().count()

    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]
        clone.counter = None
        return clone


def in_force() -> Q:
    """Obligations in force of activities in force (or of project tasks, whose withdrawal
    takes their obligations out of force). Written as "not one of the few activities out of
    force" so that counting an organisation's obligations reads its index alone, with no join
    to two hundred thousand activities."""
    return Q(in_force=True) & source_in_force_q()


def obligation_list_for(user: User, filters: ObligationFilter | None = None) -> ObligationList:
    """The control schedule the user may see, by deadline, with its computed ``status`` and
    everything a row shows."""
    f = filters or ObligationFilter()
    qs = visible_obligations(user).filter(in_force())
    qs = _apply(qs, f)
    qs = with_status(
        qs.select_related(
            "activity",
            "activity__plan",
            "executor",
            "organisation",
            "region",
            "lead_obligation__organisation",
            "project_task",
            "project_task__node",
            "status_report__program",
        ),
        f.on,
    ).order_by(
        "deadline",
        "due_on",
        "activity__plan_id",
        "activity__position",
        "executor__position",
        "region__name_en",
        "id",
    )
    listed = ObligationList(model=Obligation, query=qs.query, using=qs.db)
    from jospar.control.selectors.counts import counts_answer, obligation_total

    if counts_answer(user, f):
        # Exact from the counts (by plan and status too): the API's total and page count.
        listed.counter = lambda: obligation_total(user, f).n
    return listed


def obligation_status_counts(user: User, filters: ObligationFilter | None = None) -> dict[str, int]:
    """How many obligations of each status the filters (other than ``status``) leave: one
    query, whatever the number of rows."""
    f = replace(filters or ObligationFilter(), status=None)
    qs = _apply(visible_obligations(user).filter(in_force()), f)
    counts = qs.order_by().aggregate(
        **{str(s.value): Count("pk", filter=status_filter(s.value, f.on)) for s in ObligationStatus}
    )
    return {k: int(v or 0) for k, v in counts.items()}


def obligation_regions() -> list[Region]:
    return sorted_for_people(Region.objects.all(), lambda region: region.name)


# --- reports -------------------------------------------------------------------------------


def _report_parts() -> list[Prefetch[str]]:
    return [
        Prefetch("attachments", queryset=ReportAttachment.objects.order_by("uploaded_at", "id")),
        Prefetch("links", queryset=ReportLink.objects.order_by("id")),
        Prefetch(
            "evidence",
            queryset=ReportEvidence.objects.prefetch_related(
                Prefetch("files", queryset=ReportAttachment.objects.order_by("id"))
            ).order_by("kind", "id"),
        ),
        Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
    ]


def report_versions(user: User, obligation: Obligation) -> QuerySet[ExecutionReport]:
    """The obligation's reports (or inputs), newest first: drafts only for their organisation."""
    from jospar.control.access.obligations import can_report_for

    reports = ExecutionReport.objects.filter(obligation=obligation)
    if not can_report_for(user, obligation):
        reports = reports.exclude(state=ReportState.DRAFT)
    return (
        reports.select_related("author", "organisation")
        .prefetch_related(*_report_parts())
        .order_by("-version", "-id")
    )


def report_detail(report: ExecutionReport) -> ExecutionReport:
    """One report with its files, links and reviews loaded."""
    return (
        ExecutionReport.objects.filter(pk=report.pk)
        .select_related(
            "author",
            "organisation",
            "obligation",
            "obligation__activity",
            "obligation__activity__plan",
            "obligation__organisation",
            "obligation__region",
        )
        .prefetch_related(*_report_parts())
        .get()
    )


@dataclass(frozen=True)
class Contribution:
    """A co-executor's obligation and the latest input it sent to the lead (or None)."""

    obligation: Obligation
    latest: ExecutionReport | None


def lead_inputs(lead: Obligation) -> list[Contribution]:
    """What the co-executors sent the lead executor for this activity and date."""
    sent = (
        ExecutionReport.objects.filter(
            kind=ReportKind.INPUT, state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED]
        )
        .select_related("author")
        .prefetch_related(*_report_parts())
        .order_by("-version")
    )
    contributions = with_status(
        Obligation.objects.filter(lead_obligation=lead, in_force=True)
        .select_related("activity", "organisation", "region", "executor")
        .prefetch_related(Prefetch("reports", queryset=sent, to_attr="sent_inputs"))
        .order_by("executor__position", "region__name_en", "id")
    )
    return [
        Contribution(obligation=o, latest=(o.sent_inputs[0] if o.sent_inputs else None))  # type: ignore[attr-defined]
        for o in contributions
    ]


# The review queue is worked from its head, oldest first: it is counted up to a thousand
# reports ("more than 1,000 wait"), on the review page (whose pages are numbered that far) and
# on the Today desk alike. Counting up to 10,000 joined each report to its obligation and
# activity: 37 ms for a controller of every plan at national scale, a third of the page.
REVIEW_COUNT_BOUND = 1_000


def review_queue(user: User) -> QuerySet[ExecutionReport]:
    """Reports submitted to the controller (of a project task: to its manager) and not yet
    decided, oldest first."""
    mine = Q(obligation__activity__plan__in=controlled_plans(user))
    tasks = reviewed_tasks_q(user, prefix="obligation__")
    if tasks is not None:
        mine |= tasks
    return (
        ExecutionReport.objects.filter(
            mine,
            kind=ReportKind.REPORT,
            state=ReportState.SUBMITTED,
            obligation__in_force=True,
            obligation__accepted_at__isnull=True,
        )
        .select_related(
            "author",
            "obligation",
            "obligation__activity",
            "obligation__activity__plan",
            "obligation__project_task",
            "obligation__project_task__node",
            "obligation__organisation",
            "obligation__region",
            "obligation__executor",
        )
        # A report giving a reason instead of some evidence is marked in the queue: accepting
        # it needs the controller's comment.
        .annotate(
            reasons_given=Exists(
                ReportEvidence.objects.filter(report=OuterRef("pk")).exclude(missing_reason="")
            )
        )
        .order_by("submitted_at", "id")
    )


# --- the controller's decisions ---------------------------------------------------------------

_ON_OFF = (ControlDecisionKind.REMOVED, ControlDecisionKind.RESTORED)


def _last_on_off() -> Subquery:
    return Subquery(
        ControlDecision.objects.filter(activity=OuterRef("pk"), kind__in=_ON_OFF)
        .order_by("-decided_at", "-id")
        .values("kind")[:1]
    )


def _ever_removed() -> QuerySet[ControlDecision, Any]:
    """Activities with a removal among their decisions: the few the latest decision is
    looked up for (never one subquery per activity of every plan)."""
    return ControlDecision.objects.filter(kind=ControlDecisionKind.REMOVED).values("activity_id")


def removed_activity_ids(plan: Plan) -> set[int]:
    """Activities of the plan a controller removed from control (and did not put back)."""
    return set(
        Activity.objects.filter(plan=plan, pk__in=_ever_removed())
        .annotate(last=_last_on_off())
        .filter(last=ControlDecisionKind.REMOVED)
        .values_list("pk", flat=True)
    )


def activity_is_removed(activity: Activity) -> bool:
    last = (
        ControlDecision.objects.filter(activity=activity, kind__in=_ON_OFF)
        .order_by("-decided_at", "-id")
        .values_list("kind", flat=True)
        .first()
    )
    return last == ControlDecisionKind.REMOVED


def removed_activities(user: User) -> QuerySet[Activity]:
    """Activities removed from control in the plans the user sees: to be put back from here."""
    return (
        Activity.objects.filter(pk__in=_ever_removed(), plan__in=visible_plans(user))
        .annotate(last=_last_on_off())
        .filter(last=ControlDecisionKind.REMOVED)
        .select_related("plan")
        .order_by("plan_id", "position")
    )


def activity_decisions(activity: Activity) -> QuerySet[ControlDecision]:
    return (
        ControlDecision.objects.filter(activity=activity)
        .select_related(
            "decided_by", "obligation", "obligation__organisation", "obligation__region"
        )
        .order_by("-decided_at", "-id")
    )


def activity_obligations(activity: Activity, on: dt.date | None = None) -> QuerySet[Obligation]:
    """Every obligation of the activity, withdrawn ones too, with its status."""
    return with_status(
        Obligation.objects.filter(activity=activity).select_related(
            "executor", "organisation", "region"
        ),
        on or today(),
    ).order_by("due_on", "executor__position", "region__name_en", "id")
