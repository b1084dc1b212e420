"""Plans of activities, their language versions and revisions, as imported from official text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Lang, Organisation, pick_lang


class Plan(models.Model):
    """One plan, whatever the number of its language versions and revisions."""

    title_kk = models.TextField(_("title (Kazakh)"), blank=True)
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_number = models.CharField(_("approval act number"), max_length=64, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    # The department that controls execution (ІСБ / ОВП of the Presidential Administration):
    # controllers of that organisation control this plan.
    controller_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_plans",
        verbose_name=_("controlling department"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # An amending act applied to one language version only: {"lang", "acts": [{title, number,
    # date}]}, until the act's other language version is applied too.
    versions_differ = models.JSONField(_("language versions differ"), null=True, blank=True)

    class Meta:
        ordering = ["-approved_on", "-id"]
        verbose_name = _("plan of activities")
        verbose_name_plural = _("plans of activities")
        indexes = [models.Index(fields=["approved_on", "approval_number"])]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def title(self) -> str:
        return pick_lang(self, "title")

    @property
    def reference_date(self) -> object:
        """The date that decides which bodies and regions the plan speaks of."""
        return self.approved_on or self.period_start


class PlanRevision(models.Model):
    """One imported text of one language version. A changed text is a new revision."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("plan")
    )
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    number = models.PositiveIntegerField(_("revision"))
    source_filename = models.CharField(_("file"), max_length=255)
    source_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, db_index=True)
    source_text = models.TextField(_("source text"))
    # What the parser produced, with the corrections a person made before saving applied.
    parsed = models.JSONField(_("parsed plan"))
    corrections = models.JSONField(_("corrections"), default=list, blank=True)
    changes = models.JSONField(_("changes from the previous revision"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # The amending act this revision applies ({title, number, date, file}); None for a text.
    act = models.JSONField(_("amending act"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["plan", "lang", "number"]
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "lang", "number"], name="uniq_plan_revision")
        ]

    def __str__(self) -> str:
        return f"{self.plan} [{self.lang}] r{self.number}"


class CompletionKind(models.TextChoices):
    """What an activity must produce (``jospar.planparser.completion``), which decides the
    evidence its report asks for."""

    ACT = "act", _("Legal act")
    DRAFT_LAW = "draft_law", _("Draft law or act")
    INFORMATION = "information", _("Information")
    MEDIA = "media", _("Media publications")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class Activity(models.Model):
    """One row of a plan; its Kazakh and Russian texts side by side."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    number = models.CharField(_("number"), max_length=32)
    position = models.PositiveIntegerField(_("position"))
    section_kk = models.TextField(_("section (Kazakh)"), blank=True)
    section_ru = models.TextField(_("section (Russian)"), blank=True)
    title_kk = models.TextField(_("activity (Kazakh)"), blank=True)
    title_ru = models.TextField(_("activity (Russian)"), blank=True)
    completion_form_kk = models.JSONField(_("form of completion (Kazakh)"), default=list)
    completion_form_ru = models.JSONField(_("form of completion (Russian)"), default=list)
    # Read from both forms of completion (``completion_kinds_fill``); values of CompletionKind.
    completion_kinds = models.JSONField(_("kinds of completion"), default=list, blank=True)
    deadline_text_kk = models.TextField(_("deadline (Kazakh)"), blank=True)
    deadline_text_ru = models.TextField(_("deadline (Russian)"), blank=True)
    controller = models.JSONField(_("controlling department"), null=True, blank=True)
    financing_kk = models.TextField(_("financing (Kazakh)"), blank=True)
    financing_ru = models.TextField(_("financing (Russian)"), blank=True)
    window_start = models.DateField(_("work starts"), null=True, blank=True)
    window_end = models.DateField(_("work ends"), null=True, blank=True)
    report_dates = models.JSONField(_("report dates"), default=list)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # An activity dropped by a later revision stays, so that its history still resolves.
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="uniq_activity_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"

    @property
    def title(self) -> str:
        return pick_lang(self, "title")

    @property
    def deadline_text(self) -> str:
        return pick_lang(self, "deadline_text")

    @property
    def section(self) -> str:
        return pick_lang(self, "section")


class ActivityExecutor(models.Model):
    """A responsible executor of an activity, as the plan names it in each language."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="executors", verbose_name=_("activity")
    )
    position = models.PositiveIntegerField(_("position"))
    code_kk = models.CharField(_("as printed (Kazakh)"), max_length=500, blank=True)
    code_ru = models.CharField(_("as printed (Russian)"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_roles",
        verbose_name=_("organisation"),
    )
    # "акиматы гг. Астаны, Алматы и областей": expanded per region by the control schedule.
    is_akimat_group = models.BooleanField(_("all akimats"), default=False)
    lead = models.BooleanField(_("lead executor"), default=False)
    by_agreement = models.BooleanField(_("by agreement"), default=False)
    role_kk = models.CharField(_("task (Kazakh)"), max_length=500, blank=True)
    role_ru = models.CharField(_("task (Russian)"), max_length=500, blank=True)
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["activity", "position"]
        verbose_name = _("responsible executor")
        verbose_name_plural = _("responsible executors")

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return pick_lang(self, "code")

    @property
    def role(self) -> str:
        return pick_lang(self, "role")


class GlossaryEntry(models.Model):
    """An abbreviation as a plan's own glossary expands it: the directory's evidence."""

    revision = models.ForeignKey(
        PlanRevision,
        on_delete=models.CASCADE,
        related_name="glossary",
        verbose_name=_("plan revision"),
    )
    code = models.CharField(_("abbreviation"), max_length=200)
    name = models.TextField(_("full name"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("glossary entry")
        verbose_name_plural = _("glossary")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class PlanUploadStatus(models.TextChoices):
    # A large file waits for the background parser; `failed` keeps the parser's refusal.
    PARSING = "parsing", _("Being read")
    FAILED = "failed", _("Could not be read")
    DRAFT = "draft", _("Being checked")
    SAVED = "saved", _("Saved")
    DISCARDED = "discarded", _("Discarded")


class PlanUpload(models.Model):
    """A plan text uploaded through the web, parsed and corrected by a person before saving."""

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlanUploadStatus.choices,
        default=PlanUploadStatus.DRAFT,
    )
    filename = models.CharField(_("file"), max_length=255)
    source_text = models.TextField(_("source text"))
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    # The parser's cells, and the person's corrections of them: [{activity, field, value}].
    parsed = models.JSONField(_("parsed plan"))
    corrections = models.JSONField(_("corrections"), default=list, blank=True)
    target_plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attach to plan"),
    )
    saved_revision = models.ForeignKey(
        PlanRevision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved as revision"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_uploads",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # The file as uploaded, kept only where a background task must read it (large files).
    source_file = models.FileField(_("uploaded file"), upload_to="plan_uploads/%Y/%m/", blank=True)
    # Why the file could not be read: {code, message, fields}, as the parser refused it.
    error = models.JSONField(_("error"), null=True, blank=True)
    parsed_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("uploaded plan")
        verbose_name_plural = _("uploaded plans")

    def __str__(self) -> str:
        return self.filename


class PlanAmendmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being checked")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class PlanAmendment(models.Model):
    """An amending act uploaded for one plan, read into changes that a person checks, corrects
    and applies as one new revision."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("plan")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlanAmendmentStatus.choices,
        default=PlanAmendmentStatus.DRAFT,
    )
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    filename = models.CharField(_("file"), max_length=255)
    source_text = models.TextField(_("source text"))
    # The act as read: {"act": {title, number, date}, "changes": [...], "warnings": [...]}.
    parsed = models.JSONField(_("amending act as read"))
    # The changes as the person corrected them: one entry per change of ``parsed``, with
    # ``skip`` where the person leaves a change out.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    revision = models.ForeignKey(
        PlanRevision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied as revision"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("amending act")
        verbose_name_plural = _("amending acts")

    def __str__(self) -> str:
        return self.filename
