"""Forms of citizens' accounts: register, log in by e-mail, ask for the link again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jospar.civic.services.accounts import account_needs_confirmation, normalise_email
from jospar.core.models import Lang, User


class RegisterForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("You will log in with it. We send a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    language = forms.ChoiceField(
        label=_("Language of letters"), choices=Lang.choices, initial=Lang.KK
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ResendForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class EmailLoginForm(AuthenticationForm):
    """Log in with the e-mail address and password. An account whose e-mail is not
    confirmed yet is told so (only once the password is right)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong."),
        "unconfirmed": _(
            "Your e-mail address is not confirmed yet: follow the link in the letter we sent "
            "you, or ask for a new one."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"] = forms.CharField(
            label=_("E-mail address"),
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        )
        self.unconfirmed = False

    def clean(self) -> dict[str, Any]:
        email = normalise_email(self.cleaned_data.get("username") or "")
        password = self.cleaned_data.get("password")
        if email and password:
            matches = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
            # Two accounts with one address cannot be told apart by it: neither logs in so.
            user = matches[0] if len(matches) == 1 else None
            username = user.get_username() if user is not None else email
            # authenticate() goes through the lockout (axes) first; a wrong password counts.
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                locked = bool(getattr(self.request, "axes_locked_out", False))
                if (
                    not locked
                    and user is not None
                    and not user.is_active
                    and user.check_password(password)
                    and account_needs_confirmation(user)
                ):
                    self.unconfirmed = True
                    raise forms.ValidationError(
                        self.error_messages["unconfirmed"], code="unconfirmed"
                    )
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
