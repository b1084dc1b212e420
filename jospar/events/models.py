"""The calendar of public events (`001_*` #4, `004_*`, `002_*`'s key events): meetings, forums,
concerts, exhibitions, volunteer actions and ceremonies of a campaign or program, each with its
time, place, region and organiser, and the plan activity, program key event or civic initiative
it carries out. State organisers publish; citizens and NGOs propose, a moderator publishes.

The app sits beside ``initiatives`` (above ``plans``, ``programs`` and ``control``): it points at
what it carries out, and nothing below it knows the calendar exists."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jospar.civic.storage import private_storage
from jospar.core.models import Organisation, Region, pick_lang
from jospar.initiatives.models import Initiative
from jospar.plans.models import Activity
from jospar.programs.models import ProgramNode


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    FORUM = "forum", _("Forum")
    CONCERT = "concert", _("Concert")
    EXHIBITION = "exhibition", _("Exhibition")
    CONTEST = "contest", _("Contest")
    VOLUNTEER = "volunteer", _("Volunteer action")
    CEREMONY = "ceremony", _("Ceremony")
    OTHER = "other", pgettext_lazy("kind of event", "Other")


class EventState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", pgettext_lazy("event", "Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# What the public calendar shows: a cancelled event stays, marked, so that a link keeps working.
PUBLIC_EVENT_STATES = (EventState.PUBLISHED, EventState.CANCELLED)


class PublicEvent(models.Model):
    # The iCalendar UID: fixed at creation, so that a calendar that subscribed keeps one entry
    # through every change (RFC 5545 §3.8.4.7), whatever the host or a database restore.
    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_events",
        verbose_name=_("organiser"),
    )
    # An organiser outside the directory (a school, a group of residents), as they name it.
    organiser_name = models.CharField(_("organiser (as named)"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="public_events", verbose_name=_("region")
    )
    place = models.CharField(_("place"), max_length=300)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan activity carried out"),
    )
    program_node = models.ForeignKey(
        ProgramNode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program key event carried out"),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("civic initiative carried out"),
    )
    # 0: the event takes no volunteers; otherwise how many may register.
    volunteers_wanted = models.PositiveIntegerField(_("volunteers wanted"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=EventState.choices, default=EventState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposed_events",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    decided_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # iCalendar SEQUENCE: raised by each change a subscriber must see (RFC 5545 §3.8.7.4).
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("public event")
        verbose_name_plural = _("public events")
        indexes = [
            models.Index(fields=["state", "starts_at"], name="event_state_start"),
            models.Index(fields=["region", "starts_at"], name="event_region_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick_lang(self, "title")

    @property
    def organiser(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organiser_name

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_EVENT_STATES


class Registration(models.Model):
    """A volunteer registered for an event (one row a person; cancelling removes it)."""

    event = models.ForeignKey(
        PublicEvent,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("volunteer"),
    )
    created_at = models.DateTimeField(_("registered"))

    class Meta:
        verbose_name = _("volunteer registration")
        verbose_name_plural = _("volunteer registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="uniq_event_registration"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.user_id}"


class EventPhoto(models.Model):
    """A photo of the report after the event: the original private, the public copy and its
    thumbnail re-encoded without metadata (the checks of Civic Control, ``jospar.civic.media``).
    An executor who gives the event as evidence gets copies of the public ones."""

    event = models.ForeignKey(
        PublicEvent, on_delete=models.CASCADE, related_name="photos", verbose_name=_("event")
    )
    original = models.FileField(
        _("original"), storage=private_storage, upload_to="events/originals/", max_length=255
    )
    public_file = models.FileField(_("public copy"), upload_to="events/public/", max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to="events/thumbs/", max_length=255)
    width = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("width"))
    height = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("height"))
    sha256 = models.CharField(max_length=64, verbose_name=_("checksum"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("photo of the event")
        verbose_name_plural = _("photos of the event")

    def __str__(self) -> str:
        return f"{self.event_id}/{self.pk}"


class MemorableDate(models.Model):
    """A memorable date of the state that is no day off (the working-day calendar holds the
    holidays): the administrator's list, repeated every year on its month and day."""

    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["month", "day", "pk"]
        verbose_name = _("memorable date")
        verbose_name_plural = _("memorable dates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="memorable_date_valid",
            ),
        ]

    def __str__(self) -> str:
        return pick_lang(self, "name")

    @property
    def name(self) -> str:
        return pick_lang(self, "name")
