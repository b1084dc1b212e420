"""Pages of the second factor: set it up (or remove it), enter a code after the password, and
the administrators' list and reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken

from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.core.throttle import throttle_hit, throttled_response
from jospar.core.two_factor.forms import CodeForm, ResetForm
from jospar.core.two_factor.qr import qr_svg
from jospar.core.two_factor.selectors import users_with_second_factor
from jospar.core.two_factor.services import (
    base32_secret,
    new_pending_key,
    provisioning_uri,
    two_factor_applies,
    two_factor_enabled,
    two_factor_enrol,
    two_factor_remove,
    two_factor_required,
    two_factor_verify,
)

T = "core/two_factor/"
PENDING_KEY = "two_factor_pending_key"


def _next_url(request: HttpRequest) -> str:
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not two_factor_applies(user):
        raise PermissionDenied
    enabled = two_factor_enabled(user)
    action = request.POST.get("action", "")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and action == "remove" and enabled and form.is_valid():
        if two_factor_verify(user=user, code=form.cleaned_data["code"]) is None:
            form.add_error("code", _("The code is wrong or has expired."))
            status = 400
        else:
            try:
                two_factor_remove(actor=user, user=user)
            except ServiceError as error:
                form.add_error(None, str(error.message))
                status = error.status
            else:
                messages.success(request, _("The second factor is off."))
                return redirect("two-factor-setup")
    elif request.method == "POST" and action == "confirm" and not enabled and form.is_valid():
        try:
            enrolment = two_factor_enrol(
                actor=user,
                key_hex=str(request.session.get(PENDING_KEY, "")),
                code=form.cleaned_data["code"],
            )
        except ServiceError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, str(problem))
            if not error.fields:
                form.add_error(None, str(error.message))
            status = error.status
        else:
            request.session.pop(PENDING_KEY, None)
            otp_login(request, enrolment.device)
            return render(
                request,
                T + "done.html",
                {"codes": enrolment.backup_codes, "next": _next_url(request)},
            )
    elif request.method == "POST":
        status = 400
    context: dict[str, object] = {
        "form": form,
        "enabled": enabled,
        "required": two_factor_required(user),
        "next": _next_url(request),
    }
    if enabled:
        context["backup_left"] = StaticToken.objects.filter(device__user=user).count()
    else:
        key = str(request.session.get(PENDING_KEY) or "")
        if len(key) != 40:
            key = new_pending_key()
            request.session[PENDING_KEY] = key
        context["qr"] = qr_svg(
            provisioning_uri(user, key), label=_("QR code to scan with the authenticator app")
        )
        context["secret"] = base32_secret(key)
    return render(request, T + "setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    target = _next_url(request)
    if not two_factor_enabled(user) or user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(target)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        wait = throttle_hit("two_factor_user", f"user:{user.pk}")
        if wait is not None:
            return throttled_response(request, wait)
        if form.is_valid():
            device = two_factor_verify(user=user, code=form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return HttpResponseRedirect(target)
            form.add_error("code", _("The code is wrong or has expired."))
        status = 400
    return render(request, T + "verify.html", {"form": form, "next": target}, status=status)


def _administrator(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_administrator:
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET"])
def users(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return render(request, T + "users.html", {"people": users_with_second_factor()})


@login_required
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    person = get_object_or_404(User, pk=user_id)
    form = ResetForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                removed = two_factor_remove(
                    actor=actor, user=person, reason=form.cleaned_data["reason"]
                )
            except ServiceError as error:
                form.add_error(None, str(error.message))
                status = error.status
            else:
                if removed:
                    messages.success(
                        request,
                        _("The second factor of %(name)s is reset.")
                        % {"name": person.get_username()},
                    )
                else:
                    messages.info(request, _("This person had no second factor."))
                return redirect("two-factor-users")
    return render(
        request,
        T + "reset.html",
        {"person": person, "enabled": two_factor_enabled(person), "form": form},
        status=status,
    )
