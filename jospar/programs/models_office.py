"""The project office's control of a program (`002_*`, "Status and control"): the status a
project's head or manager declares, with its reason and history; the project's risk register;
the order of the cards on its board; and the regional project offices' status reports on a
schedule set per program. A status report is an obligation of the control loop
(`jospar.control.project_office`); this app only keeps what was written."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Region


class DeclaredStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class NodeStatus(models.Model):
    """One declaration of a node's status; the latest is the node's status, the rest its
    history (never edited, never deleted)."""

    node = models.ForeignKey(
        "programs.ProgramNode",
        on_delete=models.CASCADE,
        related_name="declared_statuses",
        verbose_name=_("node"),
    )
    status = models.CharField(_("status"), max_length=16, choices=DeclaredStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    set_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["node", "-id"]
        verbose_name = _("declared status")
        verbose_name_plural = _("declared statuses")
        indexes = [models.Index(fields=["node", "-id"], name="programs_status_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="on_track") | ~models.Q(reason=""),
                name="programs_status_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_id}: {self.status}"


SCALE = (MinValueValidator(1), MaxValueValidator(5))


class Risk(models.Model):
    """A risk of a project: probability × impact (1–5 each), its owner, the response, and the
    date it is next reviewed."""

    node = models.ForeignKey(
        "programs.ProgramNode",
        on_delete=models.CASCADE,
        related_name="risks",
        verbose_name=_("node"),
    )
    title = models.CharField(_("risk"), max_length=500)
    probability = models.PositiveSmallIntegerField(_("probability (1–5)"), validators=SCALE)
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), validators=SCALE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_risks",
        verbose_name=_("owner"),
    )
    response = models.TextField(_("response"), blank=True)
    review_on = models.DateField(_("next review"))
    is_open = models.BooleanField(_("open"), default=True)
    closed_note = models.TextField(_("why closed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["node", "-is_open", "review_on", "id"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [models.Index(fields=["node", "is_open", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=1, probability__lte=5)
                & models.Q(impact__gte=1, impact__lte=5),
                name="programs_risk_scale",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return int(self.probability) * int(self.impact)


class BoardCard(models.Model):
    """Where the manager put a task's card on the board of a project (order within a column;
    the column itself comes from the task's obligations)."""

    node = models.ForeignKey(
        "programs.ProgramNode", on_delete=models.CASCADE, related_name="+", verbose_name=_("node")
    )
    task = models.ForeignKey(
        "programs.ProjectTask", on_delete=models.CASCADE, related_name="+", verbose_name=_("task")
    )
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["node", "position"]
        verbose_name = _("card on a board")
        verbose_name_plural = _("cards on boards")
        constraints = [
            models.UniqueConstraint(fields=["node", "task"], name="programs_board_card_once")
        ]

    def __str__(self) -> str:
        return f"{self.node_id}/{self.task_id}: {self.position}"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly, by the 5th of the next month")
    QUARTERLY = "quarterly", _("Quarterly, by the 10th of the month after the quarter")


DUE_DAY = {Frequency.MONTHLY: 5, Frequency.QUARTERLY: 10}


class StatusSchedule(models.Model):
    """When the regional project offices report on a program (one schedule per program), and
    on which part of it (the whole program, or one sub-program)."""

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="status_schedule",
        verbose_name=_("program"),
    )
    node = models.ForeignKey(
        "programs.ProgramNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part of the program"),
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    starts_on = models.DateField(_("first period starts"))
    regions = models.ManyToManyField(Region, related_name="+", verbose_name=_("regions"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("schedule of status reports")
        verbose_name_plural = _("schedules of status reports")

    def __str__(self) -> str:
        return f"{self.program_id}: {self.frequency}"


class StatusReportState(models.TextChoices):
    DUE = "due", _("Not yet written")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


class StatusReport(models.Model):
    """One regional project office's report for one period. Its figures are filled from the data
    when it is written and frozen when it is submitted; the office writes the rest."""

    schedule = models.ForeignKey(StatusSchedule, on_delete=models.CASCADE, related_name="reports")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="status_reports"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=StatusReportState.choices, default=StatusReportState.DUE
    )
    narrative = models.TextField(_("what was done"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    help_requests = models.TextField(_("requests for help"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("figures taken"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["-period_start", "region_id"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "region", "period_start"], name="programs_status_report_once"
            )
        ]
        indexes = [models.Index(fields=["program", "region", "period_start"])]

    def __str__(self) -> str:
        return f"{self.region} {self.period_start:%m.%Y}"


class StatusReportReview(models.Model):
    """The centre's decision on a submitted status report."""

    report = models.ForeignKey(StatusReport, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveIntegerField(_("version"))
    accepted = models.BooleanField(_("accepted"))
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["report", "-id"]
        verbose_name = _("review of a status report")
        verbose_name_plural = _("reviews of status reports")

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"
