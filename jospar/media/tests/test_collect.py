"""Collection, offline: a loopback server serves shipped files, and politeness is asserted from
the requests it receives (spacing, robots.txt, concurrency, 429, timeouts, conditional GET)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from jospar.core.models import AuditEvent
from jospar.media.collect.polite import FetchError, Policy, PoliteFetcher, RateLimited
from jospar.media.loopback import LoopbackSite
from jospar.media.models import CollectMethod, FetchLog, FetchOutcome, Publication, Source
from jospar.media.services.collection import collect_due, policy_from_settings, source_collect

SITE = Path(__file__).parent / "data" / "site"
UA = "jospar-monitoring/1.0 (+mailto:monitoring@jospar.kz)"


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite(SITE, hang_seconds=1.5) as served:
        yield served


def _fetcher(**kwargs: float) -> PoliteFetcher:
    options = {"min_interval": 0.15, "after_429": 0.6, "timeout": 2.0, **kwargs}
    return PoliteFetcher(Policy(user_agent=UA, **options))  # type: ignore[arg-type]


def _source(url: str, method: str = CollectMethod.FEED, name: str = "Облыс жаңалықтары") -> Source:
    return Source.objects.create(name=name, kind="regional", method=method, url=url)


@pytest.mark.django_db
def test_a_feed_is_collected_politely(site: LoopbackSite, settings: object) -> None:
    source = _source(site.base + "/feed.xml")
    result = source_collect(source=source, fetcher=_fetcher(min_interval=0.5))
    assert result.ok, result.error
    assert result.new == 4  # three pages, and the page robots.txt forbids, from its feed text
    paths = site.record.paths()
    assert paths[0] == "/robots.txt"
    assert paths[1] == "/feed.xml"
    assert "/private/secret.html" not in paths  # robots.txt obeyed
    assert sorted(paths[2:]) == [
        "/img/school.jpg",
        "/news/1.html?utm_source=rss",
        "/news/2.html",
        "/news/3.html",
    ]
    starts = [r.started for r in site.record.requests]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # The spacing rule, with a small configured interval (less the server's own jitter).
    assert min(gaps) >= 0.4, gaps
    for seen in site.record.requests:
        assert "jospar" in seen.headers["user-agent"]
        assert "mailto:" in seen.headers["user-agent"]
    kk = Publication.objects.get(title__startswith="Туған жер")
    assert kk.lang == "kk"
    assert kk.script == "Cyrl"
    assert "үш жүз орындық" in kk.text
    assert "Барлық құқықтар" not in kk.text  # the page's footer is not the article
    assert kk.published_on is not None
    assert kk.published_on.isoformat() == "2026-10-05"
    assert kk.url_hash
    assert kk.image_url.endswith("/img/school.jpg")
    assert len(kk.image_phash) == 16
    assert Publication.objects.get(title__startswith="Museum").lang == "en"
    private = Publication.objects.get(url__contains="/private/")
    assert private.text == "Этот материал сайт просит не собирать."
    source.refresh_from_db()
    assert source.last_success_at is not None
    assert source.failures_in_row == 0
    assert source.etag
    # The feed, three pages and a photo, and the page refused by robots.txt (logged, never
    # requested).
    assert FetchLog.objects.filter(source=source).count() == 6
    assert FetchLog.objects.get(outcome=FetchOutcome.ROBOTS).url.endswith("/private/secret.html")
    assert AuditEvent.objects.filter(action="media.source_collected").count() == 1


@pytest.mark.django_db
def test_a_second_run_asks_conditionally_and_fetches_nothing_twice(site: LoopbackSite) -> None:
    source = _source(site.base + "/feed.xml")
    assert source_collect(source=source, fetcher=_fetcher()).new == 4
    before = len(site.record.requests)
    again = source_collect(source=source, fetcher=_fetcher())
    assert again.ok
    assert again.new == 0
    later = site.record.requests[before:]
    assert [r.path for r in later] == ["/robots.txt", "/feed.xml"]
    assert later[1].headers.get("if-none-match") == source.etag
    assert later[1].status == 304
    assert FetchLog.objects.filter(outcome=FetchOutcome.NOT_MODIFIED).count() == 1
    # A sitemap listing a known page and a new one: only the new one is fetched.
    sitemap = _source(site.base + "/sitemap.xml", CollectMethod.SITEMAP, "Карта сайта")
    before = len(site.record.requests)
    assert source_collect(source=sitemap, fetcher=_fetcher()).new == 1
    assert [r.path for r in site.record.requests[before:]][-1] == "/news/4.html"
    assert "/news/2.html" not in [r.path for r in site.record.requests[before:]]
    # The reprint of page 2 is found as its repeat.
    two = Publication.objects.get(url__endswith="/news/2.html")
    four = Publication.objects.get(url__endswith="/news/4.html")
    assert four.story_id is not None
    assert four.story_id == two.story_id


@pytest.mark.django_db
def test_at_most_two_requests_at_once_to_one_site(site: LoopbackSite) -> None:
    fetcher = _fetcher(min_interval=0.0)
    threads = [
        threading.Thread(target=fetcher.get, args=(f"{site.base}/slow/300/{n}",)) for n in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slow = [r for r in site.record.requests if r.path.startswith("/slow/")]
    assert len(slow) == 6
    assert site.record.max_active == 2


def test_a_429_silences_the_site(site: LoopbackSite) -> None:
    fetcher = _fetcher(min_interval=0.05, after_429=0.6)
    with pytest.raises(RateLimited):
        fetcher.get(site.base + "/limited")
    fetcher.get(site.base + "/news/1.html")
    limited = next(r for r in site.record.requests if r.path == "/limited")
    after = next(r for r in site.record.requests if r.path == "/news/1.html")
    # Retry-After says 1 s, longer than the configured 0.6 s: the longer wait is kept.
    assert after.started - limited.started >= 0.95


def test_every_request_has_a_timeout(site: LoopbackSite) -> None:
    fetcher = _fetcher(timeout=0.4)
    began = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetcher.get(site.base + "/hang")
    assert time.monotonic() - began < 1.2


@pytest.mark.django_db
def test_a_hanging_or_broken_source_does_not_stop_the_others(site: LoopbackSite) -> None:
    hanging = _source(site.base + "/hang", name="Hangs")
    broken = _source(site.base + "/broken.xml", name="Garbage")
    good = _source(site.base + "/feed.xml", name="Good")
    results = {r.source_id: r for r in collect_due(fetcher=_fetcher(timeout=0.4))}
    assert results[good.pk].ok
    assert results[good.pk].new == 4
    assert not results[hanging.pk].ok
    assert "timed out" in results[hanging.pk].error
    assert not results[broken.pk].ok
    assert "feed" in results[broken.pk].error
    for source in (hanging, broken):
        source.refresh_from_db()
        assert source.last_error
        assert source.failures_in_row == 1
        assert not source.flagged
        assert source.next_attempt_at is not None
        assert source.next_attempt_at > timezone.now()
    # Not due again yet: a second run now asks nothing of them (no tight loop).
    before = len(site.record.requests)
    assert collect_due(fetcher=_fetcher(timeout=0.4)) == []
    assert len(site.record.requests) == before


@pytest.mark.django_db
def test_a_failing_source_backs_off_and_is_flagged(site: LoopbackSite) -> None:
    source = _source(site.base + "/fail", name="Fails")
    waits = []
    for _ in range(3):
        source_collect(source=source, fetcher=_fetcher())
        source.refresh_from_db()
        assert source.next_attempt_at is not None
        assert source.last_attempt_at is not None
        waits.append(source.next_attempt_at - source.last_attempt_at)
    assert waits[0] < waits[1] < waits[2]
    assert source.flagged
    assert source.failures_in_row == 3
    assert source.last_error == "HTTP 500"
    limited = _source(site.base + "/limited", name="Limited")
    source_collect(source=limited, fetcher=_fetcher(after_429=0.6))
    limited.refresh_from_db()
    assert FetchLog.objects.filter(source=limited, outcome=FetchOutcome.RATE_LIMITED).exists()
    assert limited.failures_in_row == 1


def test_the_shipped_policy_is_the_issues_politeness() -> None:
    """The tests above run with short intervals; what production collects with is the rule: 5 s
    between requests to one site, 30 s after a 429, at most two at once, a timeout, and a
    User-Agent naming jospar and a contact."""
    policy = policy_from_settings()
    assert policy.min_interval >= 5.0
    assert policy.after_429 >= 30.0
    assert policy.per_site <= 2
    assert 0 < policy.timeout <= 60
    assert "jospar" in policy.user_agent
    assert "mailto:" in policy.user_agent
