"""What the monitoring pages read: publications found by search and filters, sources' health,
a story's spread."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jospar.media.models import MatchProposal, ProposalState, Publication, Source, StoryLink

USUAL_DAYS = 28


@dataclass(frozen=True)
class PublicationFilters:
    q: str = ""
    source: int | None = None
    kind: str = ""
    region: int | None = None
    lang: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


_FTS = (
    'to_tsvector(\'russian\', "media_publication"."title" || \' \' || "media_publication"."text")'
    " @@ websearch_to_tsquery('russian', %s)"
)


def publication_search(filters: PublicationFilters) -> QuerySet[Publication]:
    """Publications matching the filters, newest first.

    On PostgreSQL the words are looked up by full-text search with the ``russian``
    configuration and, for Kazakh, as substrings through trigram indexes; elsewhere by a plain
    case-insensitive substring match."""
    found = Publication.objects.select_related("source", "source__region", "story").defer(
        "text", "signature"
    )
    if filters.source:
        found = found.filter(source_id=filters.source)
    if filters.kind:
        found = found.filter(source__kind=filters.kind)
    if filters.region:
        found = found.filter(source__region_id=filters.region)
    if filters.lang:
        found = found.filter(lang=filters.lang)
    if filters.since:
        found = found.filter(published_on__gte=filters.since)
    if filters.until:
        found = found.filter(published_on__lte=filters.until)
    q = filters.q.strip()
    if q:
        if connection.vendor == "postgresql":
            like = Q(title__icontains=q) | Q(text__icontains=q)
            ids = Publication.objects.extra(where=[_FTS], params=[q]).values("pk")
            found = found.filter(like | Q(pk__in=ids))
        else:
            found = found.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return found.order_by("-published_on", "-pk")


class Health:
    OK = "ok"
    QUIET = "quiet"
    FAILING = "failing"
    NOT_COLLECTED = "not_collected"
    UPLOADED = "uploaded"
    DISABLED = "disabled"

    LABELS = {
        OK: _("Collected"),
        QUIET: _("Collected, fewer publications than usual"),
        FAILING: _("Failing: backed off"),
        NOT_COLLECTED: _("Not collected yet"),
        UPLOADED: _("Uploaded files only"),
        DISABLED: _("Not collected: disabled"),
    }


@dataclass(frozen=True)
class SourceHealth:
    source: Source
    today: int
    usual_per_day: float
    state: str

    @property
    def label(self) -> str:
        return str(Health.LABELS[self.state])


def source_health(now: dt.datetime | None = None) -> list[SourceHealth]:
    """Each source with its publications of the last 24 hours against its usual day (the mean
    of the last 28 days), so that "no publications" is told apart from "not collected"."""
    now = now or timezone.now()
    day_ago = now - dt.timedelta(days=1)
    usual_from = now - dt.timedelta(days=USUAL_DAYS)
    sources = Source.objects.select_related("region").annotate(
        today=Count("publications", filter=Q(publications__collected_at__gte=day_ago)),
        recent=Count("publications", filter=Q(publications__collected_at__gte=usual_from)),
    )
    rows = []
    for source in sources:
        usual = source.recent / USUAL_DAYS
        if not source.active:
            state = Health.DISABLED
        elif source.method == "upload":
            state = Health.UPLOADED
        elif source.flagged:
            state = Health.FAILING
        elif source.last_success_at is None:
            state = Health.NOT_COLLECTED
        elif usual >= 1 and source.today < usual / 2:
            state = Health.QUIET
        else:
            state = Health.OK
        rows.append(SourceHealth(source, source.today, round(usual, 1), state))
    return rows


def story_spread(publication: Publication) -> list[Publication]:
    """The publications of this one's story in the order they appeared."""
    if publication.story_id is None:
        return []
    return list(
        Publication.objects.filter(story_id=publication.story_id)
        .select_related("source")
        .defer("text", "signature")
        .order_by("published_at", "published_on", "collected_at", "pk")
    )


def proposals_for(publication: Publication) -> list[MatchProposal]:
    return list(
        MatchProposal.objects.filter(publication=publication)
        .select_related("activity", "activity__plan", "program_node", "decided_by")
        .order_by("-score", "pk")
    )


def reprint_q() -> Q:
    """A reprint: a publication that joined a story as the same text repeated (not as its
    other-language version) and is not the story's first."""
    return Q(story_via=StoryLink.REPRINT) & ~Q(story__first_id=F("pk"))


def program_publication_counts(
    since: dt.date, until: dt.date, region_id: int | None = None
) -> tuple[int, int]:
    """Publications about the programs and plans published from ``since`` to ``until``
    (inclusive; by the source's region where given), and how many of them are reprints.

    A publication is about them when the monitoring proposed it as evidence for an activity of a
    plan or a node of a program and nobody rejected the proposal."""
    matched = MatchProposal.objects.filter(publication=OuterRef("pk")).exclude(
        state=ProposalState.REJECTED
    )
    pubs = Publication.objects.filter(Exists(matched), published_on__range=(since, until))
    if region_id is not None:
        pubs = pubs.filter(source__region_id=region_id)
    return pubs.count(), pubs.filter(reprint_q()).count()
