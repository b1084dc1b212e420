"""What the portal's pages read besides the public selectors: one report's page (also for its
author, akimat and moderators while it is not public), who may be assigned, the akimat's queue,
the moderators' work, and a person's own relation to a report (supports, follows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jospar.civic.events import PUBLIC_EVENT_KINDS
from jospar.civic.models import (
    OPEN_STATES,
    AbuseReport,
    CitizenReport,
    Follow,
    MediaKind,
    MediaProcessing,
    ReportAnswer,
    ReportComment,
    ReportEvent,
    ReportMedia,
    ReportState,
    ReportSupport,
    TopicQuestion,
)
from jospar.core.models import Organisation, Region, RegionQuerySet, Role, User, pick_lang

_MAX_DEPTH = 12
PHOTO_NOT_READY = (MediaProcessing.PENDING, MediaProcessing.FAILED)
QUEUE_TABS = ("new", "assigned", "overdue", "in_progress")


def _page_prefetches() -> list[Prefetch[Any]]:
    return [
        Prefetch(
            "media",
            # Published copies, and the photos whose copy is still being made or failed (the
            # page says so).
            queryset=ReportMedia.objects.filter(hidden=False)
            .filter(~Q(public_file="") | Q(kind=MediaKind.PHOTO, processing__in=PHOTO_NOT_READY))
            .order_by("uploaded_at", "id"),
            to_attr="public_media",
        ),
        Prefetch(
            "answers",
            queryset=ReportAnswer.objects.select_related("organisation").order_by("created_at"),
            to_attr="public_answers",
        ),
        Prefetch(
            "events",
            queryset=ReportEvent.objects.filter(kind__in=[str(k) for k in PUBLIC_EVENT_KINDS])
            .defer("internal_note")
            .order_by("at", "id"),
            to_attr="public_events",
        ),
        Prefetch(
            "comments",
            queryset=ReportComment.objects.filter(hidden=False)
            .select_related("author")
            .defer("text", "hidden_reason")
            .order_by("created_at", "id"),
            to_attr="public_comments",
        ),
    ]


def report_page(report_id: int) -> CitizenReport:
    """One report with what its page shows, public or not (the caller has checked access
    with ``access_report_public``). Only public columns are meant to be printed: the private
    ones are deferred, and the author is joined for ``public_author_name`` alone."""
    return (
        CitizenReport.objects.filter(pk=report_id)
        .select_related("topic", "region", "akimat", "duplicate_of", "author")
        .defer(
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "survey",
            "author__password",
            "author__email",
        )
        .prefetch_related(*_page_prefetches())
        .get()
    )


def viewer_relation(user: Any, report: CitizenReport) -> dict[str, Any]:
    """Whether the viewer supports and follows the report (two small queries, or none)."""
    if not getattr(user, "is_authenticated", False):
        return {"supports": False, "follow": None}
    return {
        "supports": ReportSupport.objects.filter(report=report, user=user).exists(),
        "follow": Follow.objects.filter(report=report, user=user).first(),
    }


def region_follow(user: Any, region: Region) -> Follow | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Follow.objects.filter(
        user=user, region=region, report__isnull=True, topic__isnull=True, bbox__isnull=True
    ).first()


def public_regions(day: dt.date | None = None) -> RegionQuerySet:
    """Regions existing today, without their boundary (``with_boundary()`` for a map); the
    reader's alphabet order is left to the page (names differ by language)."""
    day = day or timezone.localdate()
    return (
        Region.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("name_en")
    )


# --- the akimat ----------------------------------------------------------------------------


def organisation_subtree(organisation_id: int) -> list[int]:
    """The organisation and the bodies under it (departments of an akimat, their units)."""
    found = [organisation_id]
    frontier = [organisation_id]
    for _depth in range(_MAX_DEPTH):
        children = list(
            Organisation.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        if not children:
            break
        found.extend(children)
        frontier = children
    return found


def official_reports(official: User) -> QuerySet[CitizenReport]:
    """The reports an official answers: all of the akimat they belong to, or, for an official
    of a department, those routed to it or to a body under it (``is_official_for``)."""
    org = official.organisation_id
    if org is None:
        return CitizenReport.objects.none()
    return CitizenReport.objects.filter(
        Q(akimat_id=org) | Q(department_id__in=organisation_subtree(org))
    ).filter(hidden=False)


def queue_reports(official: User, tab: str, *, today: dt.date | None = None) -> Any:
    """One tab of the akimat's queue, oldest due first.

    ``new``: published, nobody assigned; ``assigned``: open and assigned to this official;
    ``overdue``: open, never answered, due day passed; ``in_progress``: taken into work."""
    from jospar.civic.status import overdue_q

    day = today or timezone.localdate()
    qs = official_reports(official)
    if tab == "assigned":
        qs = qs.filter(state__in=list(OPEN_STATES), assigned_to=official)
    elif tab == "overdue":
        qs = qs.filter(overdue_q(day))
    elif tab == "in_progress":
        qs = qs.filter(state=ReportState.IN_PROGRESS)
    else:
        qs = qs.filter(state=ReportState.PUBLISHED, assigned_to__isnull=True)
    return (
        qs.select_related("topic", "region", "assigned_to")
        .defer("description", "survey")
        .order_by("response_due_on", "submitted_at", "id")
    )


def queue_counts(official: User, *, today: dt.date | None = None) -> dict[str, int]:
    """How many reports each tab holds; one query."""
    from jospar.civic.status import overdue_q

    day = today or timezone.localdate()
    return {
        key: int(value or 0)
        # Every tab is of open reports: the closed ones (nine in ten) are not read at all.
        for key, value in official_reports(official)
        .filter(state__in=[str(state) for state in OPEN_STATES])
        .aggregate(
            new=Count("id", filter=Q(state=ReportState.PUBLISHED, assigned_to__isnull=True)),
            assigned=Count("id", filter=Q(state__in=list(OPEN_STATES), assigned_to_id=official.pk)),
            overdue=Count("id", filter=overdue_q(day)),
            in_progress=Count("id", filter=Q(state=ReportState.IN_PROGRESS)),
        )
        .items()
    }


def assignable_officials(report: CitizenReport) -> list[User]:
    """Officials who may answer the report: of its akimat, or of its department and the
    bodies above that department up to the akimat."""
    organisations = {report.akimat_id}
    if report.department_id is not None:
        current: int | None = report.department_id
        for _depth in range(_MAX_DEPTH):
            if current is None or current in organisations:
                break
            organisations.add(current)
            current = (
                Organisation.objects.filter(pk=current).values_list("parent_id", flat=True).first()
            )
    return list(
        User.objects.filter(
            role_grants__role=Role.CIVIC_OFFICIAL,
            organisation_id__in=organisations,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def official_report(report_id: int) -> CitizenReport:
    """One report as its akimat works on it: everything, the author and the originals."""
    return (
        CitizenReport.objects.filter(pk=report_id)
        .select_related(
            "topic", "region", "akimat", "department", "author", "assigned_to", "duplicate_of"
        )
        .prefetch_related(
            Prefetch("media", queryset=ReportMedia.objects.order_by("uploaded_at", "id")),
            Prefetch(
                "answers",
                queryset=ReportAnswer.objects.select_related("author", "organisation").order_by(
                    "created_at"
                ),
            ),
            Prefetch(
                "events", queryset=ReportEvent.objects.select_related("actor").order_by("at", "id")
            ),
        )
        .get()
    )


# --- moderators ----------------------------------------------------------------------------


def moderation_waiting() -> QuerySet[CitizenReport]:
    """Reports waiting for a moderator: submitted (premoderation), held ones first."""
    return (
        CitizenReport.objects.filter(state=ReportState.SUBMITTED, hidden=False)
        .select_related("topic", "region")
        .defer("survey")
        .order_by("-held", "submitted_at", "id")
    )


def open_abuse_reports() -> QuerySet[AbuseReport]:
    return (
        AbuseReport.objects.filter(resolved_at__isnull=True)
        .select_related("report", "report__topic", "comment", "reporter")
        .order_by("created_at", "id")
    )


def comments_by_id(ids: Iterable[int]) -> dict[int, ReportComment]:
    return {c.pk: c for c in ReportComment.objects.filter(pk__in=list(ids))}


def survey_answers(report: CitizenReport) -> list[tuple[str, str]]:
    """The report's survey as (question, answer) in the reader's language, in the topic's order
    of questions; a choice is shown by its name, not its key. Answers to questions removed since
    keep their code, so nothing the citizen said is lost from view."""
    answers = dict(report.survey or {})
    rows: list[tuple[str, str]] = []
    for question in TopicQuestion.objects.filter(topic_id=report.topic_id).order_by(
        "position", "code"
    ):
        if question.code not in answers:
            continue
        value = answers.pop(question.code)
        names = {
            str(choice.get("key")): pick_lang(_Choice(choice), "name")
            for choice in question.values or []
            if isinstance(choice, dict)
        }
        values = value if isinstance(value, list) else [value]
        rows.append((question.text, ", ".join(names.get(str(v), str(v)) for v in values)))
    rows.extend((str(code), str(value)) for code, value in answers.items())
    return rows


class _Choice:
    """A choice of a list question as an object with ``name_<lang>`` attributes."""

    def __init__(self, values: dict[str, Any]) -> None:
        for lang in ("kk", "ru", "en"):
            setattr(self, f"name_{lang}", values.get(f"name_{lang}", ""))
