"""The public CSV of reports built in the background when it is larger than a web worker
should stream (``jospar.civic.services.exports``)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.civic.storage import private_storage


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def _export_path(instance: ReportCsvExport, filename: str) -> str:
    # A random folder: the name of a stored file must not be guessable.
    return f"civic_exports/{secrets.token_hex(12)}/{filename[-100:]}"


_export_path.upload_root = "civic_exports"  # type: ignore[attr-defined]  # swept for orphans


class ReportCsvExport(models.Model):
    """One requested CSV of public reports: the list's filters as the query string given, the
    reader's language, and the file once built (downloaded only by who asked for it)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    lang = models.CharField(_("language"), max_length=2)
    state = models.CharField(
        _("state"), max_length=8, choices=ExportState.choices, default=ExportState.QUEUED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(
        _("file"), upload_to=_export_path, storage=private_storage, max_length=255, blank=True
    )
    requested_at = models.DateTimeField(_("requested"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("CSV export of reports")
        verbose_name_plural = _("CSV exports of reports")
        indexes = [models.Index(fields=["requested_by", "state"], name="civic_csvexport_user")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.state}"
