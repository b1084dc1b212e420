"""The cache may fail; a page must not.

Django's own ``RedisCache`` with short socket timeouts (set in the settings), wrapped so that a
Redis that refuses connections, or accepts them and never answers, costs a page at most one
timeout: the error is logged, the operation answers as a cache miss (``get`` gives the default,
``set``/``add``/``delete`` give ``False``, ``incr`` raises ``ValueError`` as for a missing key),
and for ``CACHE_BREAKER_SECONDS`` afterwards this process does not call Redis at all. Callers
therefore only ever see a cache that forgets, which every cached value here must survive anyway.

Why not django-redis's ``IGNORE_EXCEPTIONS``: it swallows errors too, but calls Redis again on
every operation, so a frozen server costs the full socket timeout on each of the dozens of cache
reads of one page; and it is a second Redis client library besides the one Django ships.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("jospar.cache")

T = TypeVar("T")
DEFAULT_BREAKER_SECONDS = 30.0


def _is_outage(exc: BaseException) -> bool:
    """Connection refused or reset, timeouts, a server going away: not a programming error."""
    import redis

    return isinstance(
        exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError | OSError
    )


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that fails soft and stops trying for a while after a failure."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._open_until = 0.0

    @property
    def breaker_seconds(self) -> float:
        return float(getattr(settings, "CACHE_BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS))

    def is_available(self) -> bool:
        """False while the breaker is open (Redis failed less than the breaker's time ago)."""
        return time.monotonic() >= self._open_until

    def _call(self, operation: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if not self.is_available():
            return fallback()
        try:
            return call()
        except Exception as exc:
            if not _is_outage(exc):
                raise
            with self._lock:
                first = self.is_available()
                self._open_until = time.monotonic() + self.breaker_seconds
            if first:
                logger.warning(
                    "cache unavailable (%s: %s); computing without it for %.0f s",
                    operation,
                    exc,
                    self.breaker_seconds,
                )
            return fallback()

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._call(
            "add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), _no
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call(
            "get",
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: default,
        )

    def set(  # type: ignore[override]
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        def call() -> bool:
            super(ResilientRedisCache, self).set(key, value, timeout, version)
            return True

        return self._call("set", call, _no)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._call(
            "touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version), _no
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._call(
            "delete", lambda: super(ResilientRedisCache, self).delete(key, version), _no
        )

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        return self._call(
            "get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), dict
        )

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._call(
            "has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), _no
        )

    def count_in_windows(self, keys: list[tuple[Any, int]]) -> list[int] | None:
        """Count one more hit on each of ``keys`` (key, seconds the window lives) in one round
        trip: each key created at 0 with its expiry where missing, then incremented. The counts,
        or None while Redis is unavailable (a cache that forgets: nothing counted)."""

        def call() -> list[int] | None:
            names = [self.make_and_validate_key(key) for key, _ttl in keys]
            client = self._cache.get_client(names[0], write=True)
            pipe = client.pipeline(transaction=False)
            for name, (_key, ttl) in zip(names, keys, strict=True):
                pipe.set(name, 0, ex=ttl, nx=True)
                pipe.incr(name)
            replies = pipe.execute()
            return [int(count) for count in replies[1::2]]

        return self._call("count_in_windows", call, lambda: None)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")

        return self._call(
            "incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing
        )

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        return self._call(
            "set_many",
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: list(data),
        )

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        self._call(
            "delete_many",
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: None,
        )

    def clear(self) -> None:
        self._call("clear", lambda: super(ResilientRedisCache, self).clear(), lambda: None)


def _no() -> bool:
    return False
