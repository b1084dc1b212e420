"""Consolidated reports on a plan's execution, built as files (at once or in the background)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Organisation
from jospar.plans.models import Plan


class ExportFormat(models.TextChoices):
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Excel (XLSX)")
    PDF = "pdf", _("PDF")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportLang(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


def _export_path(instance: ReportExport, filename: str) -> str:
    # A random folder: in the embedded default the media folder is served as it is, so the name
    # of a stored report must not be guessable. Downloads go through the checked view anyway.
    folder = instance.plan_id or f"program-{instance.program_id}"
    return f"report_exports/{folder}/{secrets.token_hex(12)}/{filename[-100:]}"


_export_path.upload_root = "report_exports"  # type: ignore[attr-defined]  # swept for orphans


class ReportExport(models.Model):
    """One requested file of the information on the course of execution of a plan, or of a
    program's project tasks (its program variant: exactly one of the two is set)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="report_exports"
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_exports",
        verbose_name=_("program"),
    )
    lang = models.CharField(_("language"), max_length=2, choices=ExportLang.choices)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # Set for an executor's request: only what that organisation owes and reported is included.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only the reports of"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_exports"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    file = models.FileField(_("file"), upload_to=_export_path, max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    activity_count = models.PositiveIntegerField(_("activities"), null=True, blank=True)
    # Why the build failed: {code, message}.
    error = models.JSONField(_("error"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        indexes = [
            models.Index(fields=["plan", "requested_by", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="report_export_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_export_progress_le_100"
            ),
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False, program__isnull=True)
                | models.Q(plan__isnull=True, program__isnull=False),
                name="report_export_plan_or_program",
            ),
        ]

    def __str__(self) -> str:
        subject = self.plan_id or self.program_id
        return f"#{self.pk} {subject} {self.period_start}–{self.period_end} {self.format}"
