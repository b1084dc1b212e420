"""API tokens in the administration, for document-management systems.

An administrator selects users (usually a system's service account) in the list of users and
runs "Issue an API token" (an earlier token stops working) or "Revoke API tokens"; or adds one
under "Tokens". Every change goes through the audited services. The key is shown once, when it is
issued: the token list shows whose tokens exist, never a key (a token's key is its primary key,
so the list has no links and no actions that would carry it).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import TokenProxy

from jospar.control.services.tokens import api_token_issue, api_token_revoke
from jospar.core.models import User


def _administrator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and isinstance(user, User) and user.is_administrator)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _issued(request: HttpRequest, user: User, key: str) -> None:
    messages.warning(
        request,
        _(
            "API token for %(user)s: %(key)s — copy it now and give it to the system's"
            " administrator; it will not be shown again."
        )
        % {"user": user.get_username(), "key": key},
    )


@admin.action(description=gettext_lazy("Issue an API token (an earlier one stops working)"))
def issue_api_token(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> None:
    if not _administrator(request):
        messages.error(request, _("Only an administrator may issue API tokens."))
        return
    for user in queryset:
        if not user.is_active:
            messages.error(
                request,
                _("%(user)s is inactive and cannot be given a token.")
                % {"user": user.get_username()},
            )
            continue
        _issued(request, user, api_token_issue(actor=_actor(request), user=user).key)


@admin.action(description=gettext_lazy("Revoke API tokens"))
def revoke_api_tokens(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> None:
    if not _administrator(request):
        messages.error(request, _("Only an administrator may revoke API tokens."))
        return
    count = sum(int(api_token_revoke(actor=_actor(request), user=user)) for user in queryset)
    messages.success(request, _("API tokens revoked: %(n)d.") % {"n": count})


# The users' list is the directory's; its token actions are added here, beside the tokens.
_user_admin = admin.site._registry.get(User)
if _user_admin is not None:
    _user_admin.actions = (*(_user_admin.actions or ()), issue_api_token, revoke_api_tokens)


class TokenIssueForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TokenProxy
        fields = ("user",)

    def clean_user(self) -> User:
        user: User = self.cleaned_data["user"]
        if not user.is_active:
            raise forms.ValidationError(
                _("This user is inactive and cannot be given a token."), code="inactive"
            )
        return user

    def validate_unique(self) -> None:
        # Issuing to a user who has a token replaces it (the service does).
        return


if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = TokenIssueForm
    list_display = ("user", "user_organisation", "created")
    list_display_links = None
    list_select_related = ("user", "user__organisation")
    search_fields = ("user__username", "user__last_name")
    fields = ("user",)
    raw_id_fields = ("user",)
    ordering = ("user__username",)
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoking is an action of the users' list: it writes its audit row.
        return False

    @admin.display(description=gettext_lazy("organisation"))
    def user_organisation(self, token: TokenProxy) -> str:
        organisation = getattr(token.user, "organisation", None)
        return str(organisation) if organisation else "—"

    def save_model(self, request: HttpRequest, obj: TokenProxy, form: Any, change: bool) -> None:
        user = form.cleaned_data["user"]
        token = api_token_issue(actor=_actor(request), user=user)
        obj.key, obj.created, obj.user = token.key, token.created, token.user
        _issued(request, user, token.key)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        # The audit log has the issue; Django's own log would name the token by its key.
        return None

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        # Django's own message would repeat the key (a token's name is its key).
        return HttpResponseRedirect(reverse("admin:authtoken_tokenproxy_changelist"))
