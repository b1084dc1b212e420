"""A Generous Heart winner's "best practice" story: what they did and how others can do it too,
written by the winner (the person, or a member of the winning organisation) or by a moderator
or an administrator, and published on the portal once a moderator has read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryState(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    HIDDEN = "hidden", _("Hidden")


class StoryLanguage(models.TextChoices):
    KK = "kk", "Қазақша"
    RU = "ru", "Русский"
    EN = "en", "English"


class HeartStory(models.Model):
    # One story per winner: its writer edits it, and every edit by the winner is read again.
    nominee = models.OneToOneField(
        "initiatives.HeartNominee",
        on_delete=models.CASCADE,
        related_name="story",
        verbose_name=_("winner"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("story"))
    # The language it is written in (the page's ``lang`` for screen readers and hyphenation).
    lang = models.CharField(_("language"), max_length=2, choices=StoryLanguage.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=StoryState.choices, default=StoryState.PENDING
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"))
    updated_at = models.DateTimeField(_("changed"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    reviewed_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    # The moderator's reason when returning or hiding, shown to the writer.
    review_note = models.CharField(_("moderator's note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("best-practice story")
        verbose_name_plural = _("best-practice stories")
        indexes = [
            models.Index(fields=["state", "-published_at"], name="heart_story_list"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="published", published_at__isnull=False)
                | ~models.Q(state="published"),
                name="heart_story_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title
