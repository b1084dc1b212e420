"""Whoever has a second factor enters a code after the password, on every way in (the staff
login, the portal's e-mail login, the admin site): until the session is verified, every page
leads to the code page. With TWO_FACTOR_REQUIRED, a controller or administrator without one is
led to set it up first. Placed after django-otp's OTPMiddleware."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from jospar.core.two_factor.services import two_factor_enabled, two_factor_required

# Reachable before the code is given: the code page itself, setting it up, leaving, language.
OPEN_NAMES = ("two-factor-verify", "two-factor-setup", "logout", "admin:logout", "set_language")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        verified = getattr(user, "is_verified", None)
        if verified is not None and verified():
            return None
        path = request.path_info
        if _is_open(path):
            return None
        if two_factor_enabled(user):
            target = "two-factor-verify"
            message = _("Enter the code of your second factor first.")
        elif two_factor_required(user):
            target = "two-factor-setup"
            message = _("Your role requires a second factor: set it up first.")
        else:
            return None
        if path.startswith("/api/"):
            return JsonResponse(
                {"code": "second_factor_required", "message": message, "fields": {}}, status=403
            )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")


def _is_open(path: str) -> bool:
    static_url = "/" + str(settings.STATIC_URL).lstrip("/")
    if path.startswith(static_url):
        return True
    for name in OPEN_NAMES:
        try:
            if path == reverse(name):
                return True
        except NoReverseMatch:
            continue
    return False
