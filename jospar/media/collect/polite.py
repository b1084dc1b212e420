"""Polite HTTP: the only way jospar's monitoring reaches another site.

Per site (scheme, host and port): robots.txt obeyed (``protego``; its Crawl-delay too), at least
``min_interval`` seconds between the starts of two requests, ``after_429`` seconds of silence
after a 429 (or the Retry-After it gives, when longer), at most ``per_site`` requests at once,
a timeout on every request (connect, each read, and the whole body), conditional GET, a
User-Agent that names jospar and a contact, redirects followed by hand so that each hop passes
the same rules, and a cap on the body's size. Nothing here touches the database.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from protego import Protego

from jospar.media.urlnorm import site_of

MAX_REDIRECTS = 3


@dataclass(frozen=True)
class Policy:
    user_agent: str = "jospar-monitoring/1.0 (+mailto:monitoring@jospar.kz)"
    min_interval: float = 5.0
    after_429: float = 30.0
    per_site: int = 2
    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_crawl_delay: float = 60.0


@dataclass
class Response:
    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


class FetchError(Exception):
    """The request failed: network, timeout, an HTTP error, a body too big."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RobotsDenied(FetchError):
    pass


class RateLimited(FetchError):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


class _Site:
    def __init__(self, per_site: int) -> None:
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(per_site)
        self.next_start = 0.0
        self.robots: Protego | None = None
        self.robots_checked = False
        self.robots_lock = threading.Lock()
        self.interval = 0.0


class PoliteFetcher:
    """Thread-safe; one per collection run (robots.txt is read once per site and run)."""

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or Policy()
        self._clock = clock
        self._sleep = sleep
        self._sites: dict[str, _Site] = {}
        self._sites_lock = threading.Lock()

    def _site(self, url: str) -> _Site:
        key = site_of(url)
        with self._sites_lock:
            site = self._sites.get(key)
            if site is None:
                site = self._sites[key] = _Site(self.policy.per_site)
                site.interval = self.policy.min_interval
            return site

    # -- robots.txt ---------------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        site = self._site(url)
        with site.robots_lock:
            if not site.robots_checked:
                site.robots = self._read_robots(url, site)
                site.robots_checked = True
        if site.robots is None:
            return True
        return bool(site.robots.can_fetch(url, self.policy.user_agent))

    def _read_robots(self, url: str, site: _Site) -> Protego | None:
        robots_url = urljoin(site_of(url) + "/", "/robots.txt")
        try:
            response = self._request(robots_url, site, {})
        except RateLimited:
            return Protego.parse("User-agent: *\nDisallow: /\n")
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None  # no robots.txt: everything is allowed
            # A server that cannot say what it allows is not crawled this run.
            return Protego.parse("User-agent: *\nDisallow: /\n")
        text = response.body.decode("utf-8", errors="replace")
        robots = Protego.parse(text)
        delay = robots.crawl_delay(self.policy.user_agent)
        if delay:
            site.interval = max(
                self.policy.min_interval, min(float(delay), self.policy.max_crawl_delay)
            )
        return robots

    # -- requests -----------------------------------------------------------------------------

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        """GET the URL politely; 304 comes back as a response, other errors raise."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(MAX_REDIRECTS + 1):
            if urlsplit(url).scheme not in {"http", "https"}:
                raise FetchError("not an http(s) address")
            if not self.allowed(url):
                raise RobotsDenied("robots.txt disallows this address")
            response = self._request(url, self._site(url), headers)
            if response.status in {301, 302, 303, 307, 308}:
                location = response.headers.get("location", "")
                if not location:
                    raise FetchError("redirect without a location", response.status)
                url = urljoin(url, location)
                continue
            return response
        raise FetchError("too many redirects")

    def _wait_turn(self, site: _Site) -> None:
        with site.lock:
            now = self._clock()
            start = max(now, site.next_start)
            site.next_start = start + site.interval
        if start > now:
            self._sleep(start - now)

    def _request(self, url: str, site: _Site, headers: dict[str, str]) -> Response:
        with site.slots:
            self._wait_turn(site)
            request = urllib.request.Request(
                url, headers={"User-Agent": self.policy.user_agent, **headers}
            )
            began = self._clock()
            try:
                with _OPENER.open(request, timeout=self.policy.timeout) as raw:
                    body = self._read(raw, began)
                    return Response(url, raw.status, body, _lower(raw.headers))
            except urllib.error.HTTPError as exc:
                found = _lower(exc.headers)
                if exc.code in {301, 302, 303, 304, 307, 308}:
                    return Response(url, exc.code, b"", found)
                if exc.code == 429:
                    wait = max(self.policy.after_429, _retry_after(found.get("retry-after", "")))
                    with site.lock:
                        site.next_start = max(site.next_start, self._clock() + wait)
                    raise RateLimited("429 Too Many Requests", 429) from exc
                raise FetchError(f"HTTP {exc.code}", exc.code) from exc
            except (urllib.error.URLError, OSError, ValueError) as exc:
                raise FetchError(_reason(exc)) from exc

    def _read(self, raw: Any, began: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            if self._clock() - began > self.policy.timeout:
                raise FetchError("timed out reading the body")
            chunk = raw.read(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise FetchError("the body is too big")
            chunks.append(chunk)


def _lower(headers: Any) -> dict[str, str]:
    if headers is None:
        return {}
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _retry_after(value: str) -> float:
    value = value.strip()
    if not value:
        return 0.0
    if value.isascii() and value.isdigit():
        return min(float(value), 3600.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, min(when.timestamp() - time.time(), 3600.0))


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    text = str(reason) or type(reason).__name__
    if "timed out" in text.lower() or isinstance(reason, TimeoutError):
        return "timed out"
    return text[:200]
