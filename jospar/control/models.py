"""The control schedule: who owes which report on which date."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Organisation, Region
from jospar.plans.models import Activity, ActivityExecutor
from jospar.programs.models_office import StatusReport
from jospar.programs.models_tasks import ProjectTask


class Obligation(models.Model):
    """One report owed by one executor on one date, for one activity of a plan, one project
    task of a program, or one regional status report (exactly one: see the check constraint)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="obligations"
    )
    executor = models.ForeignKey(
        ActivityExecutor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="obligations",
    )
    # A project task (or a key event put on control), owed by one of its addressees.
    project_task = models.ForeignKey(
        ProjectTask,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="obligations",
    )
    # A regional project office's status report for one period (owed by the region's office).
    status_report = models.OneToOneField(
        StatusReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="obligation",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="obligations"
    )
    # Set where the executor is the group of akimats: the region whose akimat owes the report.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="obligations"
    )
    due_on = models.DateField(_("report due"))
    # The date the report is actually owed: `due_on` moved off weekends and public holidays,
    # or a later date the controller set (extension, return with a new date). Kept as a column,
    # recomputed by the services that change it, so that lists and dashboards can index it.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # For a co-executor of an activity with a lead: the lead's obligation its input goes to.
    lead_obligation = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions"
    )
    # Facts set by the services of the control loop; the status is computed from them.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on (Kazakhstan time)"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    # Calendar days from the deadline then in force to the FIRST submission (0 when on time;
    # None before any): a return with a new date never makes a late report an on-time one.
    first_late_days = models.IntegerField(
        _("first submission late by, days"), null=True, blank=True
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # False once a later revision of the plan no longer owes this report, or the controller
    # removed the activity from control.
    in_force = models.BooleanField(_("in force"), default=True)
    # Why it left control, where an act took it out (the amending act that removed its row).
    withdrawn_reason = models.TextField(_("why withdrawn"), blank=True)
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
            models.UniqueConstraint(
                fields=["project_task", "organisation"],
                condition=models.Q(project_task__isnull=False),
                name="uniq_obligation_project_task",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        activity__isnull=False,
                        executor__isnull=False,
                        project_task__isnull=True,
                        status_report__isnull=True,
                    )
                    | models.Q(
                        activity__isnull=True,
                        executor__isnull=True,
                        project_task__isnull=False,
                        status_report__isnull=True,
                    )
                    | models.Q(
                        activity__isnull=True,
                        executor__isnull=True,
                        project_task__isnull=True,
                        status_report__isnull=False,
                    )
                ),
                name="obligation_one_source",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "due_on"]),
            models.Index(fields=["activity", "due_on"]),
            models.Index(fields=["organisation", "deadline"]),
            models.Index(fields=["region", "deadline"]),
            # The program dashboard reads this year's open obligations of project tasks.
            models.Index(
                fields=["deadline"],
                include=["project_task", "submitted_at", "returned_at", "in_force", "organisation"],
                condition=models.Q(project_task__isnull=False, accepted_at__isnull=True),
                name="control_obl_task_open",
            ),
            # The plans list counts each plan's obligations in force: an index-only count of
            # about a thousand entries per plan instead of reading each obligation's row.
            models.Index(
                fields=["activity"],
                include=["id"],
                condition=models.Q(in_force=True),
                name="control_obl_in_force_activity",
            ),
        ]

    def __str__(self) -> str:
        if self.status_report_id is not None:
            return f"{self.status_report} · {self.due_on}"
        if self.activity is None or self.executor is None:
            return f"{self.project_task} · {self.organisation} · {self.due_on}"
        return f"{self.activity.number} · {self.executor.code} · {self.due_on}"


class DisciplineCount(models.Model):
    """How many obligations in force (of activities in force) stand in one bucket, per
    controlling department, owing organisation, region and deadline: the discipline dashboards
    and the obligation list's page count read these instead of two million obligations.

    Kept by the services that change an obligation, in their transaction (``discipline_counts``):
    they add the difference they made, so a key may have several rows; readers sum them. Only
    facts are counted: "overdue" (pending and the deadline passed) is decided when read.

    Each obligation is counted three times, at three grains: by its deadline's day (``grain``
    0, the full key), by its deadline's month with organisation and region (1: ``deadline`` is
    the month's first day, no plan) and by its deadline's month with plan (2: no organisation,
    no region; the by-plan figures). At national scale nearly every obligation is a day key of
    its own; the month rows are a few per organisation (or plan) and month, and a reader sums
    them for every month no boundary of its question (today, the "due soon" window, a
    period's ends) falls inside, and the day rows only of the months where one does
    (``discipline.grain_q``).
    """

    # Not enforced by the database: a merge of organisations moves these rows like any other
    # reference (``jospar.core.services.merging``), and the counts stay right when it does.
    controller_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="controlled_discipline_counts",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="discipline_counts",
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="discipline_counts",
    )
    # The plan the obligation's activity belongs to (none for a project task's): the list's
    # tabs and page count for one plan, the by-plan figures and an executor's plans read it.
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # control_dc_plan_deadline serves
        null=True,
        related_name="discipline_counts",
    )
    # 0: a day's row; 1: a month's by organisation; 2: a month's by plan (``DAY``, ``MONTH``,
    # ``PLAN_MONTH`` in ``jospar.control.discipline``).
    grain = models.PositiveSmallIntegerField(default=0)
    deadline = models.DateField(null=True)
    # 1 submitted on time, 2 submitted late (both awaiting review), 3 accepted on time,
    # 4 accepted late, 5 pending (nothing submitted yet), 6 returned for revision (nothing
    # standing submitted since), 0 never counted.
    bucket = models.PositiveSmallIntegerField()
    obligations = models.IntegerField(default=0)
    # Buckets 2 and 4: the calendar days from the deadline to the submission, summed.
    late_days = models.IntegerField(default=0)
    # The obligations' deadlines summed, as days after ``discipline.EPOCH``: a month's row tells
    # the days overdue of its obligations on any later day without their deadlines.
    deadline_days = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["grain", "deadline"],
                include=[
                    "controller_organisation",
                    "organisation",
                    "region",
                    "plan",
                    "bucket",
                    "obligations",
                    "late_days",
                    "deadline_days",
                ],
                name="control_dc_grain_deadline",
            ),
            models.Index(
                fields=["organisation", "grain", "deadline"],
                include=[
                    "controller_organisation",
                    "region",
                    "bucket",
                    "obligations",
                    "late_days",
                    "deadline_days",
                ],
                name="control_dc_org_grain",
            ),
            # Sums of some buckets (the Today desk's overdue: the pending ones) read only their
            # rows: 17,529 of a grain's 62,603 at national scale, 10.9 -> 3.5 ms.
            models.Index(
                fields=["grain", "bucket", "deadline"],
                include=["controller_organisation", "organisation", "plan", "obligations"],
                name="control_dc_grain_bucket",
            ),
            # An executor's plans (the list's drop-down) and one plan's counts.
            models.Index(fields=["organisation", "plan"], name="control_dc_org_plan"),
            models.Index(
                fields=["plan", "deadline"],
                include=[
                    "grain",
                    "organisation",
                    "region",
                    "bucket",
                    "obligations",
                    "late_days",
                    "deadline_days",
                ],
                name="control_dc_plan_grain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.region_id} {self.deadline} b{self.bucket}"


class ObligationStatus(models.TextChoices):
    """Computed from an obligation's facts and today's date (see `jospar.control.status`)."""

    NOT_YET_DUE = "not_yet_due", _("Not yet due")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    SUBMITTED_ON_TIME = "submitted_on_time", _("Submitted on time")
    SUBMITTED_LATE = "submitted_late", _("Submitted late")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


class ReportKind(models.TextChoices):
    REPORT = "report", _("Execution report")
    # A co-executor's input to the lead executor, who consolidates it into one report.
    INPUT = "input", _("Input to the lead executor")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


class ExecutionReport(models.Model):
    """What an executor reports for an obligation; each resubmission is a new version."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    lang = models.CharField(_("language"), max_length=2, default="kk")
    text = models.TextField(_("text"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="execution_reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["obligation", "-version"]
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "kind", "version"], name="uniq_report_version"
            )
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.obligation} v{self.version}"


def _attachment_path(instance: ReportAttachment, filename: str) -> str:
    # A random folder: in the embedded default the media folder is served as it is, so a stored
    # report's file must not be at a guessable address. Downloads go through the checked view.
    return f"reports/{instance.report.obligation_id}/{secrets.token_hex(12)}/{filename[-80:]}"


_attachment_path.upload_root = "reports"  # type: ignore[attr-defined]  # swept for orphans


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ExecutionReport, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReportLink(models.Model):
    """A publication the report points to (a news item, a post, a page)."""

    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=1000)
    title = models.CharField(_("title"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("link to a publication")
        verbose_name_plural = _("links to publications")

    def __str__(self) -> str:
        return self.title or self.url


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")


class Review(models.Model):
    """The controller's decision on one submitted report."""

    report = models.ForeignKey(ExecutionReport, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    reviewer = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.report} — {self.get_decision_display()}"


class ControlDecisionKind(models.TextChoices):
    EXECUTED = "executed", _("Marked executed")
    EXTENDED = "extended", _("Deadline extended")
    REMOVED = "removed", _("Removed from control")
    RESTORED = "restored", _("Put back on control")


class ControlDecision(models.Model):
    """A controller's decision on an activity or one obligation, always with a reason."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="control_decisions"
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=16, choices=ControlDecisionKind.choices)
    reason = models.TextField(_("reason"))
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    decided_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("control decision")
        verbose_name_plural = _("control decisions")

    def __str__(self) -> str:
        return f"{self.activity} — {self.get_kind_display()}"


from jospar.control.models_evidence import EvidenceKind as EvidenceKind  # noqa: E402
from jospar.control.models_evidence import ReportEvidence as ReportEvidence  # noqa: E402
from jospar.control.models_exports import ReportExport  # noqa: E402,F401
from jospar.control.models_programs import ProgramCount  # noqa: E402,F401
