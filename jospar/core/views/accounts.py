"""Django's password reset, throttled per client address and per e-mail address asked for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from jospar.core.throttle import client_ip, throttle_hit, throttled_response


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle_hit("password_reset_ip", client_ip(request))
        if wait is None:
            email = str(request.POST.get("email", ""))[:254]
            # Counted whether or not the address is registered: the answer tells nothing.
            wait = throttle_hit("password_reset_email", email) if email else None
        if wait is not None:
            return throttled_response(request, wait)
        return super().post(request, *args, **kwargs)
