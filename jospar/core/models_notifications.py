"""Notifications to users (in the application and by e-mail) and the record of periodic jobs.

"Never twice" is the database's promise, not the code's: every notification carries the key of
the event it reports, unique across the table, and is inserted only if absent. A periodic job
run by `jospar run-schedule` claims its day the same way.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    BEFORE = "before", _("Deadline approaching")
    DUE = "due", _("Deadline today")
    OVERDUE = "overdue", _("Deadline missed")
    OVERDUE_HEAD = "overdue_head", _("Deadline missed by the organisation")
    DIGEST = "digest", _("Daily digest")


class Notification(models.Model):
    """One thing one user is told, with its title and text in the user's language as it was
    when the event happened; e-mailed at most once, grouped with others of its kind."""

    recipient = models.ForeignKey(
        "core.User",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    # What the notification is about, as a generic pointer ("control.obligation", 123): the
    # notification outlives any change to what it points to.
    subject_type = models.CharField(_("about (type)"), max_length=64, blank=True)
    subject_id = models.BigIntegerField(_("about (id)"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    lang = models.CharField(_("language"), max_length=2)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # What the e-mail lists (activity, plan, deadline...), already in the recipient's language.
    data = models.JSONField(_("details"), default=dict, blank=True)
    event_key = models.CharField(_("event"), max_length=200, unique=True)
    event_day = models.DateField(_("event date"))
    # The run that created it: what its audit row counts.
    batch = models.CharField(_("batch"), max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Decided when created: the recipient wanted e-mail and had an address.
    email_wanted = models.BooleanField(_("to be e-mailed"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # A sender claims the rows it is about to send, so that two senders never send one row.
    email_claim = models.CharField(_("e-mail claimed by"), max_length=32, blank=True)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.TextField(_("last e-mail error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_by_recipient"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient", "kind"],
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ScheduledRunState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScheduledRun(models.Model):
    """One periodic job on one Kazakhstan day, as `jospar run-schedule` ran it. The unique
    (job, day) row is the claim: a second process, or a second pass of the loop, finds it."""

    job = models.CharField(_("job"), max_length=64)
    day = models.DateField(_("date"))
    state = models.CharField(
        _("state"), max_length=16, choices=ScheduledRunState.choices, default="running"
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-day", "job"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="uniq_scheduled_run"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%Y-%m-%d} ({self.state})"
