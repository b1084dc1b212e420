"""Information-space monitoring: sources, their publications, fetch logs, repeats, matches.

A publication's identity is the SHA-256 of its normalised URL (``jospar.media.urls``): the same
article reached through a feed, a sitemap or an export file is one row, and is fetched once.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    NATIONAL = "national", _("National media")
    REGIONAL = "regional", _("Regional media")
    AKIMAT = "akimat", _("Akimat's site")
    MINISTRY = "ministry", _("Ministry's site")
    PORTAL = "portal", _("Portal's news")
    SOCIAL = "social", _("Social network account")


class CollectMethod(models.TextChoices):
    FEED = "feed", _("RSS/Atom feed")
    SITEMAP = "sitemap", _("Sitemap")
    UPLOAD = "upload", _("Uploaded export file")


class Source(models.Model):
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    declared_audience = models.PositiveBigIntegerField(_("declared audience"), default=0)
    method = models.CharField(_("collection method"), max_length=16, choices=CollectMethod.choices)
    url = models.URLField(_("feed or sitemap address"), max_length=1000, blank=True)
    active = models.BooleanField(_("collected"), default=True)
    # Conditional GET of the feed or sitemap.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # Health, kept by the collection service in its own transaction.
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    failures_in_row = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(_("flagged as failing"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("monitored source")
        verbose_name_plural = _("monitored sources")

    def __str__(self) -> str:
        return self.name


class Script(models.TextChoices):
    CYRILLIC = "Cyrl", _("Cyrillic")
    LATIN = "Latn", _("Latin")
    MIXED = "mixed", _("Mixed")
    NONE = "", _("Unknown")


class Lang(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    MIXED = "mixed", _("Mixed")
    UNKNOWN = "und", _("Unknown")


class Story(models.Model):
    """Publications that repeat one text: reprints of a press release or of one story."""

    first = models.ForeignKey("Publication", on_delete=models.SET_NULL, null=True, related_name="+")
    size = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"story {self.pk}"


class StoryLink(models.TextChoices):
    REPRINT = "reprint", _("Reprint")
    LANGUAGE = "language", _("The same story in another language")


class Publication(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="publications")
    url = models.URLField(_("address"), max_length=1000)
    url_hash = models.CharField(max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    text = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True, db_index=True)
    collected_at = models.DateTimeField(_("collected"), auto_now_add=True)
    lang = models.CharField(_("language"), max_length=8, choices=Lang.choices, blank=True)
    script = models.CharField(_("script"), max_length=8, choices=Script.choices, blank=True)
    image_url = models.URLField(max_length=1000, blank=True)
    image_phash = models.CharField(max_length=32, blank=True, db_index=True)
    # MinHash signature of the text's shingles (``jospar.media.repeats``) and its story.
    signature = models.BinaryField(null=True, blank=True)
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="publications"
    )
    similarity = models.FloatField(null=True, blank=True)
    # How the publication joined its story: a reprint of its text, or the story told in the
    # other language (``jospar.media.crosslang``).
    story_via = models.CharField(max_length=8, choices=StoryLink.choices, blank=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["source", "published_on"]),
            models.Index(fields=["lang", "published_on"]),
        ]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title or self.url


class PublicationBand(models.Model):
    """One LSH band of a publication's signature: equal keys are candidate repeats."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.publication_id}:{self.key}"


class FetchOutcome(models.TextChoices):
    OK = "ok", _("Fetched")
    NOT_MODIFIED = "not_modified", _("Not modified")
    ROBOTS = "robots", _("Refused by robots.txt")
    RATE_LIMITED = "rate_limited", _("Too many requests")
    ERROR = "error", _("Error")


class FetchLog(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetches")
    url = models.URLField(max_length=1000)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=FetchOutcome.choices)
    new_items = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["source", "started_at"])]

    def __str__(self) -> str:
        return f"{self.url} {self.outcome}"


class ActivityKeywords(models.Model):
    """Keywords an administrator sets for an activity, to propose publications for it."""

    activity = models.OneToOneField(
        "plans.Activity", on_delete=models.CASCADE, related_name="media_keywords"
    )
    keywords = models.JSONField(default=list)

    def __str__(self) -> str:
        return ", ".join(str(k) for k in self.keywords)


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class MatchReason(models.TextChoices):
    KEYWORD = "keyword", _("Keyword")
    RUBRIC = "rubric", _("Rubric")
    SIMILAR = "similar", _("Similar text")


class MatchProposal(models.Model):
    """A publication proposed as evidence for an activity or a program node."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="proposals")
    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    program_node = models.ForeignKey(
        "programs.ProgramNode", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=MatchReason.choices)
    detail = models.CharField(max_length=300, blank=True)
    score = models.FloatField(default=0)
    state = models.CharField(
        max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    decided_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    report_link = models.ForeignKey(
        "control.ReportLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "activity"],
                condition=models.Q(activity__isnull=False),
                name="media_proposal_one_per_activity",
            ),
            models.UniqueConstraint(
                fields=["publication", "program_node"],
                condition=models.Q(program_node__isnull=False),
                name="media_proposal_one_per_node",
            ),
        ]
        indexes = [models.Index(fields=["state", "activity"])]

    def __str__(self) -> str:
        return f"{self.publication_id} → {self.activity_id or self.program_node_id}"


class ReportLang(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


class MonitoringReport(models.Model):
    """The quarterly monitoring report's data; frozen with a hash of it once submitted."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    lang = models.CharField(_("language"), max_length=2, choices=ReportLang.choices)
    data = models.JSONField(default=dict)
    data_sha256 = models.CharField(max_length=64, blank=True)
    built_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "-pk"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} ({self.lang})"


class MonitoringReportUse(models.Model):
    """A submitted monitoring report attached to an execution report of a monitoring activity."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.PROTECT, related_name="uses")
    execution_report = models.ForeignKey(
        "control.ExecutionReport", on_delete=models.CASCADE, related_name="+"
    )
    attachment = models.ForeignKey(
        "control.ReportAttachment", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attached_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "execution_report"], name="media_report_use_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.execution_report_id}"


class MonitoringActivity(models.Model):
    """An activity whose execution report is the quarterly monitoring report (plan 001 #10:
    monitor the information space, report quarterly by the 5th)."""

    activity = models.OneToOneField(
        "plans.Activity", on_delete=models.CASCADE, related_name="media_monitoring"
    )
    marked_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.activity_id)


class RubricPeriod(models.TextChoices):
    WEEK = "week", _("a week")
    MONTH = "month", _("a month")
    QUARTER = "quarter", _("a quarter")


class Rubric(models.Model):
    """A regular rubric a plan prescribes (a TV or press rubric that must appear ``expected``
    times per ``period``), found in publications by its name or another spelling."""

    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    program_node = models.ForeignKey(
        "programs.ProgramNode", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    expected = models.PositiveIntegerField(_("expected publications"))
    period = models.CharField(_("per"), max_length=8, choices=RubricPeriod.choices)
    active = models.BooleanField(_("checked"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.name


class PublicationRubric(models.Model):
    """A publication found to carry a rubric (its name in the title or the text)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="hits")
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rubric", "publication"], name="media_rubric_hit_once")
        ]
        indexes = [models.Index(fields=["rubric", "published_on"])]

    def __str__(self) -> str:
        return f"{self.rubric_id}:{self.publication_id}"
