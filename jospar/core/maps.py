"""The maps' base layer: the tile server's address, when this machine can reach it.

Every map draws jospar's own regions and settlements under the pins, so it orients people with
no tile server at all. A tile server the machine cannot resolve (an offline machine, a closed
network) would only cost every map page a dozen failed requests: console errors and broken
images. Its host is looked up once in a while; while it does not resolve, maps draw no tiles.
"""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 600
_resolved: dict[str, tuple[float, bool]] = {}


def _resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return True


def map_tile_url() -> str:
    """``MAP_TILE_URL`` (a Leaflet template), or "" for none: unset, "none", or a host this
    machine cannot resolve (looked up at most every ten minutes; ``MAP_TILE_CHECK=False``
    takes the address as it is)."""
    url = str(getattr(settings, "MAP_TILE_URL", "") or "").strip()
    if not url or url.lower() == "none":
        return ""
    if not getattr(settings, "MAP_TILE_CHECK", True):
        return url
    host = urlsplit(url.replace("{s}", "a")).hostname or ""
    now = time.monotonic()
    seen = _resolved.get(host)
    if seen is None or now - seen[0] > RECHECK_SECONDS:
        ok = _resolves(host)
        if not ok and (seen is None or seen[1]):
            logger.warning("map tiles: %s does not resolve; the maps draw no tiles", host)
        seen = _resolved[host] = (now, ok)
    return url if seen[1] else ""
