"""The control schedule: who owes which report on which date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Organisation, Region
from jospar.plans.models import Activity, ActivityExecutor


class Obligation(models.Model):
    """One report owed by one executor for one activity on one date."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="obligations")
    executor = models.ForeignKey(
        ActivityExecutor, on_delete=models.CASCADE, related_name="obligations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="obligations"
    )
    # Set where the executor is the group of akimats: the region whose akimat owes the report.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="obligations"
    )
    due_on = models.DateField(_("report due"))
    # False once a later revision of the plan no longer owes this report.
    in_force = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "activity__position", "executor__position"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.UniqueConstraint(
                fields=["executor", "region", "due_on"],
                condition=models.Q(region__isnull=False),
                name="uniq_obligation_region",
            ),
            models.UniqueConstraint(
                fields=["executor", "due_on"],
                condition=models.Q(region__isnull=True),
                name="uniq_obligation",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "due_on"]),
            models.Index(fields=["activity", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.activity.number} · {self.executor.code} · {self.due_on}"
