"""Generous Heart («Жомарт жүрек»): a yearly cycle, per region and nationally, that honours
the best patrons, volunteers and NGOs. Its stages follow from its dates (never typed):
nominations → jury → public vote → results."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Organisation, Region


class HeartStage(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    NOMINATIONS = "nominations", _("Nominations open")
    JURY = "jury", _("Jury at work")
    VOTE = "vote", _("Public vote")
    COUNTING = "counting", _("Counting")
    RESULTS = "results", _("Results")


class HeartCycle(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    # None: the national cycle.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    nominations_from = models.DateField(_("nominations open"))
    jury_from = models.DateField(_("jury from"))
    vote_from = models.DateField(_("public vote from"))
    vote_until = models.DateField(_("public vote until"))
    results_on = models.DateField(_("results"))
    # The jury's share of the final score in percent; the public vote has the rest.
    jury_weight = models.PositiveSmallIntegerField(_("weight of the jury, %"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "region__name_kk", "pk"]
        verbose_name = _("Generous Heart cycle")
        verbose_name_plural = _("Generous Heart cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region"],
                name="uniq_heart_cycle_region",
                condition=models.Q(region__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["year"],
                name="uniq_heart_cycle_national",
                condition=models.Q(region__isnull=True),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    jury_from__gt=models.F("nominations_from"),
                    vote_from__gte=models.F("jury_from"),
                    vote_until__gte=models.F("vote_from"),
                    results_on__gt=models.F("vote_until"),
                ),
                name="heart_cycle_stages_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(jury_weight__lte=100), name="heart_cycle_weight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region or ''}".strip()

    @property
    def public_weight(self) -> int:
        return 100 - self.jury_weight

    def stage_on(self, day: dt.date) -> HeartStage:
        if self.results_published_at is not None:
            return HeartStage.RESULTS
        if day < self.nominations_from:
            return HeartStage.ANNOUNCED
        if day < self.jury_from:
            return HeartStage.NOMINATIONS
        if day < self.vote_from:
            return HeartStage.JURY
        if day <= self.vote_until:
            return HeartStage.VOTE
        return HeartStage.COUNTING


class HeartCategory(models.TextChoices):
    PATRON = "patron", _("Best patron")
    VOLUNTEER = "volunteer", _("Best volunteer")
    NGO = "ngo", _("Best NGO")
    OTHER = "other", _("Other nomination")


class HeartNomination(models.Model):
    cycle = models.ForeignKey(
        HeartCycle, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("cycle")
    )
    category = models.CharField(_("category"), max_length=12, choices=HeartCategory.choices)
    # An administrator's added nomination is named; the three of the document take the label.
    title = models.CharField(_("title"), max_length=200, blank=True)
    # Empty for the document's three: their published criteria are the code's (translated).
    criteria = models.TextField(_("criteria of the jury"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["cycle", "position", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.title or str(HeartCategory(self.category).label)


class ProposerKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Organisation")
    OFFICIAL = "official", _("Official")


class HeartNominee(models.Model):
    nomination = models.ForeignKey(
        HeartNomination,
        on_delete=models.CASCADE,
        related_name="nominees",
        verbose_name=_("nomination"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heart_nominations",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heart_nominations",
        verbose_name=_("organisation"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposer_kind = models.CharField(_("proposed as"), max_length=12, choices=ProposerKind.choices)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("proposed"))
    # Written when the results are published.
    jury_average = models.DecimalField(
        _("jury's average"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    class Meta:
        ordering = ["nomination", "place", "pk"]
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, organisation__isnull=True)
                    | models.Q(person__isnull=True, organisation__isnull=False)
                ),
                name="heart_nominee_one_subject",
            ),
            models.UniqueConstraint(
                fields=["nomination", "person"],
                name="uniq_heart_nominee_person",
                condition=models.Q(person__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["nomination", "organisation"],
                name="uniq_heart_nominee_organisation",
                condition=models.Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.organisation_id is not None:
            return str(self.organisation)
        assert self.person is not None
        return self.person.get_full_name() or self.person.get_username()


class HeartJuror(models.Model):
    cycle = models.ForeignKey(
        HeartCycle, on_delete=models.CASCADE, related_name="jurors", verbose_name=_("cycle")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="heart_juries",
        verbose_name=_("jury member"),
    )
    appointed_at = models.DateTimeField(_("appointed"))

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="uniq_heart_juror"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.user}"


class HeartScore(models.Model):
    nominee = models.ForeignKey(
        HeartNominee, on_delete=models.CASCADE, related_name="scores", verbose_name=_("nominee")
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jury member"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    scored_at = models.DateTimeField(_("scored"))

    class Meta:
        verbose_name = _("jury's score")
        verbose_name_plural = _("jury's scores")
        constraints = [
            models.UniqueConstraint(fields=["nominee", "juror"], name="uniq_heart_score"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=10), name="heart_score_1_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_id}: {self.score}"
