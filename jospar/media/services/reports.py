"""The quarterly monitoring report: its data read from the publications of a quarter, kept as a
draft, and frozen with the SHA-256 of its canonical JSON once submitted (after which neither the
data nor its hash change; a later build is a new report)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import User
from jospar.media.models import (
    FetchOutcome,
    MatchProposal,
    MatchReason,
    MonitoringReport,
    ProposalState,
    Publication,
    ReportLang,
    Rubric,
    Source,
    Story,
    StoryLink,
)
from jospar.media.selectors import reprint_q
from jospar.media.services.rubrics import cadence
from jospar.plans.models import Activity

TOP_STORIES = 10
SILENT_ACTIVITIES = 100


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    last_month = 3 * quarter
    following = dt.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def report_data(year: int, quarter: int) -> dict[str, Any]:
    since, until = quarter_bounds(year, quarter)
    pubs = Publication.objects.filter(published_on__range=(since, until))
    # One pass for the plain counts, one grouped by source (kind, region, reach and each
    # source's publications are read from it), one by language, one by story: the quarter's
    # two million rows are read a few times, not once per figure or per source.
    counts = pubs.aggregate(
        total=Count("pk"),
        kk_latin=Count("pk", filter=Q(lang="kk", script="Latn")),
        alone=Count("pk", filter=Q(story__isnull=True)),
        reprints=Count("pk", filter=reprint_q()),
        translations=Count(
            "pk", filter=Q(story_via=StoryLink.LANGUAGE) & ~Q(story__first_id=F("pk"))
        ),
    )
    total = int(counts["total"])
    kk_latin, reprints = int(counts["kk_latin"]), int(counts["reprints"])
    translations = int(counts["translations"])
    per_source = dict(
        pubs.values_list("source_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("source_id", "n")
    )
    sources = {
        s.pk: s for s in Source.objects.filter(pk__in=list(per_source)).select_related("region")
    }
    by_kind: dict[str, int] = {}
    regions: dict[str, dict[str, Any]] = {}
    for source_id, n in per_source.items():
        source = sources[source_id]
        by_kind[source.kind] = by_kind.get(source.kind, 0) + n
        region = source.region
        code = region.code if region else ""
        row = regions.setdefault(
            code,
            {
                "region": code,
                "name_kk": region.name_kk if region else "",
                "name_ru": region.name_ru if region else "",
                "count": 0,
            },
        )
        row["count"] += n
    by_region = sorted(regions.values(), key=lambda r: (-r["count"], r["region"]))
    by_lang = dict(
        pubs.values_list("lang").annotate(n=Count("pk")).order_by().values_list("lang", "n")
    )
    # A story told in several publications and languages is counted once.
    story_langs = list(
        pubs.filter(story__isnull=False)
        .values("story_id")
        .annotate(langs=Count("lang", distinct=True, filter=Q(lang__in=("kk", "ru"))))
        .order_by()
        .values_list("langs", flat=True)
    )
    stories_total = int(counts["alone"]) + len(story_langs)
    both_languages = sum(1 for n in story_langs if n == 2)
    stories = (
        Story.objects.filter(publications__published_on__range=(since, until))
        .annotate(n=Count("publications", distinct=True))
        .filter(n__gte=2)
        .order_by("-n", "pk")[:TOP_STORIES]
    )
    top = []
    for story in stories:
        items = list(
            Publication.objects.filter(story=story)
            .order_by("published_on", "pk")
            .values("title", "published_on", "lang", "source__name")
        )
        top.append(
            {
                "title": items[0]["title"] if items else "",
                "first_source": items[0]["source__name"] if items else "",
                "first_on": str(items[0]["published_on"] or "") if items else "",
                "count": story.n,
                "sources": len({i["source__name"] for i in items}),
                "langs": sorted({i["lang"] for i in items}),
            }
        )
    reach = sum(s.declared_audience for s in sources.values())
    rubrics = [
        {"rubric": detail, "count": n}
        for detail, n in MatchProposal.objects.filter(
            reason=MatchReason.RUBRIC,
            publication__published_on__range=(since, until),
        )
        .exclude(state=ProposalState.REJECTED)
        .values_list("detail")
        .annotate(n=Count("pk"))
        .order_by("-n", "detail")
    ]
    evidenced = MatchProposal.objects.filter(
        state=ProposalState.CONFIRMED, activity__isnull=False
    ).values("activity_id")
    silent_q = Activity.objects.filter(in_force=True).exclude(pk__in=evidenced)
    silent = [
        {
            "number": a.number,
            "plan": a.plan_id,
            "title_kk": a.title_kk[:200],
            "title_ru": a.title_ru[:200],
        }
        for a in silent_q.order_by("plan_id", "position")[:SILENT_ACTIVITIES]
    ]
    start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    health = [
        {
            "source": name,
            "fetches": n,
            "errors": errors,
            "publications": per_source.get(pk, 0),
        }
        for pk, name, n, errors in Source.objects.annotate(
            n=Count("fetches", filter=Q(fetches__started_at__range=(start, end))),
            errors=Count(
                "fetches",
                filter=Q(fetches__started_at__range=(start, end))
                & ~Q(fetches__outcome__in=[FetchOutcome.OK, FetchOutcome.NOT_MODIFIED]),
            ),
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "n", "errors")
    ]
    return {
        "year": year,
        "quarter": quarter,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "total": total,
        "by_kind": by_kind,
        "by_region": by_region,
        "by_lang": by_lang,
        "kk_latin": kk_latin,
        "state_language_share": round(by_lang.get("kk", 0) / total, 4) if total else 0.0,
        "reprints": reprints,
        "translations": translations,
        "stories_total": stories_total,
        "stories_in_both_languages": both_languages,
        "cadence": cadence_data(since, until),
        "top_stories": top,
        "declared_reach": reach,
        "rubrics": rubrics,
        "silent_activities": silent,
        "silent_activities_total": silent_q.count(),
        "source_health": health,
    }


def cadence_data(since: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Each active rubric's publications per period against what the plan prescribes."""
    rubrics = list(
        Rubric.objects.filter(active=True).select_related("activity").order_by("name", "pk")
    )
    return [
        {
            "rubric": c.rubric.name,
            "activity": c.rubric.activity.number if c.rubric.activity else "",
            "period": c.rubric.period,
            "expected_per_period": c.rubric.expected,
            "periods": len(c.periods),
            "periods_met": c.met,
            "expected": c.expected,
            "found": c.found,
            "by_period": [
                {"start": p.start.isoformat(), "found": p.found, "expected": p.expected}
                for p in c.periods
            ],
        }
        for c in cadence(rubrics, since, until)
    ]


def _check(year: int, quarter: int, lang: str) -> None:
    if not (2000 <= year <= 2100) or quarter not in (1, 2, 3, 4):
        message = _("Choose a year and a quarter.")
        raise ServiceError("invalid_quarter", message, {"quarter": [message]})
    if lang not in ReportLang.values:
        message = _("Choose Kazakh or Russian.")
        raise ServiceError("invalid_language", message, {"lang": [message]})


def monitoring_report_build(*, actor: User, year: int, quarter: int, lang: str) -> MonitoringReport:
    _check(year, quarter, lang)
    data = report_data(year, quarter)
    with transaction.atomic():
        report = MonitoringReport.objects.create(
            year=year,
            quarter=quarter,
            lang=lang,
            data=data,
            built_by=actor,
            built_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="media.report_built",
            object_type="media.MonitoringReport",
            object_id=report.pk,
            after={"year": year, "quarter": quarter, "lang": lang, "total": data["total"]},
        )
    return report


def monitoring_report_submit(*, actor: User, report: MonitoringReport) -> MonitoringReport:
    with transaction.atomic():
        locked = MonitoringReport.objects.select_for_update().get(pk=report.pk)
        if locked.submitted_at is not None:
            raise Conflict("already_submitted", _("This report has already been submitted."))
        locked.data_sha256 = hashlib.sha256(canonical(locked.data)).hexdigest()
        locked.submitted_by, locked.submitted_at = actor, timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            action="media.report_submitted",
            object_type="media.MonitoringReport",
            object_id=locked.pk,
            after={"data_sha256": locked.data_sha256},
        )
    return locked


def frozen_intact(report: MonitoringReport) -> bool:
    return bool(report.data_sha256) and (
        hashlib.sha256(canonical(report.data)).hexdigest() == report.data_sha256
    )
