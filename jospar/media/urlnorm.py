"""A publication's address in one spelling, and its hash: the publication's identity.

Lower-case scheme and host, no default port, no fragment, no tracking parameters (``utm_*``,
``fbclid``, ...), the remaining query sorted, ``/index.html``-style tails kept (sites differ).
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_TRACKING = {"fbclid", "gclid", "yclid", "_openstat", "from", "ref", "igshid", "mc_cid", "mc_eid"}


def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~%")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    )
    # http and https name one article: the identity ignores the scheme.
    return urlunsplit(
        ("https" if scheme in {"http", "https"} else scheme, netloc, path, urlencode(query), "")
    )


def url_hash(url: str) -> str:
    return hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()


def site_of(url: str) -> str:
    """The politeness key: scheme, host and port, as robots.txt is scoped."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"
