"""Background work recorded in the database before it is handed to the broker."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxTask(models.Model):
    """A Celery task a service asked for, written in the service's own transaction. The row is
    deleted once the broker took the task; while the broker is away it stays, and
    ``jospar.core.outbox.outbox_flush`` (a periodic job) hands it over again."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    # When it was recorded, or leased by the last flush that tried it (see outbox_flush).
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
