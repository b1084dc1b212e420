"""Throttles: who the client is (its address), fixed-window counters in the cache, and the page
a refused person sees (in the site's layout and language, status 429).

Logins are throttled by django-axes (settings ``AXES_*``), which calls :func:`client_ip` and
:func:`login_lockout_response`; password reset, registration and the Open311 POST count here with
:func:`throttle_hit`; the REST API uses DRF's throttles with the same cache and address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

CACHE_ALIAS = "throttle"
TEMPLATE = "registration/throttled.html"


def throttle_cache() -> BaseCache:
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else caches["default"]


def client_ip(request: Any) -> str:
    """The client's address. Directly reachable: REMOTE_ADDR. Behind our proxies
    (``BEHIND_PROXY``): the address the outermost of them saw, i.e. the ``PROXY_COUNT``-th from
    the right of X-Forwarded-For; whatever the client wrote to the left of it is ignored."""
    meta = getattr(request, "META", {})
    remote = str(meta.get("REMOTE_ADDR") or "")
    if getattr(settings, "JOSPAR_BEHIND_PROXY", False):
        hops = [hop.strip() for hop in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
        hops = [hop for hop in hops if hop]
        count = max(1, int(getattr(settings, "JOSPAR_PROXY_COUNT", 1)))
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote or "unknown"


def login_client_ip(request: Any) -> str | None:
    """The client's address for django-axes, which keeps it in an IP address column: a valid
    address, else None (PostgreSQL refuses "unknown", e.g. for a request made in a test or by
    a misconfigured proxy)."""
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, seconds = text.partition("/")
        return cls(int(count), int(seconds))


def rate(scope: str) -> Rate:
    return Rate.parse(settings.JOSPAR_THROTTLE_RATES[scope])


def throttle_hit(scope: str, key: str) -> int | None:
    """Count one attempt of ``scope`` by ``key``: None if allowed, else the seconds to wait
    until the window ends. The key is hashed (it may be an e-mail address or an API key)."""
    limit = rate(scope)
    now = time.time()
    window = int(now // limit.seconds)
    digest = hashlib.sha256(key.strip().lower().encode("utf-8")).hexdigest()[:32]
    cache_key = f"jospar:{scope}:{digest}:{window}"
    cache = throttle_cache()
    cache.add(cache_key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=limit.seconds + 1)
        count = 1
    if count <= limit.limit:
        return None
    return max(1, math.ceil((window + 1) * limit.seconds - now))


def throttle_hits(hits: list[tuple[str, str]]) -> int | None:
    """:func:`throttle_hit` for several (scope, key) at once: every one counted, even when
    another already refuses; None if all are within their limits, else the longest wait. On
    Redis one round trip for all of them."""
    now = time.time()
    windows = []
    for scope, key in hits:
        limit = rate(scope)
        window = int(now // limit.seconds)
        digest = hashlib.sha256(key.strip().lower().encode("utf-8")).hexdigest()[:32]
        windows.append((f"jospar:{scope}:{digest}:{window}", limit, window))
    cache = throttle_cache()
    counter = getattr(cache, "count_in_windows", None)
    if counter is None:
        refused = [w for w in (throttle_hit(scope, key) for scope, key in hits) if w]
        return max(refused) if refused else None
    counts = counter([(name, limit.seconds + 1) for name, limit, _w in windows])
    if counts is None:
        return None
    waits: list[int] = [
        max(1, math.ceil((window + 1) * limit.seconds - now))
        for count, (_name, limit, window) in zip(counts, windows, strict=True)
        if count > limit.limit
    ]
    return max(waits) if waits else None


def throttled_response(request: HttpRequest, wait_seconds: float) -> HttpResponse:
    minutes = max(1, math.ceil(wait_seconds / 60))
    response = render(request, TEMPLATE, {"minutes": minutes}, status=429)
    response["Retry-After"] = str(max(1, math.ceil(wait_seconds)))
    return response


def login_lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """axes' refusal: the throttled page, waiting the whole cool-off (each failure during a
    lockout starts it again)."""
    cooloff = settings.AXES_COOLOFF_TIME
    seconds = (
        cooloff.total_seconds() if isinstance(cooloff, dt.timedelta) else float(cooloff) * 3600
    )
    return throttled_response(request, seconds)


class _CacheAndAddress(SimpleRateThrottle):
    def __init__(self) -> None:
        self.cache = throttle_cache()
        super().__init__()

    def get_rate(self) -> str | None:
        # Read when used (DRF's class attribute is read once, at import).
        value = api_settings.DEFAULT_THROTTLE_RATES.get(str(self.scope))
        return None if value is None else str(value)

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class ApiUserThrottle(_CacheAndAddress, UserRateThrottle):
    """Per signed-in user, i.e. per API token (one token per user)."""

    scope = "api_user"


class ApiAnonThrottle(_CacheAndAddress, AnonRateThrottle):
    scope = "api_anon"
