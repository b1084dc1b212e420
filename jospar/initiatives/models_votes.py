"""The public vote: one mechanism for a Generous Heart nomination and for an initiative's
selection where the akimat chooses a vote. One verified person, one vote per ballot (a unique
constraint); a burst from one address is held for review; the tally reads the stored votes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BallotKind(models.TextChoices):
    NOMINATION = "nomination", _("Generous Heart nomination")
    SELECTION = "selection", _("Selection of an initiative")


class Ballot(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=BallotKind.choices)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("initiative"),
    )
    nomination = models.OneToOneField(
        "initiatives.HeartNomination",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ballot",
        verbose_name=_("nomination"),
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="nomination", nomination__isnull=False, initiative__isnull=True)
                    | models.Q(kind="selection", initiative__isnull=False, nomination__isnull=True)
                ),
                name="ballot_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="ballot_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Answer(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")


class BallotOption(models.Model):
    """What one may vote for: a nominee, or "for"/"against" an initiative."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="options", verbose_name=_("public vote")
    )
    nominee = models.OneToOneField(
        "initiatives.HeartNominee",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="option",
        verbose_name=_("nominee"),
    )
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, blank=True)

    class Meta:
        ordering = ["ballot", "pk"]
        verbose_name = _("option of a vote")
        verbose_name_plural = _("options of a vote")

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.nominee_id or self.answer}"


class VoteState(models.TextChoices):
    COUNTED = "counted", _("Counted")
    HELD = "held", _("Held for review")
    VOID = "void", _("Not counted")


class Vote(models.Model):
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="votes", verbose_name=_("public vote")
    )
    option = models.ForeignKey(
        BallotOption, on_delete=models.CASCADE, related_name="votes", verbose_name=_("option")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("voter"),
    )
    # A keyed hash of the client's address: bursts are found without keeping the address.
    address_key = models.CharField(_("address (hashed)"), max_length=32)
    state = models.CharField(
        _("state"), max_length=8, choices=VoteState.choices, default=VoteState.COUNTED
    )
    cast_at = models.DateTimeField(_("cast"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["ballot", "cast_at", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="uniq_vote_per_person"),
        ]
        indexes = [
            models.Index(fields=["ballot", "address_key", "cast_at"], name="vote_address"),
            models.Index(fields=["ballot", "state", "option"], name="vote_tally"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}/{self.voter_id}"
