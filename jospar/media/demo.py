"""The monitoring part of ``jospar demo``: a few shipped sources served on loopback, collected.

The demo's own server answers on a fixed port (``DEMO_PORT``), so that its addresses, and so
the publications' identities, are the same on every run: a second run finds the sources and
their publications already there, and the sources not yet due. The server is ours, so the
demo collects it with a short spacing (``DEMO_INTERVAL``) instead of the 5 s a real site gets.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction

from jospar.core.audit import audit_record
from jospar.core.models import Region, User
from jospar.media.collect.polite import Policy, PoliteFetcher
from jospar.media.loopback import LoopbackSite
from jospar.media.models import (
    CollectMethod,
    MonitoringActivity,
    Publication,
    Rubric,
    Source,
    SourceKind,
)
from jospar.media.services.collection import policy_from_settings, source_collect
from jospar.media.services.report_use import monitoring_activity_set
from jospar.media.services.rubrics import RubricInput, rubric_create
from jospar.plans.models import Activity

logger = logging.getLogger(__name__)

SITE = Path(__file__).resolve().parent / "demo_site"
DEMO_PORT = 8765
DEMO_INTERVAL = 0.05

SOURCES = [
    (
        "Облыс әкімдігі (демо)",
        SourceKind.AKIMAT,
        "/feed-akimat.xml",
        CollectMethod.FEED,
        "astana",
        ["kk"],
        150_000,
    ),
    (
        "Республиканские новости (демо)",
        SourceKind.NATIONAL,
        "/feed-news.xml",
        CollectMethod.FEED,
        None,
        ["ru", "kk"],
        2_000_000,
    ),
    (
        "Карта сайта агентства (демо)",
        SourceKind.NATIONAL,
        "/sitemap.xml",
        CollectMethod.SITEMAP,
        None,
        ["ru"],
        500_000,
    ),
]


def _sources(admin: User, base: str) -> list[Source]:
    out = []
    with transaction.atomic():
        for name, kind, path, method, region, langs, audience in SOURCES:
            source = Source.objects.filter(name=name).first()
            if source is None:
                source = Source.objects.create(
                    name=name,
                    kind=kind,
                    method=method,
                    url=base + path,
                    region=Region.objects.filter(code=region).first() if region else None,
                    languages=langs,
                    declared_audience=audience,
                )
                audit_record(
                    actor=admin,
                    action="media.source_created",
                    object_type="media.Source",
                    object_id=source.pk,
                    after={"name": name, "url": source.url, "method": method},
                    reason="jospar demo",
                )
            out.append(source)
    return out


def _plan_links(admin: User) -> None:
    """The campaign plan's monitoring activities (#10 "monitor the information space", #28
    "video and photo reports", both quarterly by the 5th) are reported by the monitoring report,
    and its activity #12 (thematic rubrics in the periodicals) has the rubric «Туған жер», four a
    month; through the services, once."""
    monitoring = Activity.objects.filter(
        title_ru__icontains="мониторинг информационного пространства"
    ).first()
    if monitoring is None:
        return
    plan_activities = Activity.objects.filter(plan_id=monitoring.plan_id)
    for number in ("10", "28"):
        activity = plan_activities.filter(number=number).first()
        if (
            activity is not None
            and not MonitoringActivity.objects.filter(activity=activity).exists()
        ):
            monitoring_activity_set(actor=admin, activity=activity, marked=True)
    rubrics = plan_activities.filter(number="12").first()
    if rubrics is not None and not Rubric.objects.filter(activity=rubrics).exists():
        rubric_create(
            actor=admin,
            activity=rubrics,
            data=RubricInput(name="Туған жер", aliases=("Туган жер",), expected=4, period="month"),
        )


def demo_monitoring(admin: User) -> int:
    """Serve the shipped sources on loopback and collect the due ones; new publications."""
    _plan_links(admin)
    # MEDIA_DEMO_PORT = 0: any free port (a test building several demos at once on one
    # machine; the addresses then differ from run to run, which such a build does not need).
    port = getattr(settings, "MEDIA_DEMO_PORT", DEMO_PORT)
    try:
        site = LoopbackSite(SITE, port=port)
    except OSError:
        logger.warning("the demo's news server cannot listen on port %s", port)
        return 0
    new = 0
    with site:
        sources = _sources(admin, site.base)
        base = policy_from_settings()
        fetcher = PoliteFetcher(
            Policy(user_agent=base.user_agent, min_interval=DEMO_INTERVAL, timeout=5.0)
        )
        for source in sources:
            if source.last_success_at is None:
                new += source_collect(source=source, fetcher=fetcher).new
    return new


def demo_publication_count() -> int:
    return Publication.objects.count()
