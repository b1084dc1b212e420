"""Reading winners' stories: the published ones for everyone, the waiting ones for moderators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jospar.initiatives.models import HeartCycle, HeartStory, StoryState

_WITH_WINNER = (
    "nominee__nomination__cycle__region",
    "nominee__person",
    "nominee__organisation",
)


def published_stories() -> QuerySet[HeartStory]:
    return (
        HeartStory.objects.filter(state=StoryState.PUBLISHED)
        .select_related(*_WITH_WINNER)
        .order_by("-published_at", "-pk")
    )


def cycle_stories(cycle: HeartCycle) -> list[HeartStory]:
    return list(published_stories().filter(nominee__nomination__cycle=cycle))


def waiting_stories() -> QuerySet[HeartStory]:
    return (
        HeartStory.objects.filter(state=StoryState.PENDING)
        .select_related(*_WITH_WINNER, "written_by")
        .order_by("updated_at", "pk")
    )


def story_of(nominee: Any) -> HeartStory | None:
    return HeartStory.objects.filter(nominee=nominee).first()
