"""Civic Control («Азаматтық бақылау» / «Гражданский контроль»): citizens' problem reports.

A report is an «өтінім» / «заявка»: red from publication until it is done, then green. The point
on the map decides the region and so the akimat that answers. Everything the public sees of a
report is its masked public copy: names, IINs, phone numbers and e-mail addresses are kept for
the akimat only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jospar.civic.storage import private_storage
from jospar.core.models import Organisation, Region, pick_lang


class Topic(models.Model):
    """What a report is about (housing and utilities, roads, lighting, ...); an Open311 service."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    # Working days (Kazakhstan's calendar) the akimat has to answer once the report is public.
    response_working_days = models.PositiveSmallIntegerField(
        _("response time, working days"), default=10
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_lang(self, "name")

    @property
    def description(self) -> str:
        return pick_lang(self, "description")


class QuestionType(models.TextChoices):
    # The Open311 attribute datatypes.
    STRING = "string", _("Short text")
    NUMBER = "number", pgettext_lazy("type of answer", "Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice")
    MULTI = "multivaluelist", _("Several choices")


class TopicQuestion(models.Model):
    """A question of the topic's short survey; an attribute of the Open311 service definition."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="questions", verbose_name=_("topic")
    )
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    datatype = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(_("required"), default=False)
    text_kk = models.CharField(_("question (Kazakh)"), max_length=500)
    text_ru = models.CharField(_("question (Russian)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500)
    # For the list types: [{"key": "...", "name_kk": "...", "name_ru": "...", "name_en": "..."}]
    values = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["topic", "position", "code"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(fields=["topic", "code"], name="uniq_topic_question")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick_lang(self, "text")


class TopicRoute(models.Model):
    """Which department of a region's akimat handles a topic there (set by an administrator)."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="routes", verbose_name=_("topic")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="civic_routes", verbose_name=_("region")
    )
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="civic_routes",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("topic route")
        verbose_name_plural = _("topic routes")
        constraints = [models.UniqueConstraint(fields=["topic", "region"], name="uniq_topic_route")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.region} → {self.department}"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


# Red until solved, green when done: the states the public map shows red.
OPEN_STATES = (ReportState.PUBLISHED, ReportState.IN_PROGRESS)
CLOSED_STATES = (ReportState.DONE, ReportState.REJECTED, ReportState.DUPLICATE)


class Confirmation(models.TextChoices):
    NONE = "", _("Not yet")
    CONFIRMED = "confirmed", _("Confirmed by the author")
    DISPUTED = "disputed", _("Disputed by the author")


class ReportSource(models.TextChoices):
    WEB = "web", _("Portal")
    OPEN311 = "open311", _("Open311 client")


class CitizenReport(models.Model):
    """One problem report: «өтінім» / «заявка»."""

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="reports", verbose_name=_("topic")
    )
    description = models.TextField(_("what is wrong"))
    # What the public sees: the description with personal data masked (computed by the
    # service that writes the description, so that lists never mask on the fly).
    public_description = models.TextField(_("public text"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=500, blank=True)
    # No pin and no geocoder: the point is the chosen region's representative point, which a
    # map must not show as the place of the problem.
    location_is_approximate = models.BooleanField(_("approximate location"), default=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="civic_reports", verbose_name=_("region")
    )
    akimat = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="civic_reports",
        verbose_name=_("akimat"),
    )
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="civic_reports",
        verbose_name=_("author"),
    )
    # Contact given by an Open311 client for someone without an account; never public.
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    # Shown publicly without the author's name; the akimat still sees who it is.
    is_anonymous = models.BooleanField(_("publish without my name"), default=False)
    survey = models.JSONField(_("survey answers"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=ReportSource.choices, default=ReportSource.WEB
    )
    api_client = models.ForeignKey(
        "civic.Open311Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("Open311 client"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.SUBMITTED
    )
    # A moderator's hold keeps a submitted report from publication until released.
    held = models.BooleanField(_("held by a moderator"), default=False)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_civic_reports",
        verbose_name=_("assigned to"),
    )
    submitted_at = models.DateTimeField(_("submitted"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    response_due_on = models.DateField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("done"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"))
    confirmation = models.CharField(
        _("author's confirmation"),
        max_length=16,
        choices=Confirmation.choices,
        blank=True,
        default=Confirmation.NONE,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed"))
    # Denormalised counter kept by the support service: lists sort and show it without a join.
    support_count = models.PositiveIntegerField(_("supported by"), default=0)
    # Set once when the report became overdue, so that the akimat is told once.
    overdue_notified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("overdue notice sent")
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["topic", "region", "submitted_at"]),
            models.Index(fields=["region", "state"]),
            models.Index(fields=["akimat", "state", "response_due_on"]),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["updated_at"]),
            # The akimat's queue counts its open reports per tab on every page: over a
            # partial index of open reports only, holding what the tabs ask, that is an
            # index-only scan of a few thousand entries instead of the akimat's 100,000
            # reports (docs/decisions.md, "The official's queue at national scale").
            models.Index(
                fields=["akimat", "state"],
                include=["assigned_to", "answered_at", "response_due_on", "hidden"],
                condition=models.Q(state__in=["published", "in_progress"]),
                name="civic_report_open_akimat",
            ),
            models.Index(
                fields=["department", "state"],
                include=["assigned_to", "answered_at", "response_due_on", "hidden"],
                condition=models.Q(state__in=["published", "in_progress"]),
                name="civic_report_open_department",
            ),
        ]

    def __str__(self) -> str:
        return f"№{self.pk} {self.topic}"

    @property
    def is_public(self) -> bool:
        return self.state not in (ReportState.SUBMITTED,) and not self.hidden

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReportEvent(models.Model):
    """The history of a report, written by the services as it happens."""

    report = models.ForeignKey(
        CitizenReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("what"), max_length=32)
    from_state = models.CharField(max_length=16, blank=True, verbose_name=_("from state"))
    to_state = models.CharField(max_length=16, blank=True, verbose_name=_("to state"))
    # Shown on the public page (masked); the internal note only to the akimat and moderators.
    public_note = models.TextField(_("public note"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report history")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")


class MediaStage(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence of the problem")
    AFTER = "after", _("After the work")


class MediaProcessing(models.TextChoices):
    """Where a photo's public copy stands: it is made by a task after the filing."""

    DONE = "done", _("Done")
    PENDING = "pending", _("Being processed")
    FAILED = "failed", _("Could not be processed")


class ReportMedia(models.Model):
    """A photo, video or audio note. The original stays private; the public copy carries no
    EXIF (no GPS, no device)."""

    report = models.ForeignKey(
        CitizenReport, on_delete=models.CASCADE, related_name="media", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=MediaKind.choices)
    stage = models.CharField(
        _("stage"), max_length=8, choices=MediaStage.choices, default=MediaStage.EVIDENCE
    )
    # Kept private (``jospar.civic.storage``): it may carry GPS and the device in its metadata.
    original = models.FileField(
        _("original"),
        upload_to="civic/original/%Y/%m/",
        max_length=255,
        storage=private_storage,
    )
    public_file = models.FileField(
        _("public copy"), upload_to="civic/public/%Y/%m/", max_length=255, blank=True
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to="civic/thumbs/%Y/%m/", max_length=255, blank=True
    )
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    width = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("width"))
    height = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("height"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded"))
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    # A photo's public copy and thumbnail are made off the request (``civic.media_process``).
    processing = models.CharField(
        _("processing"),
        max_length=8,
        choices=MediaProcessing.choices,
        default=MediaProcessing.DONE,
    )
    processing_attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    # Why the last attempt failed: a code (``damaged``, ``memory``, ``pixels``, ``type``,
    # ``unavailable``), worded for people by ``jospar.civic.media.processing_message``.
    processing_error = models.CharField(_("processing error"), max_length=32, blank=True)
    processing_tried_at = models.DateTimeField(_("last processed"), null=True, blank=True)
    # The akimat's answer the photo illustrates ("after the work"), if any.
    answer = models.ForeignKey(
        "civic.ReportAnswer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media",
        verbose_name=_("answer"),
    )

    class Meta:
        ordering = ["report", "uploaded_at"]
        # /media/<name> finds the row of a public copy or thumbnail by its name.
        indexes = [
            models.Index(fields=["public_file"], name="civic_media_public_file"),
            models.Index(fields=["thumbnail"], name="civic_media_thumbnail"),
            # The retry job looks for photos still waiting; they are few among millions.
            models.Index(
                fields=["processing_tried_at"],
                name="civic_media_processing",
                condition=models.Q(processing="pending"),
            ),
        ]
        verbose_name = _("photo, video or audio")
        verbose_name_plural = _("photos, videos and audio")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class ReportAnswer(models.Model):
    """The akimat's public answer. "Done" needs one."""

    report = models.ForeignKey(
        CitizenReport, on_delete=models.CASCADE, related_name="answers", verbose_name=_("report")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    text = models.TextField(_("answer"))
    public_text = models.TextField(_("public text"))
    created_at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["report", "created_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.report_id} {self.created_at:%Y-%m-%d}"


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    PROPOSAL = "proposal", _("Proposed solution")


class ReportComment(models.Model):
    report = models.ForeignKey(
        CitizenReport, on_delete=models.CASCADE, related_name="comments", verbose_name=_("report")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="civic_comments",
        verbose_name=_("author"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    text = models.TextField(_("text"))
    public_text = models.TextField(_("public text"))
    created_at = models.DateTimeField(_("written"))
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        ordering = ["report", "created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.report_id} {self.author_id} {self.created_at:%Y-%m-%d}"


class AbuseReport(models.Model):
    """Anyone can report abuse in a report or a comment; a moderator decides."""

    report = models.ForeignKey(
        CitizenReport, on_delete=models.CASCADE, related_name="abuse", verbose_name=_("report")
    )
    comment = models.ForeignKey(
        ReportComment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="abuse",
        verbose_name=_("comment"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(_("what is abusive"))
    created_at = models.DateTimeField(_("reported"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(_("resolution"), max_length=16, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")

    def __str__(self) -> str:
        return f"{self.report_id} {self.created_at:%Y-%m-%d}"


class ReportSupport(models.Model):
    """A citizen who has the same problem supports the open report instead of filing again."""

    report = models.ForeignKey(
        CitizenReport, on_delete=models.CASCADE, related_name="supports", verbose_name=_("report")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="civic_supports",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="uniq_report_support")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.report_id}"


class Follow(models.Model):
    """Someone who wants e-mail about changes: of one report, or of an area."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="civic_follows",
        verbose_name=_("user"),
    )
    report = models.ForeignKey(
        CitizenReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("report"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    # An area drawn on the map: [south, west, north, east].
    bbox = models.JSONField(null=True, blank=True, verbose_name=_("area"))
    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "report"],
                name="uniq_follow_report",
                condition=models.Q(report__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.report_id or self.region_id or self.bbox}"


class Open311Client(models.Model):
    """A client application allowed to POST requests: its key is issued by an administrator,
    stored only as a hash, and can be revoked."""

    name = models.CharField(_("application"), max_length=200)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    key_prefix = models.CharField(max_length=12, db_index=True, verbose_name=_("key prefix"))
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key hash"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used"))

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class CitizenAccount(models.Model):
    """A citizen's account registered on the portal: the e-mail is the login, and it must be
    confirmed before the account can be used. Users an administrator creates have none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_account",
        verbose_name=_("user"),
    )
    registered_at = models.DateTimeField(_("registered"))
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmations_sent = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("confirmation letters sent")
    )

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


from jospar.civic.models_exports import ExportState as ExportState  # noqa: E402
from jospar.civic.models_exports import ReportCsvExport as ReportCsvExport  # noqa: E402
from jospar.civic.models_figures import FigureBucket as FigureBucket  # noqa: E402
from jospar.civic.models_figures import FigureCount as FigureCount  # noqa: E402
