"""The completion kinds of a plan's activities, kept beside their forms of completion.

The kinds are derived data: read by ``jospar.planparser.completion`` from both language
versions' "form of completion" cells. They are filled after every import (the import paths call
``completion_kinds_fill`` in the import's own transaction) and, for rows saved before kinds
existed, by the migration ``plans.0005``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jospar.planparser.completion import completion_kinds, merge_kinds
from jospar.plans.models import Activity, Plan


def activity_completion_kinds(activity: Activity) -> list[str]:
    """The kinds both language versions' forms of completion name."""
    return merge_kinds(
        completion_kinds(activity.completion_form_kk or []),
        completion_kinds(activity.completion_form_ru or []),
    )


def completion_kinds_fill(plan: Plan | None = None) -> int:
    """Read the kinds again for a plan's activities (all plans' without one); returns how many
    activities changed. Idempotent; no audit row, since nothing a person said changes."""
    activities: QuerySet[Activity] = Activity.objects.only(
        "id", "completion_form_kk", "completion_form_ru", "completion_kinds"
    )
    if plan is not None:
        activities = activities.filter(plan=plan)
    changed: list[Activity] = []
    for activity in activities.iterator(chunk_size=2000):
        kinds = activity_completion_kinds(activity)
        if kinds != activity.completion_kinds:
            activity.completion_kinds = kinds
            changed.append(activity)
    Activity.objects.bulk_update(changed, ["completion_kinds"], batch_size=1000)
    return len(changed)
