"""The lean path of the public read-only API: reads of ``/open311/v2/`` skip the middleware that
serves signed-in people's pages and nothing else.

An Open311 read is answered from its query string alone: it shows no flash message, no page of
the site, no login form, and its views never look at the session's user. Per request the
messages storage, django-otp's wrapping of the user and the second-factor check (which loads
the session's user) were still made (docs/decisions.md, "Exports and the Open311 lean path").
Each class below is the middleware it names (a subclass, so Django's checks still find it) that
steps aside for such a read; for every other request it is the same middleware. What protects
the API stays on its path: request id, metrics and the access line, the security headers and
CSP, the size and input checks, CSRF (the API's views are exempt, as before), X-Frame-Options,
and the throttles in the views.

Only safe methods take the lean path: a POST to ``/open311/v2/`` goes through every middleware,
as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest
from django_otp.middleware import OTPMiddleware

from jospar.core.two_factor.middleware import SecondFactorMiddleware

# Path prefixes of read-only public APIs that take the lean path.
LEAN_READ_PREFIXES = ("/open311/v2/",)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def lean_read(request: HttpRequest) -> bool:
    """A read of a public API: no signed-in page is served, nothing is changed."""
    return request.method in _SAFE_METHODS and request.path_info.startswith(LEAN_READ_PREFIXES)


class LeanMessageMiddleware(MessageMiddleware):
    def __call__(self, request: HttpRequest) -> Any:
        if lean_read(request):
            return self.get_response(request)
        return super().__call__(request)


class LeanOTPMiddleware(OTPMiddleware):  # type: ignore[misc]
    def __call__(self, request: HttpRequest) -> Any:
        if lean_read(request):
            return self.get_response(request)
        return super().__call__(request)


class LeanSecondFactorMiddleware(SecondFactorMiddleware):
    def __call__(self, request: HttpRequest) -> Any:
        if lean_read(request):
            return self.get_response(request)
        return super().__call__(request)
