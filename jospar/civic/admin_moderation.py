"""The moderators' administration: reports (read-only, with publish / hold / release / hide /
show again / reject), comments and files (hide, show again), abuse reports (hide what was
reported, dismiss). Every action goes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.civic.admin_common import ReadOnly, actor_of, run_each, with_reason
from jospar.civic.models import (
    AbuseReport,
    CitizenReport,
    ReportAnswer,
    ReportComment,
    ReportEvent,
    ReportMedia,
)
from jospar.civic.services import (
    abuse_report_dismiss,
    moderation_hide,
    moderation_unhide,
    report_hold,
    report_publish,
    report_reject,
    report_release,
)
from jospar.core.models import User


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(_ReadOnlyInline):
    model = ReportEvent
    fields = ("at", "kind", "actor", "from_state", "to_state", "public_note", "internal_note")
    readonly_fields = fields


class AnswerInline(_ReadOnlyInline):
    model = ReportAnswer
    fields = ("created_at", "organisation", "author", "text")
    readonly_fields = fields


class CommentInline(_ReadOnlyInline):
    model = ReportComment
    fields = ("created_at", "author", "kind", "text", "hidden", "hidden_reason")
    readonly_fields = fields


def _original_link(media: ReportMedia) -> str:
    url = reverse("civic:media-original", args=[media.pk])
    return format_html('<a href="{}">{}</a>', url, _("original (private)"))


def _preview(media: ReportMedia) -> str:
    if media.thumbnail:
        return format_html('<img src="{}" alt="" height="80">', media.thumbnail.url)
    return "—"


class MediaInline(_ReadOnlyInline):
    model = ReportMedia
    fields = ("kind", "stage", "preview", "download", "content_type", "size", "hidden")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, media: ReportMedia) -> str:
        return _preview(media)

    @admin.display(description=gettext_lazy("original"))
    def download(self, media: ReportMedia) -> str:
        return _original_link(media)


def _each(name: str, label: Any, done: Any, service: Callable[..., object]) -> Any:
    """An admin action applying a service to each chosen report, as the signed-in moderator."""

    def action(
        model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
        request: HttpRequest,
        queryset: QuerySet[Any],
    ) -> None:
        actor = actor_of(request)
        run_each(
            model_admin, request, queryset, lambda r: service(actor=actor, report=r), str(done)
        )

    action.__name__ = name
    return admin.action(description=label)(action)


def _with_reason(
    name: str,
    label: Any,
    title: Any,
    intro: Any,
    done: Any,
    service: Callable[..., object],
    kind: str,
) -> Any:
    """An admin action that asks for a reason, then applies a service to each chosen object
    (passed to the service as ``kind``: a report, comment or file)."""

    def action(
        model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
        request: HttpRequest,
        queryset: QuerySet[Any],
    ) -> HttpResponse | None:
        actor = actor_of(request)
        return with_reason(
            model_admin,
            request,
            queryset,
            action=name,
            title=str(title),
            intro=str(intro),
            apply=lambda obj, why: service(actor=actor, reason=why, **{kind: obj}),
            done=str(done),
        )

    action.__name__ = name
    return admin.action(description=label)(action)


REPORT_ACTIONS = (
    _each(
        "publish",
        gettext_lazy("Publish"),
        gettext_lazy("%(count)d report(s) published."),
        report_publish,
    ),
    _with_reason(
        "hold",
        gettext_lazy("Hold before publication…"),
        gettext_lazy("Hold before publication"),
        gettext_lazy("These reports will wait for a moderator's release:"),
        gettext_lazy("%(count)d report(s) held."),
        report_hold,
        "report",
    ),
    _each(
        "release",
        gettext_lazy("Release and publish"),
        gettext_lazy("%(count)d report(s) released and published."),
        report_release,
    ),
    _with_reason(
        "hide",
        gettext_lazy("Hide…"),
        gettext_lazy("Hide"),
        gettext_lazy("These reports will disappear from the public portal:"),
        gettext_lazy("%(count)d report(s) hidden."),
        moderation_hide,
        "report",
    ),
    _with_reason(
        "unhide",
        gettext_lazy("Show again…"),
        gettext_lazy("Show again"),
        gettext_lazy("These reports will be public again:"),
        gettext_lazy("%(count)d report(s) shown again."),
        moderation_unhide,
        "report",
    ),
    _with_reason(
        "reject",
        gettext_lazy("Reject…"),
        gettext_lazy("Reject"),
        gettext_lazy("These reports will be rejected; the reason is shown publicly:"),
        gettext_lazy("%(count)d report(s) rejected."),
        report_reject,
        "report",
    ),
)


def _hide_actions(kind: str) -> tuple[Any, Any]:
    """Hide and show-again actions for comments or files."""
    return (
        _with_reason(
            "hide",
            gettext_lazy("Hide…"),
            gettext_lazy("Hide"),
            gettext_lazy("These will disappear from the public portal:"),
            gettext_lazy("%(count)d hidden."),
            moderation_hide,
            kind,
        ),
        _with_reason(
            "unhide",
            gettext_lazy("Show again…"),
            gettext_lazy("Show again"),
            gettext_lazy("These will be public again:"),
            gettext_lazy("%(count)d shown again."),
            moderation_unhide,
            kind,
        ),
    )


@admin.register(CitizenReport)
class CitizenReportAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "id",
        "topic",
        "region",
        "state",
        "held",
        "hidden",
        "submitted_at",
        "response_due_on",
        "support_count",
    )
    list_filter = ("state", "held", "hidden", "topic", "region", "source")
    list_select_related = ("topic", "region")
    search_fields = ("=id", "description", "address")
    date_hierarchy = "submitted_at"
    inlines = (EventInline, AnswerInline, CommentInline, MediaInline)
    actions = REPORT_ACTIONS
    exclude = ("survey",)
    readonly_fields = ("survey_display",)

    @admin.display(description=gettext_lazy("survey answers"))
    def survey_display(self, report: CitizenReport) -> str:
        return "; ".join(f"{k}: {v}" for k, v in (report.survey or {}).items()) or "—"


_hide_comment, _unhide_comment = _hide_actions("comment")
_hide_media, _unhide_media = _hide_actions("media")


@admin.register(ReportComment)
class ReportCommentAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("report", "author", "kind", "created_at", "hidden", "short_text")
    list_filter = ("hidden", "kind")
    search_fields = ("text",)
    list_select_related = ("report", "report__topic", "author")
    actions = (_hide_comment, _unhide_comment)

    @admin.display(description=gettext_lazy("text"))
    def short_text(self, comment: ReportComment) -> str:
        return comment.text[:120]


@admin.register(ReportMedia)
class ReportMediaAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("report", "kind", "stage", "preview", "download", "size", "hidden")
    list_filter = ("kind", "stage", "hidden")
    list_select_related = ("report", "report__topic")
    exclude = ("original",)
    readonly_fields = ("preview", "download")
    actions = (_hide_media, _unhide_media)

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, media: ReportMedia) -> str:
        return _preview(media)

    @admin.display(description=gettext_lazy("original"))
    def download(self, media: ReportMedia) -> str:
        return _original_link(media)


@admin.register(AbuseReport)
class AbuseReportAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("report", "comment", "reporter", "created_at", "resolved_at", "resolution")
    list_filter = ("resolution",)
    list_select_related = ("report", "report__topic", "comment", "reporter")
    actions = ("hide_content", "dismiss")

    def _hide(self, abuse: AbuseReport, user: User, why: str) -> object:
        if abuse.comment_id is not None:
            return moderation_hide(actor=user, comment=abuse.comment, reason=why)
        return moderation_hide(actor=user, report=abuse.report, reason=why)

    @admin.action(description=gettext_lazy("Hide what was reported…"))
    def hide_content(
        self, request: HttpRequest, queryset: QuerySet[AbuseReport]
    ) -> HttpResponse | None:
        return with_reason(
            self,
            request,
            queryset,
            action="hide_content",
            title=_("Hide what was reported"),
            intro=_("The reported reports or comments will disappear from the public portal:"),
            apply=lambda abuse, why: self._hide(abuse, actor_of(request), why),
            done=_("%(count)d hidden."),
        )

    @admin.action(description=gettext_lazy("Dismiss…"))
    def dismiss(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> HttpResponse | None:
        return with_reason(
            self,
            request,
            queryset,
            action="dismiss",
            title=_("Dismiss"),
            intro=_("Nothing abusive was found in:"),
            apply=lambda abuse, why: abuse_report_dismiss(
                actor=actor_of(request), abuse=abuse, reason=why
            ),
            done=_("%(count)d abuse report(s) dismissed."),
            optional=True,
        )
