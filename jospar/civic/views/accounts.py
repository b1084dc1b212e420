"""Citizens' accounts on the portal: register, confirm the e-mail, ask for the link again,
log in by e-mail. The pages say the same whether or not an address is registered."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from jospar.civic.forms_accounts import EmailLoginForm, RegisterForm, ResendForm
from jospar.civic.services.accounts import (
    citizen_confirm,
    citizen_confirmation_resend,
    citizen_register,
    normalise_email,
)
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.core.throttle import client_ip, throttle_hit, throttled_response

T = "civic/accounts/"


def _apply(form: Any, error: ServiceError) -> None:
    used = False
    for name, problems in error.fields.items():
        target = "password1" if name == "password" else name
        if target in form.fields:
            for problem in problems:
                form.add_error(target, str(problem))
            used = True
    if not used:
        form.add_error(None, str(error.message))


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and (wait := throttle_hit("register_ip", client_ip(request))):
        return throttled_response(request, wait)
    form = RegisterForm(request.POST or None, initial={"language": (get_language() or "kk")[:2]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Per address asked for too: registering a taken address writes to its owner.
        wait = throttle_hit("register_email", normalise_email(data["email"]))
        if wait is not None:
            return throttled_response(request, wait)
        try:
            citizen_register(
                actor=None,
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
            )
        except ServiceError as error:
            _apply(form, error)
        else:
            request.session["civic_registered_email"] = normalise_email(data["email"])
            return redirect("civic:register-done")
    return render(request, T + "register.html", {"form": form})


@require_GET
def register_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("civic_registered_email", "")
    return render(request, T + "register_done.html", {"email": email})


@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user: User | None = citizen_confirm(token=token)
        error: ServiceError | None = None
    except ServiceError as exc:
        user, error = None, exc
    status = 200 if error is None else 400
    return render(
        request,
        T + "confirm.html",
        {"confirmed_user": user, "error": error, "resend_form": ResendForm()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (wait := throttle_hit("register_ip", client_ip(request))):
        return throttled_response(request, wait)
    form = ResendForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    sent = False
    if request.method == "POST" and form.is_valid():
        citizen_confirmation_resend(email=form.cleaned_data["email"])
        sent = True
    return render(request, T + "resend.html", {"form": form, "sent": sent})


class EmailLoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = T + "login.html"
    redirect_authenticated_user = True


login = EmailLoginView.as_view()
