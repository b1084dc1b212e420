"""Reading plans, activities, revisions and uploads. Every list here costs a fixed number of
queries whatever the number of rows (checked by the tests)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from jospar.core.models import User
from jospar.plans.access import visible_plans
from jospar.plans.models import (
    Activity,
    ActivityExecutor,
    GlossaryEntry,
    Plan,
    PlanRevision,
    PlanUpload,
    PlanUploadStatus,
)

# What a list of revisions needs; the source text and parsed JSON stay in the database.
REVISION_LIST_FIELDS = (
    "id",
    "plan_id",
    "lang",
    "number",
    "source_filename",
    "imported_at",
    "imported_by_id",
    "changes",
    "corrections",
)


def _count(queryset: QuerySet[Any], outer: str) -> Coalesce:
    """A correlated count, so that two counts on one plan do not multiply each other's rows."""
    counted = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _obligation_count() -> Coalesce:
    """The plan's obligations in force, read through its activities' reverse relation (the
    control app owns obligations; this app imports nothing of it)."""
    # The filter before the count constrains the counted join (Django reuses it), so the
    # database reads only obligations in force, from their partial index.
    counted = (
        Activity.objects.filter(plan=OuterRef("pk"), obligations__in_force=True)
        .order_by()
        .values("plan")
        .annotate(n=Count("obligations"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_counts(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.annotate(
        activity_count=_count(Activity.objects.filter(in_force=True), "plan"),
        warning_activity_count=_count(
            Activity.objects.filter(in_force=True).exclude(warnings=[]), "plan"
        ),
        obligation_count=_obligation_count(),
    ).prefetch_related(
        Prefetch(
            "revisions",
            queryset=PlanRevision.objects.only("id", "plan_id", "lang", "number"),
            to_attr="revision_stubs",
        )
    )


def plan_list_for(user: User, *, counts: bool = True) -> QuerySet[Plan]:
    """The plans the user may see, newest first; with their counts and language versions
    unless ``counts`` is false (a page then adds them to its own rows: ``plans_counted``)."""
    plans = visible_plans(user)
    if counts:
        plans = _with_counts(plans)
    return plans.order_by("-approved_on", "-id")


def plans_counted(plans: Iterable[Plan]) -> list[Plan]:
    """The same plans, in the same order, with their counts and language versions: counted for
    these rows only, so a page's cost does not grow with its number (issue #15)."""
    order = [plan.pk for plan in plans]
    found = {plan.pk: plan for plan in _with_counts(Plan.objects.filter(pk__in=order))}
    return [found[pk] for pk in order if pk in found]


def plan_languages(plan: Plan) -> list[str]:
    """Languages of a plan from ``plan_list_for``'s prefetched revisions, Kazakh first."""
    langs = {r.lang for r in getattr(plan, "revision_stubs", [])}
    return [code for code in ("kk", "ru") if code in langs]


def plan_activities(plan: Plan, *, only_warnings: bool = False) -> QuerySet[Activity]:
    activities = (
        Activity.objects.filter(plan=plan, in_force=True)
        .prefetch_related(
            Prefetch(
                "executors",
                queryset=ActivityExecutor.objects.filter(in_force=True).select_related(
                    "organisation"
                ),
                to_attr="current_executors",
            )
        )
        .annotate(obligation_count=Count("obligations", filter=Q(obligations__in_force=True)))
        .order_by("position")
    )
    if only_warnings:
        activities = activities.exclude(warnings=[])
    return activities


def plan_revisions(plan: Plan) -> QuerySet[PlanRevision]:
    return (
        PlanRevision.objects.filter(plan=plan)
        .only(*REVISION_LIST_FIELDS)
        .select_related("imported_by")
        .order_by("lang", "-number")
    )


def plan_revision(plan: Plan, revision_id: int) -> PlanRevision | None:
    return (
        PlanRevision.objects.filter(plan=plan, pk=revision_id).select_related("imported_by").first()
    )


def revision_glossary(revision: PlanRevision) -> QuerySet[GlossaryEntry]:
    return GlossaryEntry.objects.filter(revision=revision).select_related("organisation")


@dataclass(frozen=True)
class PlanCounts:
    activities: int
    executors: int
    obligations: int
    with_warnings: int


def plan_counts(plan: Plan) -> PlanCounts:
    activities = Activity.objects.filter(plan=plan, in_force=True)
    return PlanCounts(
        activities=activities.count(),
        executors=ActivityExecutor.objects.filter(activity__in=activities, in_force=True).count(),
        obligations=Activity.objects.filter(plan=plan).aggregate(
            n=Count("obligations", filter=Q(obligations__in_force=True))
        )["n"],
        with_warnings=activities.exclude(warnings=[]).count(),
    )


def upload_drafts(user: User) -> QuerySet[PlanUpload]:
    """Uploads still open (being read or checked): an administrator comes back to them."""
    return (
        PlanUpload.objects.filter(
            status__in=[PlanUploadStatus.DRAFT, PlanUploadStatus.PARSING, PlanUploadStatus.FAILED]
        )
        .select_related("uploaded_by", "target_plan")
        .defer("source_text", "parsed")
        .order_by("-uploaded_at")
    )


def plans_for_choice(user: User) -> QuerySet[Plan]:
    """Plans an upload may be attached to."""
    return visible_plans(user).order_by("-approved_on", "-id")
