"""The Map of civic initiatives («Азаматтық бастамалар картасы»): local social projects that
citizens and NGOs propose and that patrons, NGOs, volunteers and state bodies carry out.

An initiative goes draft → submitted → (changes requested → submitted) → selected («Initiative
projects», open for support) → being implemented → implemented, or is rejected. The region's
responsible official (``RegionCoordinator``) asks for changes and records the selection decision
of the public council or of a meeting of the local community, with its minutes.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jospar.civic.storage import private_storage
from jospar.core.models import Organisation, Region


class InitiativeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    SELECTED = "selected", _("Initiative project")
    IMPLEMENTING = "implementing", _("Being implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")


# What the public sees: the document's three sections (and the rejected, with the decision).
PUBLIC_STATES = (
    InitiativeState.SELECTED,
    InitiativeState.IMPLEMENTING,
    InitiativeState.IMPLEMENTED,
    InitiativeState.REJECTED,
)
# Open for pledges.
SUPPORT_STATES = (InitiativeState.SELECTED, InitiativeState.IMPLEMENTING)
EDITABLE_STATES = (InitiativeState.DRAFT, InitiativeState.CHANGES_REQUESTED)


class InitiativeKind(models.TextChoices):
    SOCIAL = "social", _("Social")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    MATERIAL_AID = "material_aid", _("Material aid")
    MATERIAL_TECHNICAL = "material_technical", _("Material and technical support")
    EVENT = "event", pgettext_lazy("kind of initiative", "Event")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    CULTURE = "culture", _("Culture")
    SPORT = "sport", _("Sport")
    ECOLOGY = "ecology", _("Ecology")
    TRANSPORT = "transport", _("Transport")
    SOCIAL_CARE = "social_care", _("Social care")
    YOUTH = "youth", _("Youth")
    OTHER = "other", _("Other")


class AuthorKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    NGO = "ngo", _("Non-governmental organisation")


class RegionCoordinator(models.Model):
    """The region's one responsible official for initiatives: an official of the region's akimat
    (role «civic official»), appointed by an administrator."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiative_regions",
        verbose_name=_("responsible official"),
    )
    appointed_at = models.DateTimeField(_("appointed"))

    class Meta:
        verbose_name = _("responsible official for initiatives")
        verbose_name_plural = _("responsible officials for initiatives")

    def __str__(self) -> str:
        return f"{self.region} → {self.user}"


class SelectionBody(models.TextChoices):
    COUNCIL = "council", _("Public council of the region")
    COMMUNITY = "community", _("Meeting of the local community")
    PUBLIC_VOTE = "public_vote", _("Public vote")


class Initiative(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("author"),
    )
    author_kind = models.CharField(
        _("proposed by"), max_length=8, choices=AuthorKind.choices, default=AuthorKind.CITIZEN
    )
    # The NGO on whose behalf its member proposes (authorship stays with the NGO).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("NGO"),
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("local problem it solves"))
    kind = models.CharField(_("type"), max_length=24, choices=InitiativeKind.choices)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("region")
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    beneficiaries = models.CharField(_("who benefits"), max_length=300)
    beneficiaries_count = models.PositiveIntegerField(_("how many benefit"))
    budget = models.DecimalField(
        _("budget, tenge"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=InitiativeState.choices, default=InitiativeState.DRAFT
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    changes_note = models.TextField(_("changes asked for"), blank=True)
    # The selection decision (or the refusal), recorded by the responsible official.
    decision_body = models.CharField(
        _("decided by"), max_length=12, choices=SelectionBody.choices, blank=True
    )
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    selected_at = models.DateTimeField(_("selected"), null=True, blank=True)
    implementing_at = models.DateTimeField(_("implementation started"), null=True, blank=True)
    implementing_reason = models.TextField(_("reason to start"), blank=True)
    implemented_at = models.DateTimeField(_("implemented"), null=True, blank=True)
    results_text = models.TextField(_("what was done"), blank=True)
    beneficiaries_reached = models.PositiveIntegerField(
        _("beneficiaries reached"), null=True, blank=True
    )
    money_given = models.DecimalField(
        _("money actually given, tenge"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hours_given = models.DecimalField(
        _("volunteer hours actually given"), max_digits=10, decimal_places=1, default=Decimal(0)
    )
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    rating_sum = models.PositiveIntegerField(default=0, verbose_name=_("sum of ratings"))

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("civic initiative")
        verbose_name_plural = _("civic initiatives")
        indexes = [
            models.Index(fields=["state", "region"], name="initiative_state_region"),
            models.Index(fields=["latitude", "longitude"], name="initiative_point"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


class NeedKind(models.TextChoices):
    MONEY = "money", _("Money")
    MATERIAL = "material", _("Materials")
    VENUE = "venue", _("Venue")
    VOLUNTEERS = "volunteers", _("Volunteers")


class Need(models.Model):
    """What the initiative needs. ``quantity`` is in the need's unit: tenge for money, hours
    for a volunteer role, pieces (or the unit named) for materials, 1 for a venue."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="needs", verbose_name=_("initiative")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NeedKind.choices)
    description = models.CharField(_("what exactly"), max_length=300)
    quantity = models.DecimalField(_("how much"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["initiative", "position", "pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.description


class PledgerKind(models.TextChoices):
    PATRON = "patron", _("Patron")
    NGO = "ngo", _("NGO")
    VOLUNTEER = "volunteer", _("Volunteer")
    STATE = "state", _("State body")


class PledgeState(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Pledge(models.Model):
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("need")
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("initiative")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiative_pledges",
        verbose_name=_("who pledged"),
    )
    kind = models.CharField(_("as"), max_length=12, choices=PledgerKind.choices)
    # An NGO, a company or a state body pledges through its member; a private person has none.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiative_pledges",
        verbose_name=_("organisation"),
    )
    quantity = models.DecimalField(_("how much"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=PledgeState.choices, default=PledgeState.PLEDGED
    )
    # Volunteer hours the author confirmed; money or materials the author confirmed received.
    confirmed_quantity = models.DecimalField(
        _("confirmed"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    created_at = models.DateTimeField(_("pledged"))

    class Meta:
        ordering = ["initiative", "created_at", "pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self) -> str:
        return f"{self.need}: {self.quantity}"


class CheckIn(models.Model):
    """A volunteer's hours on a day of the initiative, confirmed (or not) by its author."""

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("pledge")
    )
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    created_at = models.DateTimeField(_("checked in"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["pledge", "day", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "day"], name="uniq_checkin_day"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} {self.day}: {self.hours}"


class MediaStage(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class InitiativePhoto(models.Model):
    """A photo: the original private, the public copy re-encoded without metadata (the checks
    of Civic Control, ``jospar.civic.media``)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="photos", verbose_name=_("initiative")
    )
    stage = models.CharField(_("stage"), max_length=8, choices=MediaStage.choices)
    original = models.FileField(
        _("original"), storage=private_storage, upload_to="initiatives/originals/", max_length=255
    )
    public_file = models.FileField(
        _("public copy"), upload_to="initiatives/public/", max_length=255
    )
    thumbnail = models.FileField(_("thumbnail"), upload_to="initiatives/thumbs/", max_length=255)
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
        ordering = ["initiative", "stage", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.initiative_id}/{self.pk}"


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document of the author")
    MINUTES = "minutes", _("Minutes of the decision")


class InitiativeDocument(models.Model):
    """A document checked by content (``jospar.control.uploads``): the author's (seen by the
    author and the officials) or the minutes of the selection decision (public)."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("initiative"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="initiatives/documents/", max_length=255
    )
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("checksum"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["initiative", "kind", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.name


_EVENT_LABELS = {
    "created": _("Draft written"),
    "edited": _("Draft changed"),
    "pledged": _("Pledge made"),
}


class InitiativeEvent(models.Model):
    """One step of the initiative's public history."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="events", verbose_name=_("initiative")
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what"), max_length=32)
    from_state = models.CharField(max_length=20, blank=True, verbose_name=_("from state"))
    to_state = models.CharField(max_length=20, blank=True, verbose_name=_("to state"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["initiative", "at", "pk"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.kind}"

    @property
    def label(self) -> str:
        if self.to_state:
            return str(InitiativeState(self.to_state).label)
        return str(_EVENT_LABELS.get(self.kind, self.kind))


class Rating(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("initiative")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiative_ratings",
        verbose_name=_("user"),
    )
    stars = models.PositiveSmallIntegerField(_("rating"))
    created_at = models.DateTimeField(_("rated"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="uniq_initiative_rating"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="initiative_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.stars}"


class SurveyAnswer(models.Model):
    """A beneficiary's short satisfaction survey of an implemented initiative."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="survey", verbose_name=_("initiative")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiative_surveys",
        verbose_name=_("user"),
    )
    used_it = models.BooleanField(_("I use what the project made"))
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"))
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="uniq_initiative_survey"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.satisfaction}"


class ContributorProfile(models.Model):
    """Whether a person's contributions are shown publicly under their name."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiative_profile",
        verbose_name=_("user"),
    )
    is_public = models.BooleanField(_("show what I gave publicly"), default=False)

    class Meta:
        verbose_name = _("contributor profile")
        verbose_name_plural = _("contributor profiles")

    def __str__(self) -> str:
        return str(self.user)


# Generous Heart and the public vote live in their own modules of this app (models.py would pass
# 600 lines); imported here so that Django registers them with the app.
from jospar.initiatives.models_heart import (  # noqa: E402
    HeartCategory,
    HeartCycle,
    HeartJuror,
    HeartNomination,
    HeartNominee,
    HeartScore,
    HeartStage,
    ProposerKind,
)
from jospar.initiatives.models_stories import (  # noqa: E402
    HeartStory,
    StoryLanguage,
    StoryState,
)
from jospar.initiatives.models_votes import (  # noqa: E402
    Answer,
    Ballot,
    BallotKind,
    BallotOption,
    Vote,
    VoteState,
)

__all__ = [
    "Answer",
    "Ballot",
    "BallotKind",
    "BallotOption",
    "HeartCategory",
    "HeartCycle",
    "HeartJuror",
    "HeartNomination",
    "HeartNominee",
    "HeartScore",
    "HeartStage",
    "HeartStory",
    "ProposerKind",
    "StoryLanguage",
    "StoryState",
    "Vote",
    "VoteState",
]
