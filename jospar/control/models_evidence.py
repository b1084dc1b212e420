"""The evidence a report gives for what its activity had to produce (its completion kinds).

One row per piece of evidence: an act (number, date, file), a draft law (where it is
registered), information (the document), a publication (address, outlet, date) or an event
(date, place, participants, photos). A row with ``missing_reason`` instead says why that kind's
evidence cannot be given; the controller reads the reason and decides (docs/decisions.md,
"Evidence by form of completion"). Files are the report's own attachments, checked by content
like any other; a revision copies the rows with the files.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    """The completion kinds that ask for evidence (``other`` asks for none)."""

    ACT = "act", _("Legal act")
    DRAFT_LAW = "draft_law", _("Draft law or act")
    INFORMATION = "information", _("Information")
    MEDIA = "media", _("Media publications")
    EVENT = "event", _("Event")


class ReportEvidence(models.Model):
    report = models.ForeignKey(
        "control.ExecutionReport",
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("report"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    number = models.CharField(_("number"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    outlet = models.CharField(_("outlet"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=500, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    missing_reason = models.TextField(_("why the evidence cannot be given"), blank=True)
    files = models.ManyToManyField(
        "control.ReportAttachment", related_name="evidence", blank=True, verbose_name=_("files")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "kind", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.number or self.url or self.place}"
