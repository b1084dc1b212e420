"""Collecting a source: its feed or sitemap, then each article it lists that is new.

The network is never touched inside a transaction. Each run writes its fetch log rows, the
publications it found, and the source's health with one audit row (``media.source_collected``
or ``media.source_failed``). A source that fails is tried again after 15 minutes, then 30, 60
... up to a day (never in a tight loop), and flagged after ``MONITOR_FLAG_AFTER`` failures in a
row; a 429 waits at least ``MONITOR_AFTER_429`` seconds. One hanging or broken source costs its
own timeout and nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jospar.core.audit import audit_record
from jospar.media.collect.parse import (
    Item,
    Unreadable,
    extract_article,
    parse_feed,
    parse_sitemap,
)
from jospar.media.collect.polite import (
    FetchError,
    Policy,
    PoliteFetcher,
    RateLimited,
    Response,
    RobotsDenied,
)
from jospar.media.models import CollectMethod, FetchLog, FetchOutcome, Source
from jospar.media.photos import photo_hash
from jospar.media.services.matching import Matcher, matcher_load, proposals_make
from jospar.media.services.publications import (
    NewPublication,
    known_hashes,
    publications_record,
)
from jospar.media.urlnorm import url_hash

logger = logging.getLogger(__name__)

BACKOFF_FIRST = dt.timedelta(minutes=15)
BACKOFF_MAX = dt.timedelta(days=1)


def policy_from_settings() -> Policy:
    return Policy(
        user_agent=settings.MONITOR_USER_AGENT,
        min_interval=settings.MONITOR_MIN_INTERVAL,
        after_429=settings.MONITOR_AFTER_429,
        per_site=settings.MONITOR_PER_SITE,
        timeout=settings.MONITOR_TIMEOUT,
    )


@dataclass
class CollectResult:
    source_id: int
    ok: bool
    new: int = 0
    error: str = ""
    logs: list[FetchLog] = field(default_factory=list)


class _Run:
    def __init__(self, source: Source, fetcher: PoliteFetcher) -> None:
        self.source = source
        self.fetcher = fetcher
        self.logs: list[FetchLog] = []

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        started = timezone.now()
        began = time.monotonic()
        log = FetchLog(source=self.source, url=url[:1000], started_at=started)
        try:
            response = self.fetcher.get(url, etag=etag, last_modified=last_modified)
        except RobotsDenied as exc:
            log.outcome, log.error = FetchOutcome.ROBOTS, str(exc)[:500]
            raise
        except RateLimited as exc:
            log.outcome, log.status, log.error = FetchOutcome.RATE_LIMITED, 429, str(exc)
            raise
        except FetchError as exc:
            log.outcome, log.status, log.error = FetchOutcome.ERROR, exc.status, str(exc)[:500]
            raise
        else:
            log.status = response.status
            log.outcome = FetchOutcome.NOT_MODIFIED if response.status == 304 else FetchOutcome.OK
            return response
        finally:
            log.duration_ms = int((time.monotonic() - began) * 1000)
            self.logs.append(log)


# Articles recorded together (one transaction): a few, since each was fetched seconds apart and
# a run that stops loses only the lot in hand (its items are fetched again on the next run).
COLLECT_LOT = 20


def _items(source: Source, body: bytes) -> list[Item]:
    if source.method == CollectMethod.SITEMAP:
        return parse_sitemap(body)
    return parse_feed(body)


def _article(run: _Run, item: Item) -> NewPublication | None:
    text, title, day = item.summary, item.title, None
    alternates: tuple[str, ...] = ()
    try:
        page = run.get(item.url)
    except RobotsDenied:
        page = None  # the feed's own words are all we may keep
    except FetchError:
        if not item.summary:
            return None  # tried again on the next run: nothing was recorded
        page = None
    if page is not None and page.status == 200 and page.body:
        article = extract_article(page.body, item.url)
        text = article.text or text
        title = title or article.title
        day = article.published
        alternates = tuple(a for a in article.alternates if url_hash(a) != url_hash(item.url))
    if not (text or title):
        return None
    image_phash = ""
    if item.image_url and settings.MONITOR_FETCH_IMAGES:
        try:
            image = run.get(item.image_url)
        except FetchError:
            image = None
        if image is not None and image.status == 200:
            image_phash = photo_hash(image.body) or ""
    return NewPublication(
        url=item.url,
        title=title,
        text=text,
        published_at=item.published,
        published_on=day,
        image_url=item.image_url,
        image_phash=image_phash,
        alternates=alternates,
    )


def source_collect(*, source: Source, fetcher: PoliteFetcher | None = None) -> CollectResult:
    """Collect one source now (the caller decides it is due)."""
    fetcher = fetcher or PoliteFetcher(policy_from_settings())
    run = _Run(source, fetcher)
    new = 0
    try:
        if source.method not in {CollectMethod.FEED, CollectMethod.SITEMAP} or not source.url:
            raise FetchError("this source is not collected from an address")
        response = run.get(source.url, etag=source.etag, last_modified=source.last_modified)
        if response.status == 304:
            items: list[Item] = []
        elif response.status == 200:
            items = _items(source, response.body)
        else:
            raise FetchError(f"HTTP {response.status}", response.status)
        known = known_hashes([i.url for i in items])
        fresh, seen = [], set(known)
        for item in items:
            key = url_hash(item.url)
            if key not in seen:
                seen.add(key)
                fresh.append(item)
        matcher = matcher_load()
        lot: list[NewPublication] = []
        taken = fresh[: settings.MONITOR_ITEMS_PER_RUN]
        for n, item in enumerate(taken):
            found = _article(run, item)
            if found is not None:
                lot.append(found)
            if len(lot) >= COLLECT_LOT or (lot and n == len(taken) - 1):
                new += _record_lot(source, lot, matcher)
                lot = []
    except (FetchError, Unreadable) as exc:
        error = str(exc) or type(exc).__name__
        _failed(source, run, error, rate_limited=isinstance(exc, RateLimited), new=new)
        return CollectResult(source.pk, False, new, error, run.logs)
    _succeeded(source, run, response, new)
    return CollectResult(source.pk, True, new, "", run.logs)


def _record_lot(source: Source, lot: list[NewPublication], matcher: Matcher) -> int:
    recorded = [p for p in publications_record(source=source, news=lot) if p is not None]
    for publication in recorded:
        proposals_make(publication=publication, matcher=matcher)
    return len(recorded)


def _save_logs(run: _Run, new: int) -> None:
    if run.logs:
        run.logs[0].new_items = new
        FetchLog.objects.bulk_create(run.logs)


def _succeeded(source: Source, run: _Run, response: Response, new: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        if response.status == 200:
            locked.etag = response.etag[:500]
            locked.last_modified = response.last_modified[:100]
        locked.last_attempt_at = locked.last_success_at = now
        locked.failures_in_row = 0
        locked.flagged = False
        locked.next_attempt_at = now + dt.timedelta(minutes=settings.MONITOR_COLLECT_EVERY_MINUTES)
        locked.save()
        _save_logs(run, new)
        audit_record(
            actor=None,
            action="media.source_collected",
            object_type="media.Source",
            object_id=source.pk,
            after={"new": new, "requests": len(run.logs), "status": response.status},
        )
    source.refresh_from_db()


def _failed(source: Source, run: _Run, error: str, *, rate_limited: bool, new: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        locked.failures_in_row += 1
        wait = min(BACKOFF_FIRST * 2 ** (locked.failures_in_row - 1), BACKOFF_MAX)
        if rate_limited:
            wait = max(wait, dt.timedelta(seconds=settings.MONITOR_AFTER_429))
        locked.last_attempt_at = locked.last_error_at = now
        locked.last_error = error[:500]
        locked.next_attempt_at = now + wait
        locked.flagged = locked.failures_in_row >= settings.MONITOR_FLAG_AFTER
        locked.save()
        _save_logs(run, new)
        audit_record(
            actor=None,
            action="media.source_failed",
            object_type="media.Source",
            object_id=source.pk,
            after={
                "error": error[:200],
                "failures_in_row": locked.failures_in_row,
                "flagged": locked.flagged,
                "next_attempt_at": locked.next_attempt_at.isoformat(),
            },
        )
    source.refresh_from_db()


def due_sources(now: dt.datetime | None = None) -> list[Source]:
    now = now or timezone.now()
    return list(
        Source.objects.filter(
            active=True, method__in=[CollectMethod.FEED, CollectMethod.SITEMAP]
        ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def collect_due(*, fetcher: PoliteFetcher | None = None) -> list[CollectResult]:
    """Collect every due source; one source's failure never stops the others."""
    fetcher = fetcher or PoliteFetcher(policy_from_settings())
    results = []
    for source in due_sources():
        try:
            results.append(source_collect(source=source, fetcher=fetcher))
        except Exception as exc:  # a parser crash on garbage must not stop the run
            logger.exception("collecting source %s failed", source.pk)
            _failed(
                source,
                _Run(source, fetcher),
                f"internal error: {type(exc).__name__}",
                rate_limited=False,
                new=0,
            )
            results.append(CollectResult(source.pk, False, 0, type(exc).__name__))
    return results
